"""What the closed loop notifies about: each person may turn the e-mail of each kind off."""

from django.utils.translation import gettext_lazy as _

from comptoir.actions import services
from comptoir.notifications.kinds import NotificationKind

KINDS = [
    NotificationKind(services.KIND_ASSIGNED, _("An action is addressed to me")),
    NotificationKind(services.KIND_COMMENT, _("Someone comments on an action of mine")),
    NotificationKind(services.KIND_CLOSED, _("An action I posted is closed")),
    NotificationKind(services.KIND_REOPENED, _("An action addressed to me is reopened")),
    NotificationKind(services.KIND_ESCALATED, _("An action of my team is overdue")),
]
