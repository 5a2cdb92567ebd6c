"""The field feed: posts, photos, comments, reactions, congratulations, reads, recommendations to HQ.

Counters on a post (likes, comments, congratulations) are kept by the services in the same
transaction as the row they count, so a feed page never counts rows; the unique constraints keep
them honest when two requests race.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Post(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Best practice")
        SUCCESS = "success", _("Success story")
        QUESTION = "question", _("Question")
        NEWS = "news", _("Field news")

    class Visibility(models.TextChoices):
        COMPANY = "company", _("The whole company")
        UNIT = "unit", _("A business unit")
        TEAM = "team", _("A team")

    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="posts", verbose_name=_("author"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    body = models.TextField(_("text"))
    # The sanitised HTML of `body`, rendered once at write time so that a feed page never parses.
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("posted at"))
    updated_at = models.DateTimeField(_("updated at"))
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    topics = models.ManyToManyField(
        "core.PracticeTopic", blank=True, related_name="posts", verbose_name=_("practice topics")
    )
    units = models.ManyToManyField(
        "org.OrgUnit", blank=True, related_name="posts", verbose_name=_("business units")
    )
    # Copies of the two lists above, written with them: a feed page shows the tags of 20 posts
    # without two more queries (names come from the small cached taxonomy, see `feed.taxonomy`).
    topic_ids = models.JSONField(default=list, blank=True, editable=False)
    unit_ids = models.JSONField(default=list, blank=True, editable=False)
    region = models.ForeignKey(
        "org.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("region"),
    )
    account = models.ForeignKey(
        "customers.Account",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("customer account"),
    )
    agreement = models.ForeignKey(
        "customers.FrameworkAgreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("framework agreement"),
    )
    # Where the author worked when posting: "For me" matches the reader's team on this, and a later
    # move of the author must not move their old posts.
    author_team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.COMPANY
    )
    visible_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only unit"),
    )
    visible_team = models.ForeignKey(
        "org.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only team"),
    )
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    congratulation_count = models.PositiveIntegerField(default=0)
    photo_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility="company", visible_unit__isnull=True, visible_team__isnull=True)
                | Q(visibility="unit", visible_unit__isnull=False, visible_team__isnull=True)
                | Q(visibility="team", visible_team__isnull=False, visible_unit__isnull=True),
                name="feed_post_visibility_target",
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="feed_post_recent_idx"),
            models.Index(fields=["author", "-created_at", "-id"], name="feed_post_author_idx"),
            models.Index(fields=["region", "-created_at", "-id"], name="feed_post_region_idx"),
            models.Index(fields=["author_team", "-created_at", "-id"], name="feed_post_team_idx"),
            models.Index(fields=["account", "-created_at", "-id"], name="feed_post_account_idx"),
            models.Index(fields=["agreement", "-created_at", "-id"], name="feed_post_agreement_idx"),
            models.Index(fields=["kind", "-created_at", "-id"], name="feed_post_kind_idx"),
        ]

    def __str__(self) -> str:
        first_line = (self.body or "").strip().splitlines()[0] if (self.body or "").strip() else ""
        return first_line[:80] or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("feed:post", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return not (self.is_hidden or self.is_deleted)


class PostPhoto(models.Model):
    """A photo as stored: re-encoded, without metadata, with its thumbnail."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="feed/%Y/%m/")
    thumbnail = models.ImageField(upload_to="feed/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    alt = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["post", "position", "id"]
        verbose_name = _("photo")

    def __str__(self) -> str:
        return f"photo {self.position} of post {self.post_id}"


class PostRevision(models.Model):
    """The text of a post before an edit: the history a reader can open."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    kind = models.CharField(max_length=10, choices=Post.Kind.choices)
    edited_at = models.DateTimeField()
    edited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-edited_at", "-id"]
        indexes = [models.Index(fields=["post", "-edited_at"], name="feed_revision_post_idx")]

    def __str__(self) -> str:
        return f"revision of post {self.post_id} at {self.edited_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="feed_comments")
    # One level of replies: a reply's parent is a top-level comment (the service enforces it).
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField()
    is_hidden = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="feed_comment_post_idx"),
            models.Index(fields=["author", "-created_at"], name="feed_comment_author_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:80]

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"


class Reaction(models.Model):
    """A like. One per person and post: the constraint, not the code, stops a double count."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_reactions")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="feed_reaction_once")]
        indexes = [models.Index(fields=["person", "-created_at"], name="feed_reaction_person_idx")]

    def __str__(self) -> str:
        return f"like by {self.person_id} on post {self.post_id}"


