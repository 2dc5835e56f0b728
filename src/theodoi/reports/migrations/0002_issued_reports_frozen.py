# The register made trustworthy: one issued report per unit, period and kind (another for the
# same period replaces it and names it), symbols unique per issuer and year, and triggers that
# refuse any UPDATE or DELETE of an issued row at the database level (reports/frozen.py).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from theodoi.reports import frozen


def chain_duplicates(apps, schema_editor):
    """A database from before this migration may hold two issued reports for one unit and
    period (nothing forbade it): the later one becomes the replacement of the earlier, so the
    register keeps both, the earlier shown as replaced, and the new rule can hold."""
    Report = apps.get_model("reports", "Report")
    groups: dict[tuple, list] = {}
    for report in Report.objects.filter(state="issued").order_by("issued_on", "id"):
        groups.setdefault((report.org_unit_id, report.period_id), []).append(report)
    for reports in groups.values():
        for earlier, later in zip(reports, reports[1:], strict=False):
            if later.corrects_id is None:
                Report.objects.filter(pk=later.pk).update(corrects=earlier.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("progress", "0007_dataelement_value_type"),
        ("reports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="report",
            name="issued_number_unique",
        ),
        migrations.AddField(
            model_name="historicalreport",
            name="kind",
            field=models.CharField(
                choices=[("periodic", "Báo cáo định kỳ")],
                default="periodic",
                max_length=32,
                verbose_name="loại báo cáo",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="kind",
            field=models.CharField(
                choices=[("periodic", "Báo cáo định kỳ")],
                default="periodic",
                max_length=32,
                verbose_name="loại báo cáo",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreport",
            name="corrects",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reports.report",
                verbose_name="thay thế báo cáo",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="corrects",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrections",
                to="reports.report",
                verbose_name="thay thế báo cáo",
            ),
        ),
        migrations.RunPython(frozen.remove, migrations.RunPython.noop),
        migrations.RunPython(chain_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "issued")),
                fields=("org_unit", "register_year", "symbol"),
                name="issued_symbol_unique",
                violation_error_message="Số, ký hiệu này đã dùng cho báo cáo khác trong năm.",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("corrects__isnull", True), ("state", "issued")),
                fields=("org_unit", "period", "kind"),
                name="one_issued_report_per_period",
                violation_error_message="Kỳ này đã có báo cáo ban hành; báo cáo khác phải là báo cáo thay thế.",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "issued")),
                fields=("corrects",),
                name="one_replacement_per_report",
                violation_error_message="Báo cáo này đã được thay thế bởi một báo cáo khác.",
            ),
        ),
        migrations.RunPython(frozen.install, frozen.remove),
    ]
