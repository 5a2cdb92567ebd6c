from django.utils.translation import gettext_lazy as _

from comptoir.notifications.kinds import NotificationKind

KINDS = [NotificationKind("import_finished", _("An import I started has finished"))]
