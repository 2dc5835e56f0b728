# The review queue of figures extracted from documents, moved here from the former ``ingest``
# app. Its tables keep their names (ingest_extractedfigure, ingest_historicalextractedfigure):
# a database made before the move already holds them, with their rows, and only the state
# moves; a new database gets them created here.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ("HistoricalExtractedFigure", "ExtractedFigure")


def create_tables_unless_present(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in MODELS:
        model = apps.get_model("archive", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)


def drop_tables(apps, schema_editor):
    for name in reversed(MODELS):
        schema_editor.delete_model(apps.get_model("archive", name))


def move_content_types(apps, schema_editor):
    """Permissions and admin log entries point at the content type: move it with the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("historicalextractedfigure", "extractedfigure"):
        if not ContentType.objects.filter(app_label="archive", model=model).exists():
            ContentType.objects.filter(app_label="ingest", model=model).update(app_label="archive")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_initial"),
        ("orgs", "0001_initial"),
        ("progress", "0005_validation_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalExtractedFigure",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "element_code",
                            models.CharField(
                                max_length=128, verbose_name="mã số liệu (như trích ra)"
                            ),
                        ),
                        (
                            "value",
                            models.DecimalField(
                                decimal_places=4, max_digits=20, verbose_name="giá trị"
                            ),
                        ),
                        (
                            "unit",
                            models.CharField(
                                blank=True,
                                max_length=64,
                                verbose_name="đơn vị tính (như văn bản ghi)",
                            ),
                        ),
                        (
                            "scope",
                            models.CharField(
                                blank=True,
                                help_text="Để trống cho tổng.",
                                max_length=255,
                                verbose_name="phân tổ, phạm vi",
                            ),
                        ),
                        (
                            "period_start",
                            models.DateField(blank=True, null=True, verbose_name="từ ngày"),
                        ),
                        (
                            "period_end",
                            models.DateField(blank=True, null=True, verbose_name="đến ngày"),
                        ),
                        ("line", models.PositiveIntegerField(verbose_name="dòng")),
                        ("quote", models.TextField(verbose_name="trích dẫn")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Chờ duyệt"),
                                    ("accepted", "Đã nhận"),
                                    ("rejected", "Đã loại"),
                                ],
                                db_index=True,
                                default="pending",
                                max_length=16,
                                verbose_name="trạng thái",
                            ),
                        ),
                        (
                            "reviewed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="duyệt lúc"),
                        ),
                        (
                            "review_note",
                            models.TextField(blank=True, verbose_name="ghi chú, lý do"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="trích lúc"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "data_value",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="progress.datavalue",
                                verbose_name="giá trị số liệu đã nhận",
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="documents.document",
                                verbose_name="văn bản",
                            ),
                        ),
                        (
                            "element",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="progress.dataelement",
                                verbose_name="loại số liệu",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "org_unit",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Mặc định là đơn vị ban hành văn bản.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="orgs.orgunit",
                                verbose_name="số liệu của đơn vị",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người duyệt",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical số liệu trích từ văn bản",
                        "db_table": "ingest_historicalextractedfigure",
                        "verbose_name_plural": "historical số liệu trích từ văn bản",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="ExtractedFigure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "element_code",
                            models.CharField(
                                max_length=128, verbose_name="mã số liệu (như trích ra)"
                            ),
                        ),
                        (
                            "value",
                            models.DecimalField(
                                decimal_places=4, max_digits=20, verbose_name="giá trị"
                            ),
                        ),
                        (
                            "unit",
                            models.CharField(
                                blank=True,
                                max_length=64,
                                verbose_name="đơn vị tính (như văn bản ghi)",
                            ),
                        ),
                        (
                            "scope",
                            models.CharField(
                                blank=True,
                                help_text="Để trống cho tổng.",
                                max_length=255,
                                verbose_name="phân tổ, phạm vi",
                            ),
                        ),
                        (
                            "period_start",
                            models.DateField(blank=True, null=True, verbose_name="từ ngày"),
                        ),
                        (
                            "period_end",
                            models.DateField(blank=True, null=True, verbose_name="đến ngày"),
                        ),
                        ("line", models.PositiveIntegerField(verbose_name="dòng")),
                        ("quote", models.TextField(verbose_name="trích dẫn")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Chờ duyệt"),
                                    ("accepted", "Đã nhận"),
                                    ("rejected", "Đã loại"),
                                ],
                                db_index=True,
                                default="pending",
                                max_length=16,
                                verbose_name="trạng thái",
                            ),
                        ),
                        (
                            "reviewed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="duyệt lúc"),
                        ),
                        (
                            "review_note",
                            models.TextField(blank=True, verbose_name="ghi chú, lý do"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="trích lúc"),
                        ),
                        (
                            "data_value",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="extracted_figures",
                                to="progress.datavalue",
                                verbose_name="giá trị số liệu đã nhận",
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="extracted_figures",
                                to="documents.document",
                                verbose_name="văn bản",
                            ),
                        ),
                        (
                            "element",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="extracted_figures",
                                to="progress.dataelement",
                                verbose_name="loại số liệu",
                            ),
                        ),
                        (
                            "org_unit",
                            models.ForeignKey(
                                blank=True,
                                help_text="Mặc định là đơn vị ban hành văn bản.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="extracted_figures",
                                to="orgs.orgunit",
                                verbose_name="số liệu của đơn vị",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người duyệt",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ingest_extractedfigure",
                        "verbose_name": "số liệu trích từ văn bản",
                        "verbose_name_plural": "số liệu trích từ văn bản",
                        "ordering": ["document_id", "line", "id"],
                        "indexes": [
                            models.Index(
                                fields=["status", "document"], name="ingest_extr_status_811877_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("document", "element_code", "scope", "line", "value"),
                                name="extractedfigure_unique",
                                violation_error_message="Số liệu này của văn bản đã có trong danh sách trích.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("status", "pending"),
                                    ("reviewed_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="extractedfigure_reviewed_at",
                                violation_error_message="Số liệu đã duyệt phải ghi thời điểm duyệt.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "rejected"), _negated=True),
                                    models.Q(("review_note", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="extractedfigure_rejection_reason",
                                violation_error_message="Loại số liệu thì phải ghi lý do.",
                            ),
                        ],
                    },
                ),
            ]
        ),
        migrations.RunPython(create_tables_unless_present, drop_tables),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
