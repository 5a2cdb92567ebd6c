"""The lists' indexes: drop the single-column foreign-key indexes that a composite index already
leads with, and add a partial index of open actions for customer relations' "open" filters.

The foreign keys change only in the state (db_index=False); the database just drops each index by
its name. A plain AlterField would rebuild the whole actions table on SQLite, once per field.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COLUMNS = ("account_id", "assignee_id", "author_id", "kind_id", "region_id", "response_id", "team_id", "unit_id")


def _names(schema_editor: Any, model: Any) -> list[str]:
    return [schema_editor._create_index_name(model._meta.db_table, [column]) for column in COLUMNS]


def drop_indexes(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("actions", "Action")
    for name in _names(schema_editor, model):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_indexes(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("actions", "Action")
    table = schema_editor.quote_name(model._meta.db_table)
    for column, name in zip(COLUMNS, _names(schema_editor, model), strict=True):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON {table} ({schema_editor.quote_name(column)})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_response_link"),
        ("customers", "0001_initial"),
        ("org", "0002_roles"),
        ("voice", "0003_rollup_shapes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="action",
                    name="account",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="actions", to="customers.account", verbose_name="account"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="assignee",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="actions_assigned", to=settings.AUTH_USER_MODEL, verbose_name="addressee"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="author",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="actions_written", to=settings.AUTH_USER_MODEL, verbose_name="author"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="kind",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="actions", to="actions.actionkind", verbose_name="kind"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="region",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.region"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="response",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="actions", to="voice.response", verbose_name="survey response"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="team",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="actions", to="org.team", verbose_name="team"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="unit",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.orgunit"),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(condition=models.Q(("status__in", ("open", "in_progress"))), fields=["-created_at", "-id"], name="action_open_idx"),
        ),
    ]
