"""The sample generator: a realistic city — plans and a year of submissions from every unit —
written into a landing folder, for the demo, the tests and the benchmarks. Not part of the
pipeline (`bma_pipeline`), which reads whatever lands."""
