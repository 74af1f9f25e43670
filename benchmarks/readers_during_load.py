"""`python -m benchmarks run --readers`: what letting readers in during a backfill costs.

The writer keeps the database file open between batches and lets it go when a reader asks
or, unasked, every few seconds (warehouse.db.Writer), so that `policy-news sql` and
read-only connections get in during a backfill. Backfills of the same archive into fresh
databases measure it:
- held: the writer keeps the file open for the whole run (`hold_database`; readers locked
  out throughout): the baseline;
- sessions: what runs do (the file let go every RELEASE_AFTER_SECONDS, nobody reading);
- sessions + reader: the same, while another process opens the file read-only every
  second and counts the documents (`warehouse.db.connect`, as `policy-news sql` does).
The three are run in turn `repeat` times (on a shared machine a load that comes and goes
would otherwise land on one of them) and the median of each is compared.
Reported: the wall times, the slowdown of the last two against the first, and how long
the reader waited for each of its queries.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

READER = """
import json, sys, time
from warehouse.db import connect
db = sys.argv[1]
while True:
    t0 = time.monotonic()
    try:
        con = connect(db, read_only=True, wait_seconds=120)
    except FileNotFoundError:
        time.sleep(0.2)
        continue
    n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    con.close()
    print(json.dumps({"wait_s": time.monotonic() - t0, "documents": n}), flush=True)
    time.sleep(1.0)
"""


def run_readers_phase(archive: Path, work: Path, n: int, batch_size: int | None, repeat: int = 2) -> dict:
    from benchmarks.run import fresh_db, run_backfill

    runs: dict[str, list] = {"held": [], "sessions": [], "with_reader": []}
    waits: list[float] = []
    counts_grow = True
    for i in range(repeat):
        held = run_backfill(archive, fresh_db(work, f"bench-held-n{n}.duckdb"), batch_size, hold_database=True)
        runs["held"].append(held)
        print(f"[{i + 1}/{repeat}] backfill, file held throughout: {held.wall_s:.1f}s", flush=True)
        sessions = run_backfill(archive, fresh_db(work, f"bench-sessions-n{n}.duckdb"), batch_size)
        runs["sessions"].append(sessions)
        print(f"[{i + 1}/{repeat}] backfill, readers let in: {sessions.wall_s:.1f}s {sessions.extra.get('writer')}",
              flush=True)
        db = fresh_db(work, f"bench-reader-n{n}.duckdb")
        reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdout=subprocess.PIPE, text=True,
                                  cwd=Path(__file__).resolve().parents[1])
        try:
            read = run_backfill(archive, db, batch_size)
        finally:
            time.sleep(0.5)
            reader.terminate()
            out, _ = reader.communicate(timeout=30)
        runs["with_reader"].append(read)
        queries = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        waits += [q["wait_s"] for q in queries]
        counts = [q["documents"] for q in queries]
        counts_grow &= counts == sorted(counts)
        print(f"[{i + 1}/{repeat}] backfill with a reader every second: {read.wall_s:.1f}s; {len(queries)} queries, "
              f"longest wait {max((q['wait_s'] for q in queries), default=0):.2f}s {read.extra.get('writer')}", flush=True)
    wall = {k: statistics.median(r.wall_s for r in v) for k, v in runs.items()}
    load = {k: statistics.median(r.timings.get("load", 0) for r in v) for k, v in runs.items()}
    return {
        "repeat": repeat, "held_wall_s": round(wall["held"], 2), "sessions_wall_s": round(wall["sessions"], 2),
        "with_reader_wall_s": round(wall["with_reader"], 2), "batches": runs["sessions"][0].extra.get("batches"),
        "all_wall_s": {k: [round(r.wall_s, 2) for r in v] for k, v in runs.items()},
        "slowdown_sessions_pct": round(100 * (wall["sessions"] / wall["held"] - 1), 1),
        "slowdown_with_reader_pct": round(100 * (wall["with_reader"] / wall["held"] - 1), 1),
        "reader_queries": len(waits), "reader_wait_max_s": round(max(waits, default=0), 3),
        "reader_wait_median_s": round(statistics.median(waits), 3) if waits else None,
        "reader_counts_only_grow": counts_grow,
        "load_s": {k: round(v, 2) for k, v in load.items()},
        # the writer's own count: how often it let the file go, and the seconds it spent closing
        # (checkpoints, on its watcher thread) and opening again (a reader's turn included)
        "writer": {k: [r.extra.get("writer", {}) for r in v] for k, v in runs.items()},
    }
