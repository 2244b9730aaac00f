import dagster as dg
import psycopg
import pytest

from bma_pipeline.defs.retries import backoff_seconds, retry_on_transient_errors


def _flaky_asset(failures: list[BaseException]):
    @dg.asset
    def flaky(context: dg.AssetExecutionContext) -> int:
        with retry_on_transient_errors(context):
            if failures:
                raise failures.pop(0)
        return context.retry_number

    return flaky


def test_transient_database_errors_are_retried_with_backoff(monkeypatch):
    monkeypatch.setattr("bma_pipeline.defs.retries.BASE_DELAY_S", 0.01)
    failures: list[BaseException] = [
        psycopg.OperationalError("server closed the connection unexpectedly"),
        psycopg.OperationalError("connection refused"),
    ]
    result = dg.materialize([_flaky_asset(failures)])
    assert result.success
    assert result.output_for_node("flaky") == 2  # succeeded on the third attempt
    assert [backoff_seconds(n, base=2.0) for n in range(3)] == [2.0, 4.0, 8.0]


def test_a_bug_is_not_retried():
    failures: list[BaseException] = [ValueError("not transient")]
    result = dg.materialize([_flaky_asset(failures)], raise_on_error=False)
    assert not result.success
    retries = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert retries == []


@pytest.mark.parametrize("attempts", [5])
def test_retries_stop_after_the_limit(monkeypatch, attempts):
    monkeypatch.setattr("bma_pipeline.defs.retries.BASE_DELAY_S", 0.01)
    failures: list[BaseException] = [psycopg.OperationalError("down")] * attempts
    result = dg.materialize([_flaky_asset(failures)], raise_on_error=False)
    assert not result.success
    retries = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert len(retries) == 3
