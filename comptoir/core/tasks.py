from django.tasks import task


@task()
def run_import_job(*, job_id: int) -> None:
    from comptoir.core.importjobs import import_job_run

    import_job_run(job_id)


@task()
def run_scheduled_command(*, command: str, args: list[str]) -> None:
    """A periodic job handed over by the scheduler (`comptoir.core.schedule`)."""
    from django.core.management import call_command

    call_command(command, *args)
