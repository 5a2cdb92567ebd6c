"""The quizzes' periodic jobs (see `comptoir.core.schedule`)."""

import datetime as dt

from comptoir.core.schedule import Job

JOBS = [
    # Attempts whose time ran out are finished within minutes (the pages also do it lazily).
    Job("learning_close_expired", every=dt.timedelta(minutes=5)),
]
