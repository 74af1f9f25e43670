"""Benchmark of the backfill flow: a synthetic archive generator and a runner.

`python -m benchmarks generate --n N --seed S --out DIR` and
`python -m benchmarks run --n N`; see docs/BENCHMARKS.md.
"""
