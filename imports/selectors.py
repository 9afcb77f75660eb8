from django.db.models import QuerySet

from imports.models import ImportFile
from imports.services import Outcome
from mopr import policy
from mopr.models import User


def import_files_for(*, user: User) -> QuerySet[ImportFile]:
    """The centre's uploaded files, for who may import (nobody else sees them)."""
    if not policy.user_may_import_cases(user):
        return ImportFile.objects.none()
    return ImportFile.objects.filter(institution_id=user.institution_id).select_related(
        "uploaded_by", "dry_job", "import_job"
    )


def import_outcomes(*, import_file: ImportFile) -> list[Outcome]:
    return [Outcome(**row) for row in import_file.results]
