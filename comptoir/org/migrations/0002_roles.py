"""The roles shipped with the product, as data an admin can change afterwards."""

from django.db import migrations

ROLES = {
    "rep": ("Commercial terrain", "Sales rep"),
    "manager": ("Responsable régional des ventes", "Regional sales manager"),
    "director": ("Directeur commercial", "Sales director"),
    "kam": ("Responsable grands comptes", "Key-account manager"),
    "hq": ("Siège / opérations commerciales", "HQ / sales operations"),
    "cr_agent": ("Chargé de relation client", "Customer-relations agent"),
    "admin": ("Administrateur", "Administrator"),
}


def create_roles(apps, schema_editor):
    from comptoir.core.permissions import DEFAULT_ROLE_CAPABILITIES

    Role = apps.get_model("org", "Role")
    for code, (name, name_en) in ROLES.items():
        Role.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "capabilities": [c.value for c in DEFAULT_ROLE_CAPABILITIES[code]]},
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
