"""The task the queue runs (django-tasks: the database backend by default, RQ in production)."""

from django_tasks import task


@task()
def job_run(job_id: int) -> None:
    from background.services import job_execute

    job_execute(job_id=job_id)
