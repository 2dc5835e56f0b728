"""The database's own record of what a stored plan summary no longer reflects.

Every row written to a table that changes what a plan's dashboard counts — a task and its
deadline, a progress update, a figure, an indicator and its target, an adjustment, the plan,
a report's approval, a unit's place in the tree — bumps ``data_version`` (and sets
``data_changed_at``) of the stored summaries of the plans it affects, in the same
transaction, whatever runs the statement: the web, the API, an import, the admin, a shell,
a bulk write. A summary is fresh when ``computed_version`` equals ``data_version``; a reader
recomputes the stale ones (``progress.services.summaries``) and caches are keyed by the
version, never by the clock.

What a roll-up or a dashboard says of a unit beyond its plans' summaries — its figures
summed, who reported and when, how many plans, who is expected to report, its explanations,
its name, the name of a plan's document or of a figure's source — is stamped the same way:
every such write sets a new random stamp on the units it affects (``progress.models.UnitStamp``);
the roll-up's cached part is keyed by its subtree's stamps (``selectors.rollup``), a kept
dashboard and a kept API summary by the stamps of every unit their reader may name
(``selectors.rollup.reader_stamp``).

Migrations call :func:`install`. On SQLite a migration that remakes one of these tables drops
its triggers with the old table: it must call :func:`install` again (the freshness tests
would fail otherwise).
"""

from __future__ import annotations

from typing import Any

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
# A figure counts for the plans its unit owns whose indicators use its element (a plan reads
# its owner's own figures: ``selectors.tasks._indicator_values``).
FIGURE = (
    "org_unit_id = R.org_unit_id AND EXISTS (SELECT 1 FROM plans_indicator i "
    "WHERE i.plan_id = progress_plansummary.plan_id AND (i.data_element_id = R.element_id "
    "OR i.numerator_id = R.element_id OR i.denominator_id = R.element_id))"
)
# A report approved, or no longer approved, changes which figures it sent count (a figure
# counts once its reporting unit's report of the period is approved): for the plans of the
# units those figures are of. (Its task updates change state row by row: their own trigger.)
SUBMISSION = (
    "org_unit_id IN (SELECT v.org_unit_id FROM progress_datavalue v "
    "WHERE v.reporting_unit_id = R.org_unit_id AND v.period_id = R.period_id)"
)
WHERE = {"progress_datavalue": FIGURE, "progress_submission": SUBMISSION}
TABLES = [*PLANS_OF, *WHERE]
# Rows that cannot change a count are left alone: only an approved update counts, and only an
# approved report makes figures count. A condition on a row ``R``; an update marks when the
# row meets it before or after.
WHEN = {
    "progress_taskupdate": "R.state = 'approved'",
    "progress_submission": "R.state = 'approved'",
}
# and for an update, what must have changed (SQLite's IS NOT is PostgreSQL's IS DISTINCT FROM)
CHANGED = {"progress_submission": "OLD.state IS DISTINCT FROM NEW.state"}

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


def _when(table: str, event: str, vendor: str) -> str:
    """The condition (SQL, or "") under which a row of ``table`` marks on ``event``."""
    condition = WHEN.get(table)
    parts = []
    if condition and event == "INSERT":
        parts.append(condition.replace("R.", "NEW."))
    elif condition and event == "DELETE":
        parts.append(condition.replace("R.", "OLD."))
    elif condition:
        parts.append(f"({condition.replace('R.', 'NEW.')} OR {condition.replace('R.', 'OLD.')})")
    if event == "UPDATE" and table in CHANGED:
        changed = CHANGED[table]
        parts.append(
            changed.replace("IS DISTINCT FROM", "IS NOT") if vendor == "sqlite" else changed
        )
    return " AND ".join(parts)


# A period's dates moved: what every plan counts in it and after it may change (rare: an
# administrator correcting a custom period).
PERIOD_MOVED = (
    f"UPDATE {SUMMARY} SET data_version = data_version + 1, data_changed_at = {{now}} "
    'WHERE period_id IN (SELECT id FROM progress_period WHERE "end" >= {row}.start)'
)


