"""Quality and speed measurement: question sets, metrics without an LLM judge, reports, benchmarks."""
