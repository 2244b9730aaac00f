"""Intake: from a file in ``landing/<unit_code>/`` to rows of the raw ledger.

One module per job — ``numbers`` and ``dates`` (cell text → values, vectorised),
``headers`` (the alias table and header-row detection), ``readers`` (a CSV/XLSX
file → original cell texts with row numbers), ``parse`` (cell texts → the
``raw.submission_rows`` frame) and ``ledger`` (scan, hash, de-duplicate, write).
Judging rows belongs to ``bma_pipeline.validation``, not here.
"""
