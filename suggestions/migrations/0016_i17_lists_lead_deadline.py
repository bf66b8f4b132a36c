# Issue 17 (lists): the lead deadline stored on the suggestion, and the partial index for `overdue`.

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery


def backfill(apps, schema_editor):
    """One set-based UPDATE: each suggestion's active (not returned) lead assignment's deadline."""
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Assignment = apps.get_model("suggestions", "Assignment")
    lead = Assignment.objects.filter(suggestion=OuterRef("pk"), role="lead").exclude(status="returned")
    Suggestion.objects.filter(Exists(lead)).update(lead_deadline=Subquery(lead.values("deadline")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0005_i15_duty_records'),
        ('stations', '0002_i15_standards'),
        ('suggestions', '0015_i17_stats_ledger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='suggestion',
            name='lead_deadline',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='主办期限'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('status__in', ['assigned', 'handling'])), fields=['region', 'lead_deadline'], include=['id'], name='sugg_open_lead_deadline', opclasses=['varchar_pattern_ops', 'date_ops']),
        ),
    ]
