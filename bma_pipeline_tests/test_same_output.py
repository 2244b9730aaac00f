"""Same input, same output: two runs over one landing folder publish the same bytes.

Means of float ratios used to depend on the order DuckDB's threads added partial sums
(~1e-13 apart from run to run); they are now exact sums (macro `exact_mean`).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from bma_pipeline.cli import run_pipeline
from bma_pipeline.publish.publish import published_marts
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import Revision
from bma_sample.submissions import generate_submissions

pytestmark = pytest.mark.slow


def _published_bytes(warehouse: Path) -> dict[str, bytes]:
    """Every published mart as text, rows in order, floats written exactly (float.hex)."""
    marts = {}
    with connect(warehouse, read_only=True) as wh:
        for mart in published_marts():
            frame = wh.query(f"select * from bi.{mart}")
            lines = sorted(
                "\t".join(v.hex() if isinstance(v, float) else repr(v) for v in row)
                for row in frame.itertuples(index=False)
            )
            marts[mart] = "\n".join(["\t".join(frame.columns), *lines]).encode("utf-8")
    return marts


def test_two_runs_on_the_same_landing_publish_identical_marts(tmp_path: Path):
    landing = tmp_path / "landing"
    # A revision in force from P2, so the plan-revision marts have rows too.
    generate_submissions(landing, 2566, [1, 2], seed=5, revision=Revision(effective_from=2))
    published = []
    for n in (1, 2):
        warehouse = tmp_path / f"run{n}.duckdb"
        result = run_pipeline(
            landing,
            str(warehouse),
            tmp_path / f"reports{n}",
            as_of="2023-02-20T09:00:00",
            quiet=True,
            instance=dg.DagsterInstance.ephemeral(),
        )
        assert result.success
        published.append(_published_bytes(warehouse))
    first, second = published
    assert set(first) == set(published_marts())
    assert [m for m, text in first.items() if len(text.splitlines()) <= 1] == []  # all have rows
    assert [m for m in published_marts() if first[m] != second[m]] == []
