"""The lists' indexes on the assignment's own region, and one status in a region for
suggestions; the assignment region's finer histogram, as 0017 gave the suggestion's."""

from django.conf import settings
from django.db import migrations, models

from liaison.pgstats import statistics_target


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0005_i15_duty_records'),
        ('stations', '0002_i15_standards'),
        ('suggestions', '0019_assignment_region'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='assignment',
            name='assignment_open_deadline',
        ),
        migrations.RemoveIndex(
            model_name='assignment',
            name='assignment_sugg_deadline',
        ),
        migrations.RemoveIndex(
            model_name='suggestion',
            name='sugg_region_status',
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['region', 'deadline', 'id'], name='assignment_region_deadline', opclasses=['varchar_pattern_ops', 'date_ops', 'int8_ops']),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(condition=models.Q(('status__in', ('pending', 'signed'))), fields=['region', 'status', 'deadline', 'id'], name='assignment_open_region', opclasses=['varchar_pattern_ops', 'varchar_pattern_ops', 'date_ops', 'int8_ops']),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(condition=models.Q(('status__in', ('pending', 'signed'))), fields=['deadline', 'id'], include=('suggestion', 'region'), name='assignment_open_deadline'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['status', 'region', 'created_at', 'id'], name='sugg_status_region', opclasses=['varchar_pattern_ops', 'varchar_pattern_ops', 'timestamptz_ops', 'int8_ops']),
        ),
        statistics_target("suggestions_assignment", "region_id"),
    ]
