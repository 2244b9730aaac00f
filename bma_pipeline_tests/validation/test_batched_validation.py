"""Validation in batches of files gives the same verdicts as one batch, and commits them all."""

from pathlib import Path

import pytest

from bma_pipeline.intake.ledger import ingest_landing
from bma_pipeline.validation.apply import validate_pending_files
from bma_pipeline.warehouse import connect
from bma_sample.catalogue import sample_catalogue
from bma_sample.submissions import generate_submissions

VERDICTS = (
    "select file_id, row_number, reason_codes, message_th, message_en "
    "from raw.quarantined_rows order by file_id, row_number"
)


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batched") / "landing"
    generate_submissions(folder, 2566, [1, 2], 7)
    return folder


def _validated(landing: Path, warehouse: Path, batch_rows: int):  # noqa: ANN202
    catalog = sample_catalogue()
    with connect(str(warehouse)) as wh:
        ingest_landing(wh, landing, set(catalog.units["unit_code"]))
        report = validate_pending_files(wh, catalog, batch_rows=batch_rows)
        verdicts = wh.query(VERDICTS)
        pending = wh.scalar(
            "select count(*) from raw.submission_files "
            "where outcome = 'ingested' and validated_at is null"
        )
    return report, verdicts, pending


def test_small_batches_give_the_same_verdicts_as_one_batch(landing: Path, tmp_path: Path):
    one, verdicts_one, _ = _validated(landing, tmp_path / "one.duckdb", batch_rows=10**9)
    many, verdicts_many, pending = _validated(landing, tmp_path / "many.duckdb", batch_rows=500)
    assert pending == 0
    assert one.files_validated == many.files_validated > 0
    assert one.rows_validated == many.rows_validated
    assert one.rows_quarantined == many.rows_quarantined == len(verdicts_many) > 0
    assert one.rows_accepted == many.rows_accepted
    assert one.reason_counts == many.reason_counts
    assert verdicts_one.equals(verdicts_many)


def test_nothing_pending_validates_nothing(landing: Path, tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    _validated(landing, warehouse, batch_rows=500)
    with connect(str(warehouse)) as wh:
        again = validate_pending_files(wh, sample_catalogue(), batch_rows=500)
    assert (again.files_validated, again.rows_validated, again.reason_counts) == (0, 0, {})
