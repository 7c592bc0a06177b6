"""Benchmarks: accuracy and speed figures for BENCHMARKS.md (run with ``make bench``)."""