def _unit_moved(row_new: str, row_old: str, vendor: str) -> str:
    # a unit moved or renamed its code: the summaries below it follow its new path
    return (
        f"UPDATE {SUMMARY} SET unit_path = {row_new}.path || "
        f"substr(unit_path, length({row_old}.path) + 1), data_version = data_version + 1, "
        f"data_changed_at = {NOW[vendor]} "
        f"WHERE substr(unit_path, 1, length({row_old}.path)) = {row_old}.path"
    )


EVENTS = {"INSERT": "ins", "UPDATE": "upd", "DELETE": "del"}
# the rows a trigger of each event sees
ROWS = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}


def _row_triggers_sqlite(family: str, tables: Any, statement: Any, when: Any) -> list[str]:
    """For each table and event, the trigger ``{table}_{family}_{event}``: ``statement(table,
    row)`` for each row the event has, when ``when(table, event)`` holds ("" for always)."""
    sql = []
    for table in tables:
        for event, rows in ROWS.items():
            name = f"{table}_{family}_{event.lower()}"
            body = "; ".join(statement(table, row) for row in rows)
            condition = when(table, event)
            sql += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"{'WHEN ' + condition + ' ' if condition else ''}BEGIN {body}; END",
            ]
    return sql


def _row_triggers_postgresql(family: str, tables: Any, statement: Any, when: Any) -> list[str]:
    """As :func:`_row_triggers_sqlite`: one function ``{table}_{family}()`` per table, run by a
    trigger per event, ``{table}_{family}_{ins|upd|del}``."""
    sql = []
    for table in tables:
        name = f"{table}_{family}"
        sql += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP <> 'DELETE' THEN {statement(table, 'NEW')}; END IF; "
            f"IF TG_OP <> 'INSERT' THEN {statement(table, 'OLD')}; END IF; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
        ]
        for event, suffix in EVENTS.items():
            condition = when(table, event)
            sql += [
                f"DROP TRIGGER IF EXISTS {name}_{suffix} ON {table}",
                f"CREATE TRIGGER {name}_{suffix} AFTER {event} ON {table} FOR EACH ROW "
                f"{'WHEN (' + condition + ') ' if condition else ''}EXECUTE FUNCTION {name}()",
            ]
    return sql


def _row_triggers(vendor: str, family: str, tables: Any, statement: Any, when: Any) -> list[str]:
    """The row triggers of ``family`` on ``vendor``'s database: ``statement(table, row,
    vendor)`` for each row an event has, when ``when(table, event, vendor)`` holds."""
    generate = {"sqlite": _row_triggers_sqlite, "postgresql": _row_triggers_postgresql}[vendor]
    return generate(
        family,
        tables,
        lambda table, row: statement(table, row, vendor),
        lambda table, event: when(table, event, vendor),
    )


def _sqlite() -> list[str]:
    sql = _row_triggers("sqlite", "stale", TABLES, _mark, _when)
    now = NOW["sqlite"]
    sql += [
        "DROP TRIGGER IF EXISTS orgs_orgunit_stale_update",
        "CREATE TRIGGER orgs_orgunit_stale_update AFTER UPDATE OF path ON orgs_orgunit "
        f"WHEN OLD.path <> NEW.path BEGIN {_unit_moved('NEW', 'OLD', 'sqlite')}; END",
        "DROP TRIGGER IF EXISTS progress_period_stale_update",
        'CREATE TRIGGER progress_period_stale_update AFTER UPDATE OF start, "end" '
        'ON progress_period WHEN OLD.start IS NOT NEW.start OR OLD."end" IS NOT NEW."end" '
        f"BEGIN {PERIOD_MOVED.format(now=now, row='OLD')}; "
        f"{PERIOD_MOVED.format(now=now, row='NEW')}; END",
    ]
    return sql


