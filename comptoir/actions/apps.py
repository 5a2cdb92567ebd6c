from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "comptoir.actions"
    label = "actions"
    verbose_name = _("Actions")

    def ready(self) -> None:
        from comptoir.actions.rollups import on_response_rescored
        from comptoir.voice.signals import response_rescored

        # The followed-detractor roll-up follows corrections of the responses it counts.
        response_rescored.connect(on_response_rescored, dispatch_uid="actions_followed_rollup")
