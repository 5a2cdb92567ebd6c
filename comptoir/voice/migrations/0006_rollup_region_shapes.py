"""Three more partial roll-up cubes for the dashboard filtered by region: step × region, region ×
segment and step × region × segment (before, its step and segment breakdowns read the full cube).
They are sums of the full cube, so existing cells are derived from it in SQL, without reading a
single response."""

from typing import Any

from django.db import migrations

DIMS = ("step_key", "unit_key", "region_key", "segment_key", "team_key")
MEASURES = (
    "responses",
    "promoters",
    "passives",
    "detractors",
    "ces_count",
    "ces_sum",
    "ces_easy",
    "comments",
)
NEW_SHAPES = (0b00101, 0b01100, 0b01101)
FULL = 0b11111


def derive(apps: Any, schema_editor: Any) -> None:
    table = apps.get_model("voice", "Rollup")._meta.db_table
    for shape in NEW_SHAPES:
        kept = [d for i, d in enumerate(DIMS) if shape >> i & 1]
        select_dims = ", ".join(d if d in kept else "-1" for d in DIMS)
        sums = ", ".join(f"SUM({m})" for m in MEASURES)
        group = ", ".join(["grain", "start", *kept])
        schema_editor.execute(
            f"INSERT INTO {table} (grain, start, {', '.join(DIMS)}, shape, {', '.join(MEASURES)}) "  # noqa: S608
            f"SELECT grain, start, {select_dims}, {shape}, {sums} FROM {table} "
            f"WHERE shape = {FULL} GROUP BY {group}"
        )


def underive(apps: Any, schema_editor: Any) -> None:
    apps.get_model("voice", "Rollup").objects.filter(shape__in=NEW_SHAPES).delete()


class Migration(migrations.Migration):
    dependencies = [("voice", "0005_rollup_effort_priority_shapes")]

    operations = [migrations.RunPython(derive, underive)]
