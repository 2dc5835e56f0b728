"""The database's own guard of the register: an issued report's row — its content and its
files — can be neither updated nor deleted, whatever runs the statement (the app, the admin,
``Report.objects.filter(…).update(…)``, a shell). Migrations call :func:`install`; on SQLite
a migration that remakes the table must call it again (Django drops triggers with the old
table)."""

from __future__ import annotations

MESSAGE = (
    "Báo cáo đã ban hành không được sửa hay xóa (kể cả tệp của báo cáo); "
    "hãy ban hành báo cáo thay thế."
)
TABLE = "reports_report"

SQLITE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_issued_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_issued_no_delete",
    f"CREATE TRIGGER {TABLE}_issued_no_update BEFORE UPDATE ON {TABLE} "
    f"WHEN OLD.state = 'issued' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER {TABLE}_issued_no_delete BEFORE DELETE ON {TABLE} "
    f"WHEN OLD.state = 'issued' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
POSTGRESQL = [
    f"CREATE OR REPLACE FUNCTION {TABLE}_issued_frozen() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
    "END; $$ LANGUAGE plpgsql",
    f"DROP TRIGGER IF EXISTS {TABLE}_issued_frozen ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_issued_frozen BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW WHEN (OLD.state = 'issued') EXECUTE FUNCTION {TABLE}_issued_frozen()",
]
REMOVE = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_issued_no_update",
        f"DROP TRIGGER IF EXISTS {TABLE}_issued_no_delete",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_issued_frozen ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {TABLE}_issued_frozen()",
    ],
}


SCAN_TABLE = "reports_signedscan"
SCAN_MESSAGE = "Bản quét báo cáo đã ký được lưu nguyên như khi tải lên, không sửa, không xóa."
SCAN = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {SCAN_TABLE}_no_update",
        f"DROP TRIGGER IF EXISTS {SCAN_TABLE}_no_delete",
        f"CREATE TRIGGER {SCAN_TABLE}_no_update BEFORE UPDATE ON {SCAN_TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{SCAN_MESSAGE}'); END",
        f"CREATE TRIGGER {SCAN_TABLE}_no_delete BEFORE DELETE ON {SCAN_TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{SCAN_MESSAGE}'); END",
    ],
    "postgresql": [
        f"CREATE OR REPLACE FUNCTION {SCAN_TABLE}_frozen() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{SCAN_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END; $$ LANGUAGE plpgsql",
        f"DROP TRIGGER IF EXISTS {SCAN_TABLE}_frozen ON {SCAN_TABLE}",
        f"CREATE TRIGGER {SCAN_TABLE}_frozen BEFORE UPDATE OR DELETE ON {SCAN_TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {SCAN_TABLE}_frozen()",
    ],
}
SCAN_REMOVE = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {SCAN_TABLE}_no_update",
        f"DROP TRIGGER IF EXISTS {SCAN_TABLE}_no_delete",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {SCAN_TABLE}_frozen ON {SCAN_TABLE}",
        f"DROP FUNCTION IF EXISTS {SCAN_TABLE}_frozen()",
    ],
}


def install_scan(apps, schema_editor) -> None:
    """A signed scan, once stored, is kept as uploaded: no UPDATE, no DELETE."""
    for sql in SCAN.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def remove_scan(apps, schema_editor) -> None:
    for sql in SCAN_REMOVE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor) -> None:
    """Create (or create again) the triggers on the database in use."""
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(
        schema_editor.connection.vendor, []
    ):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor) -> None:
    for sql in REMOVE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)
