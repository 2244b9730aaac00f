"""Dagster definitions, one folder per layer; `bma_pipeline.definitions` assembles them."""
