from django.db import migrations

KINDS = [
    ("call_back", "Rappeler le client", "Call the customer back", 1),
    ("visit", "Rendre visite", "Visit the customer", 2),
    ("delivery", "Régler un problème de livraison", "Fix a delivery problem", 3),
    ("promotion", "Expliquer une promotion", "Explain a promotion", 4),
    ("other", "Autre", "Other", 9),
]


def seed(apps, schema_editor):
    ActionKind = apps.get_model("actions", "ActionKind")
    for code, name, name_en, rank in KINDS:
        ActionKind.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "rank": rank})
    ClosedLoopSettings = apps.get_model("actions", "ClosedLoopSettings")
    if not ClosedLoopSettings.objects.exists():
        ClosedLoopSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
