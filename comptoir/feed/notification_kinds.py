from django.utils.translation import gettext_lazy as _

from comptoir.notifications.kinds import NotificationKind

KINDS = [
    NotificationKind("feed_mention", _("Someone mentioned me in the feed")),
    NotificationKind("feed_comment", _("A comment on my post or a reply to my comment")),
    NotificationKind("feed_congratulation", _("Someone congratulated me")),
    NotificationKind("feed_recommendation", _("News of a recommendation I raised or follow")),
    NotificationKind("feed_recommendation_new", _("A recommendation addressed to my HQ team")),
    NotificationKind("feed_recommendation_overdue", _("A recommendation to my team waits for an answer")),
    NotificationKind("feed_moderation", _("Moderation of my posts and comments, reports to review")),
]
