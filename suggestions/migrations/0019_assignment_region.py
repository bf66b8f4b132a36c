"""Assignment.region: the suggestion's region, copied onto each assignment (filled from the
suggestions for the rows that exist), so staff read their region's assignments without a join."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_regions(apps, schema_editor):
    Assignment = apps.get_model("suggestions", "Assignment")
    Suggestion = apps.get_model("suggestions", "Suggestion")
    if schema_editor.connection.vendor == "postgresql":
        # The foreign key is checked now, not at commit: NOT NULL follows in this transaction,
        # and PostgreSQL refuses ALTER TABLE on a table with pending trigger events.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    region = Suggestion.objects.filter(pk=OuterRef("suggestion_id")).values("region_id")[:1]
    Assignment.objects.filter(region__isnull=True).update(region_id=Subquery(region))


class Migration(migrations.Migration):

    dependencies = [
        ("stations", "0002_i15_standards"),
        ("suggestions", "0018_i17_assignment_sugg_deadline"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="region",
            field=models.ForeignKey(
                db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="stations.region", verbose_name="所属区划",
            ),
        ),
        migrations.RunPython(copy_regions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assignment",
            name="region",
            field=models.ForeignKey(
                db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="stations.region", verbose_name="所属区划",
            ),
        ),
    ]
