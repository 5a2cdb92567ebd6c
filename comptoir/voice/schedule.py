"""The customer's voice's periodic jobs (see `comptoir.core.schedule`)."""

import datetime as dt

from comptoir.core.schedule import Job

JOBS = [
    # Reminders go out in the morning, when the customers read their mail.
    Job("voice_reminders", at=dt.time(8, 0)),
]
