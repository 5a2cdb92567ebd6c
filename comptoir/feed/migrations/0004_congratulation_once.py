"""One congratulation per person and post.

A database that already holds repeated congratulations keeps the first of each (the others said the
same thing again) and the posts' counters are set to what remains, before the constraint is added."""

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Min


def keep_the_first_of_each(apps: Any, schema_editor: Any) -> None:
    Congratulation = apps.get_model("feed", "Congratulation")
    Post = apps.get_model("feed", "Post")
    repeated = (
        Congratulation.objects.values("post_id", "by_id")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    touched = set()
    for row in list(repeated):
        Congratulation.objects.filter(post_id=row["post_id"], by_id=row["by_id"]).exclude(
            pk=row["first"]
        ).delete()
        touched.add(row["post_id"])
    for post_id in touched:
        Post.objects.filter(pk=post_id).update(
            congratulation_count=Congratulation.objects.filter(post_id=post_id).count()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("feed", "0003_search_engine"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep_the_first_of_each, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="congratulation",
            constraint=models.UniqueConstraint(fields=("post", "by"), name="feed_congrats_once"),
        ),
    ]