class Congratulation(models.Model):
    class FromRole(models.TextChoices):
        PEER = "", _("Colleague")
        MANAGER = "manager", _("Manager")
        DIRECTOR = "director", _("Director")
        HQ = "hq", _("Head office")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="congratulations")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="congratulations_given")
    # The post's author, copied so that a profile lists congratulations received with one index.
    to = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="congratulations_received")
    message = models.CharField(_("message"), max_length=280)
    created_at = models.DateTimeField()
    # Set when `by` was above the author in the hierarchy (or HQ) at the time: shown as such.
    from_hierarchy = models.BooleanField(default=False)
    from_role = models.CharField(max_length=10, choices=FromRole.choices, default="", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["post", "-created_at"], name="feed_congrats_post_idx"),
            models.Index(fields=["to", "-created_at", "-id"], name="feed_congrats_to_idx"),
        ]
        constraints = [
            # One congratulation per person and post: the post page shows it as given.
            models.UniqueConstraint(fields=["post", "by"], name="feed_congrats_once"),
        ]

    def __str__(self) -> str:
        return f"congratulation by {self.by_id} on post {self.post_id}"


class PostRead(models.Model):
    """The first time a person saw a post (written once: cheap enough for every page view)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_reads")
    first_read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="feed_read_once")]
        indexes = [models.Index(fields=["person", "-first_read_at"], name="feed_read_person_idx")]

    def __str__(self) -> str:
        return f"read by {self.person_id} of post {self.post_id}"


class Mention(models.Model):
    """An @mention of a person in a post or a comment ("For me" shows the posts that mention me)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_mentions")

    class Meta:
        # No unique constraint: `comment` is null for a post's own mentions and NULLs are distinct;
        # the service writes each mention once.
        indexes = [models.Index(fields=["person", "post"], name="feed_mention_person_idx")]

    def __str__(self) -> str:
        return f"mention of {self.person_id} in post {self.post_id}"


class PersonFollow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_follows")
    followed = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_followers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="feed_person_follow_once"),
            models.CheckConstraint(condition=~Q(follower=models.F("followed")), name="feed_no_self_follow"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


class TopicFollow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="feed_topic_follows")
    topic = models.ForeignKey("core.PracticeTopic", on_delete=models.CASCADE, related_name="followers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["follower", "topic"], name="feed_topic_follow_once")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows topic {self.topic_id}"


class Recommendation(models.Model):
    """A post raised to an HQ team, which must answer it: received -> under review -> adopted/planned/declined."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("recommendation status", "Received")
        UNDER_REVIEW = "under_review", pgettext_lazy("recommendation status", "Under review")
        ADOPTED = "adopted", pgettext_lazy("recommendation status", "Adopted")
        PLANNED = "planned", pgettext_lazy("recommendation status", "Planned")
        DECLINED = "declined", pgettext_lazy("recommendation status", "Declined")

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="recommendation")
    title = models.CharField(_("title"), max_length=200)
    hq_team = models.ForeignKey(
        "org.Team", on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("HQ team")
    )
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="recommendations_raised")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # When the overdue job told the HQ team's manager (once per recommendation).
    flagged_overdue_at = models.DateTimeField(null=True, blank=True)
    followers = models.ManyToManyField("org.User", blank=True, related_name="recommendations_followed")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["hq_team", "status", "created_at", "id"], name="feed_reco_inbox_idx"),
            models.Index(fields=["status", "created_at", "id"], name="feed_reco_status_idx"),
            models.Index(fields=["raised_by", "-created_at"], name="feed_reco_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feed:recommendation", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.UNDER_REVIEW)


class RecommendationEvent(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=14, choices=Recommendation.Status.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=Recommendation.Status.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["recommendation", "at"], name="feed_reco_event_idx")]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Report(models.Model):
    """Someone reported a post or a comment to the moderators."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        HIDDEN = "hidden", pgettext_lazy("report status", "Hidden")
        DISMISSED = "dismissed", pgettext_lazy("report status", "Dismissed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="feed_report_queue_idx")]

    def __str__(self) -> str:
        return f"report on post {self.post_id}: {self.reason[:40]}"


class ModerationLog(models.Model):
    """Every moderation step, kept for good (the audit log)."""

    class Action(models.TextChoices):
        REPORTED = "reported", _("Reported")
        HIDDEN = "hidden", _("Hidden")
        RESTORED = "restored", _("Restored")
        DISMISSED = "dismissed", _("Report dismissed")
        DELETED = "deleted", _("Deleted")

    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="moderation_log")
    comment = models.ForeignKey(Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at", "-id"], name="feed_modlog_recent_idx")]

    def __str__(self) -> str:
        return f"{self.action} on post {self.post_id}"


class SearchEntry(models.Model):
    """The normalised words of a post and its comments (accents removed, French-stemmed).

    One row per post, rewritten by the services on every change, so search works the same way on
    SQLite and PostgreSQL; on SQLite an FTS5 table mirrors it (see `feed.search`).
    """

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    tokens = models.TextField(default="")

    def __str__(self) -> str:
        return f"search entry of post {self.post_id}"
