# Unit stamps also follow a source document's name (type, symbol, date), which a figure's
# provenance shows (progress/freshness.py): the triggers are installed again.

from django.db import migrations

from theodoi.progress import freshness


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0015_unit_stamps_for_pages"),
    ]

    operations = [
        migrations.RunPython(freshness.install, migrations.RunPython.noop),
    ]
