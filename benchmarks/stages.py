"""The transforms' one-thread measure alone, repeated: `python -m benchmarks.stages PATH...
[--reps 5]` reads PATH... once, plans the backfill's batches and runs
`benchmarks.run.transforms_one_thread` (the plain phase's measure: transform_batch one batch
after the other on one thread) --reps times, printing each run and the median seconds per
stage with the load average. With --cpu the stages are timed in CPU seconds of the process
(all polars threads), steadier than wall time on a machine others share.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.stages",
                                description="median seconds per transform stage, one batch after the other")
    p.add_argument("paths", nargs="+", help="files or folders of documents (e.g. a generated archive)")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--cpu", action="store_true", help="CPU seconds of the process instead of wall seconds")
    args = p.parse_args(argv)

    from flows.backfill import plan_batches
    from flows.inputs import discover
    from flows.tasks import read_paths
    from transforms import pipeline
    from benchmarks.run import transforms_one_thread

    files, _aside, _missing = discover(args.paths)
    raw = read_paths(files, None).raw
    batches = plan_batches(raw)
    pipeline.transform_batch(batches[0].raw.head(20))  # imports and first compilations out of the measure
    runs = []
    wall_clock = time.perf_counter
    try:
        if args.cpu:
            # transform_documents' stage timer and transforms_one_thread's total read
            # time.perf_counter when they run: the CPU clock while measuring
            time.perf_counter = time.process_time
        for i in range(args.reps):
            r = transforms_one_thread(batches)
            row = {**r["transform_stages_one_thread_s"], "total": r["transforms_one_thread_s"],
                   "load1": round(os.getloadavg()[0], 2)}
            runs.append(row)
            print(i, json.dumps(row), flush=True)
    finally:
        time.perf_counter = wall_clock
    median = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    print(f"median of {args.reps} ({'CPU' if args.cpu else 'wall'} s, {raw.height} documents, "
          f"{len(batches)} batches):", json.dumps(median))
    return 0


if __name__ == "__main__":
    sys.exit(main())
