from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "comptoir.feed"
    label = "feed"
    verbose_name = _("Field feed")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from comptoir.core.models import PracticeTopic
        from comptoir.feed.taxonomy import forget
        from comptoir.org.models import OrgUnit, Region, Team

        # Not domain logic: the process-local copy of the taxonomy is dropped when it changes.
        for model in (PracticeTopic, OrgUnit, Region, Team):
            post_save.connect(forget, sender=model, dispatch_uid=f"feed-taxonomy-{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"feed-taxonomy-del-{model.__name__}")
