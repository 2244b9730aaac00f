"""Tooling of the BMA Digital Plans pipeline: what developers and operators run by hand or from
the Makefile, never the pipeline itself at run time (nothing in `bma_pipeline` imports it)."""