def _postgresql() -> list[str]:
    sql = _row_triggers("postgresql", "stale", TABLES, _mark, _when)
    now = NOW["postgresql"]
    sql += [
        "CREATE OR REPLACE FUNCTION orgs_orgunit_stale() RETURNS trigger AS $$ BEGIN "
        f"{_unit_moved('NEW', 'OLD', 'postgresql')}; RETURN NULL; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS orgs_orgunit_stale ON orgs_orgunit",
        "CREATE TRIGGER orgs_orgunit_stale AFTER UPDATE OF path ON orgs_orgunit "
        "FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path) "
        "EXECUTE FUNCTION orgs_orgunit_stale()",
        "CREATE OR REPLACE FUNCTION progress_period_stale() RETURNS trigger AS $$ BEGIN "
        f"{PERIOD_MOVED.format(now=now, row='OLD')}; {PERIOD_MOVED.format(now=now, row='NEW')}; "
        "RETURN NULL; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS progress_period_stale ON progress_period",
        'CREATE TRIGGER progress_period_stale AFTER UPDATE OF start, "end" ON progress_period '
        'FOR EACH ROW WHEN (OLD.start IS DISTINCT FROM NEW.start OR OLD."end" IS DISTINCT FROM '
        'NEW."end") EXECUTE FUNCTION progress_period_stale()',
    ]
    return sql


def _remove(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_stale_{event}"
            for table in TABLES
            for event in ("insert", "update", "delete")
        ] + [
            "DROP TRIGGER IF EXISTS orgs_orgunit_stale_update",
            "DROP TRIGGER IF EXISTS progress_period_stale_update",
        ]
    return [
        sql
        for table in [*TABLES, "orgs_orgunit", "progress_period"]
        for sql in (
            *(f"DROP TRIGGER IF EXISTS {table}_stale_{s} ON {table}" for s in EVENTS.values()),
            f"DROP TRIGGER IF EXISTS {table}_stale ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_stale()",
        )
    ]


# -- unit stamps: what a roll-up says of a unit beyond its plans' summaries -------------------

STAMPS = "progress_unitstamp"
# For each table: the units whose roll-up a row ``R`` changes (its figures summed, who
# reported and when, how many plans, who is expected to report), as a SELECT of one column.
UNITS_OF = {
    # a figure: the unit it is of and the unit that sent it
    "progress_datavalue": "SELECT R.org_unit_id AS u UNION SELECT R.reporting_unit_id",
    # a report: its unit, and the units of the figures it sent (they count once approved)
    "progress_submission": (
        "SELECT R.org_unit_id AS u UNION SELECT v.org_unit_id FROM progress_datavalue v "
        "WHERE v.reporting_unit_id = R.org_unit_id AND v.period_id = R.period_id"
    ),
    "plans_plan": "SELECT R.owner_unit_id AS u",
    # a unit leading a task or an indicator is expected to report
    "plans_task": "SELECT R.lead_unit_id AS u",
    "plans_indicator": "SELECT R.lead_unit_id AS u",
    # a unit added, removed, moved or renamed: the subtrees it leaves and joins, the lists
    # that name it
    "orgs_orgunit": "SELECT R.id AS u",
    # an explanation asked or answered (the dashboard lists them)
    "progress_explanation": "SELECT R.org_unit_id AS u",
    # a document's name — its type, symbol, date: the plan it issues (the dashboard's choice
    # of plan) and the figures it is the source of (their provenance names it)
    "documents_document": (
        "SELECT owner_unit_id AS u FROM plans_plan WHERE document_id = R.id "
        "UNION SELECT org_unit_id FROM progress_datavalue WHERE source_document_id = R.id"
    ),
}
# an update stamps only when one of these changed
UNITS_CHANGED = {
    "plans_plan": "OLD.owner_unit_id IS DISTINCT FROM NEW.owner_unit_id",
    "plans_task": "OLD.lead_unit_id IS DISTINCT FROM NEW.lead_unit_id",
    "plans_indicator": "OLD.lead_unit_id IS DISTINCT FROM NEW.lead_unit_id",
    "orgs_orgunit": "OLD.path IS DISTINCT FROM NEW.path OR OLD.name IS DISTINCT FROM NEW.name",
    "documents_document": (
        "OLD.symbol IS DISTINCT FROM NEW.symbol OR OLD.doc_type IS DISTINCT FROM NEW.doc_type "
        "OR OLD.issued_on IS DISTINCT FROM NEW.issued_on"
    ),
}
# Rare changes that change every unit's roll-up or page (an element's code or unit, a
# period stored, removed or its dates moved): every stamp is set again. By event, the
# condition an update must meet ("" for any).
EVERY_UNIT = {
    "progress_dataelement": {"UPDATE": ""},
    "progress_period": {
        "INSERT": "",
        "DELETE": "",
        "UPDATE": 'OLD.start IS DISTINCT FROM NEW.start OR OLD."end" IS DISTINCT FROM NEW."end"',
    },
}
# a new random stamp (not a counter: see progress.models.UnitStamp)
STAMP = {
    "sqlite": "abs(random()) % 2147483647",
    "postgresql": "floor(random() * 2147483647)::bigint",
}


