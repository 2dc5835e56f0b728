# The freshness triggers mark only what a row can change (progress/freshness.py): a figure
# its own unit's plans, a report's approval the plans its figures count in, drafts nothing;
# a period whose dates move marks the periods it overlaps. Summaries stored before versions
# existed are marked stale once.

from django.db import migrations

from theodoi.progress import freshness


class Migration(migrations.Migration):
    dependencies = [("progress", "0011_plan_summary_versions")]

    operations = [
        migrations.RunPython(freshness.install, migrations.RunPython.noop),
        migrations.RunSQL(
            "UPDATE progress_plansummary SET data_version = computed_version + 1 "
            "WHERE data_version = 0 AND computed_version = 0",
            migrations.RunSQL.noop,
        ),
    ]
