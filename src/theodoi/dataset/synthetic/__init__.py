"""A synthetic national dataset for load tests and benchmarks (``theodoi generate``).

On top of the Cát Hải dataset it adds, under the country unit ``VN``, the 34 provinces and
cities as they stand since 1 July 2025 (reusing one already present under the same name, such
as Thành phố Hải Phòng) and fictitious communes — "Xã Số 17 (Tỉnh Lào Cai)", codes ``SYN-…``
— so that each province has its number of commune-level units (the real ones already present,
such as Đặc khu Cát Hải, included) and the country 3,321. Each synthetic commune gets its own
plan copied from Kế hoạch 96/KH-UBND (its tasks, and the 34 indicators of its Appendix 2 with
their targets), eight quarters of approved task updates with their period reports
(``Submission``), and twenty figures per quarter. Every update, figure and report is flagged
``is_illustrative``, so every screen marks it as illustrative data.

Deterministic: each commune draws from its own ``random.Random`` seeded by the seed and the
commune's code, so the same seed gives the same rows, and a commune gets the same rows at
every scale.

Fast: rows go in with PostgreSQL ``COPY`` (``executemany`` on other databases) straight from
tuples — no model instances, ``save()``, signals or per-row history for the bulk rows. One
audit record is kept instead: the document ``syn:generation``, saved through the change
history with who, when, the scale, the seed and the counts; ``--replace`` updates it (a new
history row) after removing the previous synthetic rows.

Modules: :mod:`.country` (provinces, scales, layout), :mod:`.courses` (how a commune's work
goes), :mod:`.build` (the rows it gets), :mod:`.rows` (bulk writing, checksum),
:mod:`.generate` (the whole run, removal of a previous one).
"""

from __future__ import annotations

from theodoi.dataset.synthetic.build import dataset_present
from theodoi.dataset.synthetic.country import (
    ELEMENT_CODES,
    GENERATION_KEY,
    MARK,
    PROVINCES,
    QUARTERS,
    SCALES,
    SYN_PREFIX,
    GenerationError,
    GenerationResult,
    commune_layout,
    synthetic_units,
)
from theodoi.dataset.synthetic.generate import generate, remove_synthetic
from theodoi.dataset.synthetic.rows import stored_checksum

__all__ = [
    "ELEMENT_CODES",
    "GENERATION_KEY",
    "MARK",
    "PROVINCES",
    "QUARTERS",
    "SCALES",
    "SYN_PREFIX",
    "GenerationError",
    "GenerationResult",
    "commune_layout",
    "dataset_present",
    "generate",
    "remove_synthetic",
    "stored_checksum",
    "synthetic_units",
]
