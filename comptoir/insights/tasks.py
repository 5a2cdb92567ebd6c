"""The digest is sent by the task worker, one batch per task; each batch enqueues the next one."""

from __future__ import annotations

import datetime as dt

from django.tasks import task


@task()
def digest_send_batch(*, day: str, batch_size: int = 200, first: bool = True) -> None:
    from comptoir.insights.digest.sending import run_start, send_batch
    from comptoir.insights.models import DigestRun

    when = dt.date.fromisoformat(day)
    run = run_start(when) if first else DigestRun.objects.get(day=when)
    if send_batch(run, size=batch_size):
        digest_send_batch.enqueue(day=day, batch_size=batch_size, first=False)
