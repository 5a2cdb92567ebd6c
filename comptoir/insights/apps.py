from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "comptoir.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from comptoir.core.signals import person_acted
        from comptoir.insights.activity import on_person_acted

        person_acted.connect(on_person_acted, dispatch_uid="insights.on_person_acted")

        from django.conf import settings
        from django.db.models.signals import post_save

        from comptoir.core.signals import reporting_lines_changed
        from comptoir.insights.hierarchy import on_person_saved, on_reporting_lines_changed

        reporting_lines_changed.connect(
            on_reporting_lines_changed, dispatch_uid="insights.on_reporting_lines_changed"
        )

        post_save.connect(
            on_person_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="insights.on_person_saved"
        )
