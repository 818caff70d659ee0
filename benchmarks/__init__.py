"""Throughput and memory benchmarks (`make bench` -> benchmarks/RESULTS.md). Not part of the pass/fail tests."""
