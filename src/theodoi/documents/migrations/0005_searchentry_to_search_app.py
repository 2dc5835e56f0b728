# SearchEntry moves to the search app (theodoi.search), which searches tasks and indicators as
# well as documents. Only the state moves: the table, its rows, its FTS5 table and triggers
# (SQLite) or its full-text and trigram indexes (PostgreSQL) stay as migration 0004 made them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_searchentry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SearchEntry")],
        ),
    ]
