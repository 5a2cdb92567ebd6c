"""The feed's periodic jobs (see `comptoir.core.schedule`)."""

import datetime as dt

from comptoir.core.schedule import Job

JOBS = [
    # Recommendations left without an answer, flagged to HQ managers at the start of the day.
    Job("feed_flag_overdue", at=dt.time(7, 0)),
]
