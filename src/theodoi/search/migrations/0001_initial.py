# The search index, moved here from the documents app with its table (documents_searchentry),
# which migration documents 0004 made with its FTS5 table and triggers (SQLite) or its
# full-text and trigram indexes (PostgreSQL). Only the state moves.

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="search", model="searchentry").exists():
        ContentType.objects.filter(app_label="documents", model="searchentry").update(
            app_label="search"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0005_searchentry_to_search_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("document", "Văn bản"),
                                    ("task", "Nhiệm vụ"),
                                    ("indicator", "Chỉ tiêu"),
                                ],
                                max_length=16,
                                verbose_name="loại",
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField(verbose_name="mã đối tượng")),
                        ("title", models.TextField(verbose_name="tiêu đề")),
                        ("body", models.TextField(blank=True, verbose_name="nội dung")),
                        ("folded", models.TextField(blank=True, verbose_name="nội dung không dấu")),
                        ("keys", models.TextField(blank=True, verbose_name="khóa tìm kiếm")),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="cập nhật lúc"),
                        ),
                    ],
                    options={
                        "verbose_name": "mục tìm kiếm",
                        "verbose_name_plural": "mục tìm kiếm",
                        "db_table": "documents_searchentry",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "object_id"),
                                name="searchentry_unique",
                                violation_error_message="Đối tượng này đã có trong chỉ mục tìm kiếm.",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
