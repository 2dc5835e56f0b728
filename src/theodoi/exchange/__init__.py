"""Data in and out: Excel templates, imports and exports (:mod:`.excel`), DHIS2 dataValueSets
with upper levels (:mod:`.dhis2`), any on-screen list as XLSX or CSV (:mod:`.tables`)."""
