"""Excel templates, exports and import (``theodoi template``, ``export``, ``import``).

Three kinds of workbook: a plan with its groups, tasks, indicators and targets; task progress
of a unit for a period; figures (data values) for periods. Templates and exports are written
with openpyxl (:mod:`.writer`: Vietnamese instructions sheet, drop-down lists), CSV exports
are UTF-8 with a BOM, and imports are read with python-calamine (:mod:`.reader`), checked
cell by cell and written all or nothing (:mod:`.importer`). :mod:`.commands` holds the
command-line side; this package imports nothing itself, so the parser can be built before
Django is set up.
"""
