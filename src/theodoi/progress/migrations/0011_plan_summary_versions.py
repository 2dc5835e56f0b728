# Stored plan summaries carry versions that the database bumps (progress/freshness.py).

from django.db import migrations, models

from theodoi.progress import freshness


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0010_historicalremindersetting_remindersetting"),
        ("plans", "0004_task_changes"),
        ("orgs", "0002_historicalprofile_profile"),
    ]

    operations = [
        migrations.AddField(
            model_name="plansummary",
            name="computed_version",
            field=models.PositiveBigIntegerField(default=0, verbose_name="phiên bản đã tính"),
        ),
        migrations.AddField(
            model_name="plansummary",
            name="data_changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dữ liệu đổi lúc"),
        ),
        migrations.AddField(
            model_name="plansummary",
            name="data_version",
            field=models.PositiveBigIntegerField(default=0, verbose_name="phiên bản dữ liệu"),
        ),
        # the database marks summaries stale on every write that changes what a plan counts
        migrations.RunPython(freshness.install, freshness.remove),
    ]
