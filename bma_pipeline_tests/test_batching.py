"""Whole files grouped by row count: never split, never over the bound unless one file is."""

from bma_pipeline.batching import batches_by_rows


def test_batches_keep_order_and_stay_within_the_bound():
    sizes = [4, 3, 2, 5, 1, 1]
    batches = list(batches_by_rows("abcdef", sizes, 7))
    assert batches == [["a", "b"], ["c", "d"], ["e", "f"]]


def test_a_file_larger_than_the_bound_is_a_batch_of_its_own():
    assert list(batches_by_rows([1, 2, 3], [2, 50, 2], 10)) == [[1], [2], [3]]
    assert list(batches_by_rows([], [], 10)) == []
