from django.db.models import QuerySet

from background.models import Job
from mopr.models import User


def jobs_of(*, user: User) -> QuerySet[Job]:
    """The user's own background work, newest first (nobody else's: the files are theirs)."""
    return Job.objects.filter(requested_by=user)