def _stamp(table: str, row: str, vendor: str) -> str:
    units = UNITS_OF[table].replace("R.", f"{row}.")
    return (
        f"INSERT INTO {STAMPS} (unit_id, stamp) SELECT u, {STAMP[vendor]} FROM ({units}) AS "
        "changed WHERE u IS NOT NULL ON CONFLICT (unit_id) DO UPDATE SET stamp = excluded.stamp"
    )


def _sqlite_condition(condition: str) -> str:
    return condition.replace("IS DISTINCT FROM", "IS NOT")


def _stamps_when(table: str, event: str, vendor: str) -> str:
    condition = UNITS_CHANGED.get(table, "") if event == "UPDATE" else ""
    return _sqlite_condition(condition) if vendor == "sqlite" else condition


def _stamps_sqlite() -> list[str]:
    sql = _row_triggers("sqlite", "stamp", UNITS_OF, _stamp, _stamps_when)
    for table, events in EVERY_UNIT.items():
        for event, condition in events.items():
            name = f"{table}_stamp_{event.lower()}"
            when = _sqlite_condition(condition)
            sql += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"{'WHEN ' + when + ' ' if when else ''}"
                f"BEGIN UPDATE {STAMPS} SET stamp = {STAMP['sqlite']}; END",
            ]
    return sql


def _stamps_postgresql() -> list[str]:
    sql = _row_triggers("postgresql", "stamp", UNITS_OF, _stamp, _stamps_when)
    for table, events in EVERY_UNIT.items():
        name = f"{table}_stamp"
        sql.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
            f"UPDATE {STAMPS} SET stamp = {STAMP['postgresql']}; RETURN NULL; END; "
            "$$ LANGUAGE plpgsql"
        )
        for event, condition in events.items():
            suffix = EVENTS[event]
            sql += [
                f"DROP TRIGGER IF EXISTS {name}_{suffix} ON {table}",
                f"CREATE TRIGGER {name}_{suffix} AFTER {event} ON {table} FOR EACH ROW "
                f"{'WHEN (' + condition + ') ' if condition else ''}EXECUTE FUNCTION {name}()",
            ]
    return sql


def _stamps_remove(vendor: str) -> list[str]:
    tables = [*UNITS_OF, *EVERY_UNIT]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_stamp_{event}"
            for table in tables
            for event in ("insert", "update", "delete")
        ]
    return [
        sql
        for table in tables
        for sql in (
            *(f"DROP TRIGGER IF EXISTS {table}_stamp_{s} ON {table}" for s in EVENTS.values()),
            f"DROP FUNCTION IF EXISTS {table}_stamp()",
        )
    ]


def install(apps, schema_editor) -> None:
    """Create (or re-create) the triggers on the connection's database: the summaries' marks,
    and the units' stamps once their table exists (migration 0014 on)."""
    connection = schema_editor.connection
    vendor = connection.vendor
    statements = {"sqlite": _sqlite, "postgresql": _postgresql}.get(vendor, list)()
    if STAMPS in connection.introspection.table_names():
        statements += {"sqlite": _stamps_sqlite, "postgresql": _stamps_postgresql}.get(
            vendor, list
        )()
    for sql in statements:
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in [*_remove(vendor), *_stamps_remove(vendor)]:
        schema_editor.execute(sql, params=None)


def stamp_every_unit(apps, schema_editor) -> None:
    """Give every unit a first stamp (the units there before the stamps were)."""
    vendor = schema_editor.connection.vendor
    if vendor in STAMP:
        schema_editor.execute(
            f"INSERT INTO {STAMPS} (unit_id, stamp) SELECT id, {STAMP[vendor]} FROM orgs_orgunit "
            f"WHERE id NOT IN (SELECT unit_id FROM {STAMPS})",
            params=None,
        )


def remove_stamps(apps, schema_editor) -> None:
    for sql in _stamps_remove(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)
