"""The engagement insights' periodic jobs (see `comptoir.core.schedule`)."""

import datetime as dt

from comptoir.core.schedule import Job

JOBS = [
    # The recent periods' roll-ups, every night before the digests read them.
    Job("insights_rollup", at=dt.time(1, 30)),
    # Each person's weekly digest goes out on their chosen day, in the morning.
    Job("insights_digest", at=dt.time(6, 0)),
]
