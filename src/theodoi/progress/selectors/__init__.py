"""Reads of progress, one module per audience; each function takes the user (or None for the
system) and returns only what they may see.

- :mod:`.tasks` — task and indicator status rows, :func:`~.tasks.plan_summary`: the counts
  every dashboard, API answer and report uses (one source of truth);
- :mod:`.figures` — figures with their sources, validation rule violations;
- :mod:`.entry` — a unit's entry page for a period;
- :mod:`.submissions` — the approval workflow's queues and allowed actions;
- :mod:`.dashboard` — a plan's dashboard, scorecard and trends;
- :mod:`.rollup` — the roll-up over a subtree of units.
"""
