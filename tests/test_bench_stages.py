"""benchmarks/stages.py prints each run's seconds per transform stage and their medians."""
from __future__ import annotations

import json

from benchmarks.stages import main
from flows.inputs import bundled_samples


def test_stages_prints_runs_and_medians_of_every_stage(capsys):
    sample = str(bundled_samples()[0])
    assert main([sample, "--reps", "2", "--cpu"]) == 0
    out = capsys.readouterr().out.splitlines()
    runs = [json.loads(line.split(" ", 1)[1]) for line in out[:2]]
    assert out[2].startswith("median of 2 (CPU s, 1 documents, 1 batches):")
    median = json.loads(out[2].split(": ", 1)[1])
    for stage in ("clean", "speakers", "figures", "targets", "total"):
        assert all(r[stage] >= 0 for r in runs) and stage in median
    assert median["total"] > 0


def test_the_cpu_clock_is_the_wall_clock_again_after_measuring(capsys):
    import time
    before = time.perf_counter
    main([str(bundled_samples()[0]), "--reps", "1", "--cpu"])
    assert time.perf_counter is before
