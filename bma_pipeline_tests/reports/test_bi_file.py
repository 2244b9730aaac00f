"""The SQL tiles run on the published DuckDB bi file alone, with the rows they give on the
warehouse's `bi` views: a BI tool pointed at the file sees the same figures."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bma_pipeline.publish.publish import bi_file_of
from bma_pipeline.warehouse import WarehouseLocation

from .conftest import REPO_ROOT, ReportRun

TILES = sorted((REPO_ROOT / "bi" / "sql").glob("*.sql"))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.mark.parametrize("path", TILES, ids=[p.stem for p in TILES])
def test_a_tile_on_the_bi_file_gives_the_warehouse_s_rows(report_run: ReportRun, path: Path):
    sql = path.read_text(encoding="utf-8")
    with report_run.read() as wh:
        expected = wh.query(sql)
    bi_file = bi_file_of(WarehouseLocation.parse(report_run.warehouse))
    assert bi_file is not None and bi_file.is_file()
    con = duckdb.connect(str(bi_file), read_only=True)
    try:
        got = con.execute(sql).df()
    finally:
        con.close()
    assert len(got) > 0
    pd.testing.assert_frame_equal(_sorted(got), _sorted(expected))
