# Unit stamps also follow explanations, a plan's symbol, a unit's name and the periods stored
# (progress/freshness.py): the dashboard page is cached by them.

from django.db import migrations

from theodoi.progress import freshness


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0014_unit_stamps"),
        ("documents", "0005_searchentry_to_search_app"),
    ]

    operations = [
        migrations.RunPython(freshness.install, migrations.RunPython.noop),
    ]
