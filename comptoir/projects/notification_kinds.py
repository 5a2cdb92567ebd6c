"""What improvement projects notify about: each person may turn the e-mail of each kind off."""

from django.utils.translation import gettext_lazy as _

from comptoir.notifications.kinds import NotificationKind
from comptoir.projects import services

KINDS = [
    NotificationKind(services.KIND_FACILITATE, _("I am asked to facilitate a project")),
    NotificationKind(services.KIND_COMMENT, _("Someone comments on a project of mine")),
]
