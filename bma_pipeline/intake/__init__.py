"""Intake: from a file in ``landing/<unit_code>/`` to rows of the raw ledger.

One module per job — ``numbers`` and ``dates`` (cell text → values, vectorised),
``headers`` (the alias table and header-row detection), ``readers`` (a CSV/XLSX
file → original cell texts with row numbers), ``parse`` (cell texts → the
``raw.submission_rows`` frame) and ``ledger`` (scan, hash, de-duplicate, write).
For the people who fill the files: ``template`` (a unit's own XLSX for a period) and
``check`` (what intake and validation would say about a file, writing nothing).
Judging rows belongs to ``bma_pipeline.validation``, not here.
"""
