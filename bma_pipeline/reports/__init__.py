"""Rendered reports read from the marts: the executive dashboard, the H units' meeting packs and
the index page that links them. Plain functions of a warehouse and a period key; the Dagster
assets that call them live in `bma_pipeline/defs/reports/`."""
