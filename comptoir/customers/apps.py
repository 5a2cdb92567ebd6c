from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "comptoir.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        # A cache, not a domain side effect: the account list's cached menus are forgotten when a
        # unit, region or segment changes, wherever it is changed (admin, import, shell).
        from django.db.models.signals import post_delete, post_save

        from comptoir.customers.models import Segment
        from comptoir.customers.selectors import forget_filter_menus
        from comptoir.org.models import OrgUnit, Region

        for model in (OrgUnit, Region, Segment):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(forget_filter_menus, sender=model, dispatch_uid=f"customers-menus-{name}-{model.__name__}")
