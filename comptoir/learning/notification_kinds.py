from django.utils.translation import gettext_lazy as _

from comptoir.notifications.kinds import NotificationKind

KINDS = [
    NotificationKind("learning_team_pass", _("Someone in my team passed a quiz"), one_tap=_("Congratulate")),
    NotificationKind("learning_quiz_published", _("A new quiz is open to me")),
    NotificationKind(
        "learning_congratulated", _("A manager congratulated me on a quiz"), email_by_default=True
    ),
]
