"""The closed loop's periodic jobs (see `comptoir.core.schedule`)."""

import datetime as dt

from comptoir.core.schedule import Job

JOBS = [
    # Overdue actions reach the manager within the hour (each is escalated once).
    Job("actions_escalate", every=dt.timedelta(hours=1)),
    # The rules' sweep looks a day back, so a late or missed run loses nothing.
    Job("actions_apply_rules", every=dt.timedelta(hours=1)),
    # The roll-up is kept exact by the services and the voice's corrections; the nightly rebuild
    # repairs whatever changed behind their back (a fix in SQL, a restored backup).
    Job("rebuild_action_rollups", at=dt.time(2, 30)),
]
