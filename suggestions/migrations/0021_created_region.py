# The lists' newest-first walk across regions from the index alone (docs/benchmarks.md "Scale").

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0006_deputy_region_search'),
        ('stations', '0002_i15_standards'),
        ('suggestions', '0020_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='suggestion',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='提交时间'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['created_at', 'id'], include=('region',), name='sugg_created_region'),
        ),
    ]
