"""The database's own record of what a stored plan summary no longer reflects.

Every row written to a table that changes what a plan's dashboard counts — a task and its
deadline, a progress update, a figure, an indicator and its target, an adjustment, the plan,
a report's approval, a unit's place in the tree — bumps ``data_version`` (and sets
``data_changed_at``) of the stored summaries of the plans it affects, in the same
transaction, whatever runs the statement: the web, the API, an import, the admin, a shell,
a bulk write. A summary is fresh when ``computed_version`` equals ``data_version``; a reader
recomputes the stale ones (``progress.services.summaries``) and caches are keyed by the
version, never by the clock.

Migrations call :func:`install`. On SQLite a migration that remakes one of these tables drops
its triggers with the old table: it must call :func:`install` again (the freshness tests
would fail otherwise).
"""

from __future__ import annotations

SUMMARY = "progress_plansummary"

# For each table: the plans a row ``R`` affects, as SQL over that row.
PLANS_OF = {
    "plans_plan": "R.id",
    "plans_task": "R.plan_id",
    "plans_indicator": "R.plan_id",
    "plans_planadjustment": "R.plan_id",
    "plans_indicatortarget": "SELECT plan_id FROM plans_indicator WHERE id = R.indicator_id",
    "plans_taskchange": "SELECT plan_id FROM plans_task WHERE id = R.task_id",
    "progress_taskupdate": "SELECT plan_id FROM plans_task WHERE id = R.task_id",
}
# The units at and above the row's unit (the owners of the plans its figure or its report
# counts in), by the parent chain: triggers cannot recurse (SQLite allows no WITH in them), so
# the chain is unrolled to a depth no administrative tree reaches (country, province,
# commune, office, team … is five).
MAX_DEPTH = 10


def _ancestors() -> str:
    parts = ["SELECT R.org_unit_id"]
    for level in range(1, MAX_DEPTH + 1):
        joins = " ".join(
            f"JOIN orgs_orgunit u{n + 1} ON u{n + 1}.id = u{n}.parent_id" for n in range(1, level)
        )
        parts.append(
            f"SELECT u{level}.parent_id FROM orgs_orgunit u1 {joins} WHERE u1.id = R.org_unit_id"
        )
    return " UNION ".join(parts)


UNITS_ABOVE = f"org_unit_id IN ({_ancestors()})"
# A figure counts for the plans owned at or above its unit (a province's plan adds up its
# communes) whose indicators use its element.
FIGURE = (
    UNITS_ABOVE + " AND EXISTS (SELECT 1 FROM plans_indicator i "
    "WHERE i.plan_id = progress_plansummary.plan_id AND (i.data_element_id = R.element_id "
    "OR i.numerator_id = R.element_id OR i.denominator_id = R.element_id))"
)
# A report approved, returned or unlocked changes which of its unit's updates count: for the
# plans its unit leads something in, and those owned at or above it.
SUBMISSION = (
    "plan_id IN (SELECT plan_id FROM plans_task WHERE lead_unit_id = R.org_unit_id "
    "UNION SELECT plan_id FROM plans_indicator WHERE lead_unit_id = R.org_unit_id) OR "
    + UNITS_ABOVE
)
WHERE = {"progress_datavalue": FIGURE, "progress_submission": SUBMISSION}
TABLES = [*PLANS_OF, *WHERE]

NOW = {
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
    "postgresql": "clock_timestamp()",
}


def _mark(table: str, row: str, vendor: str) -> str:
    where = WHERE.get(table) or f"plan_id IN ({PLANS_OF[table]})"
    where = where.replace("R.", f"{row}.")
    return (
        f"UPDATE {SUMMARY} SET data_version = data_version + 1, "
        f"data_changed_at = {NOW[vendor]} WHERE {where}"
    )


def _unit_moved(row_new: str, row_old: str, vendor: str) -> str:
    # a unit moved or renamed its code: the summaries below it follow its new path
    return (
        f"UPDATE {SUMMARY} SET unit_path = {row_new}.path || "
        f"substr(unit_path, length({row_old}.path) + 1), data_version = data_version + 1, "
        f"data_changed_at = {NOW[vendor]} "
        f"WHERE substr(unit_path, 1, length({row_old}.path)) = {row_old}.path"
    )


def _sqlite() -> list[str]:
    sql = []
    for table in TABLES:
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
            name = f"{table}_stale_{event.lower()}"
            body = "; ".join(_mark(table, row, "sqlite") for row in rows)
            sql += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body}; END",
            ]
    sql += [
        "DROP TRIGGER IF EXISTS orgs_orgunit_stale_update",
        "CREATE TRIGGER orgs_orgunit_stale_update AFTER UPDATE OF path ON orgs_orgunit "
        f"WHEN OLD.path <> NEW.path BEGIN {_unit_moved('NEW', 'OLD', 'sqlite')}; END",
    ]
    return sql


def _postgresql() -> list[str]:
    sql = []
    for table in TABLES:
        name = f"{table}_stale"
        sql += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP <> 'DELETE' THEN {_mark(table, 'NEW', 'postgresql')}; END IF; "
            f"IF TG_OP <> 'INSERT' THEN {_mark(table, 'OLD', 'postgresql')}; END IF; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    sql += [
        "CREATE OR REPLACE FUNCTION orgs_orgunit_stale() RETURNS trigger AS $$ BEGIN "
        f"{_unit_moved('NEW', 'OLD', 'postgresql')}; RETURN NULL; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS orgs_orgunit_stale ON orgs_orgunit",
        "CREATE TRIGGER orgs_orgunit_stale AFTER UPDATE OF path ON orgs_orgunit "
        "FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) "
        "EXECUTE FUNCTION orgs_orgunit_stale()",
    ]
    return sql


def _remove(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_stale_{event}"
            for table in TABLES
            for event in ("insert", "update", "delete")
        ] + ["DROP TRIGGER IF EXISTS orgs_orgunit_stale_update"]
    return [
        sql
        for table in [*TABLES, "orgs_orgunit"]
        for sql in (
            f"DROP TRIGGER IF EXISTS {table}_stale ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_stale()",
        )
    ]


def install(apps, schema_editor) -> None:
    """Create (or re-create) the triggers on the connection's database."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _sqlite, "postgresql": _postgresql}.get(vendor, list)()
    for sql in statements:
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor) -> None:
    for sql in _remove(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)
