from django.tasks import task


@task()
def run_import_job(*, job_id: int) -> None:
    from comptoir.core.importjobs import import_job_run

    import_job_run(job_id)
