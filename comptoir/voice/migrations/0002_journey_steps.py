"""The usual journey of a food-service customer, as data an admin can then change."""

from django.db import migrations

STEPS = [
    ("order", "Commande", "Order", "passer ma commande", "place my order"),
    ("delivery", "Livraison", "Delivery", "recevoir ma livraison", "receive my delivery"),
    (
        "installation",
        "Installation de machine",
        "Machine installation",
        "faire installer ma machine",
        "get my machine installed",
    ),
    ("promotion", "Promotion / remise", "Promotion / rebate", "bénéficier de ma remise", "get my rebate"),
    ("click_collect", "Click & collect", "Click and collect", "retirer ma commande", "collect my order"),
    ("customer_service", "Service client", "Customer service", "régler ma demande", "get my request solved"),
    ("invoicing", "Facturation", "Invoicing", "comprendre ma facture", "understand my invoice"),
]


def seed(apps, schema_editor):
    JourneyStep = apps.get_model("voice", "JourneyStep")
    for rank, (code, name, name_en, phrase, phrase_en) in enumerate(STEPS):
        JourneyStep.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "rank": rank,
                "effort_phrase": phrase,
                "effort_phrase_en": phrase_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
