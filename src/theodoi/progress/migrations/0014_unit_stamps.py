# Units carry a stamp the database sets again on every write that changes their roll-up
# beyond the plan summaries (progress/freshness.py): the roll-up's cached part is keyed by it.

from django.db import migrations, models

from theodoi.progress import freshness


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0013_datavalue_period_rollup_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitStamp",
            fields=[
                (
                    "unit_id",
                    models.BigIntegerField(
                        primary_key=True, serialize=False, verbose_name="mã số đơn vị"
                    ),
                ),
                ("stamp", models.BigIntegerField(default=0, verbose_name="dấu thay đổi")),
            ],
            options={
                "verbose_name": "dấu thay đổi dữ liệu của đơn vị",
                "verbose_name_plural": "dấu thay đổi dữ liệu của đơn vị",
            },
        ),
        migrations.RunPython(freshness.install, freshness.remove_stamps),
        migrations.RunPython(freshness.stamp_every_unit, migrations.RunPython.noop),
    ]
