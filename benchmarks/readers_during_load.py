"""`python -m benchmarks run --readers`: what letting readers in during a backfill costs.

The writer holds the database file only while a batch commits (warehouse.db.Writer), so
that `policy-news sql` and read-only connections get in between batches. Three backfills
of the same archive into fresh databases measure it:
- held: the writer keeps the file open for the whole run (`hold_database`; the old way,
  readers locked out throughout): the baseline;
- sessions: the file opened and closed around each write (what runs do);
- sessions + reader: the same, while another process opens the file read-only every
  second and counts the documents (`warehouse.db.connect`, as `policy-news sql` does).
Reported: each wall time, the slowdown of the last two against the first, and how long
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


def run_readers_phase(archive: Path, work: Path, n: int, batch_size: int | None) -> dict:
    from benchmarks.run import fresh_db, run_backfill

    held = run_backfill(archive, fresh_db(work, f"bench-held-n{n}.duckdb"), batch_size, hold_database=True)
    print(f"backfill, file held throughout: {held.wall_s:.1f}s", flush=True)
    sessions = run_backfill(archive, fresh_db(work, f"bench-sessions-n{n}.duckdb"), batch_size)
    print(f"backfill, file held per write: {sessions.wall_s:.1f}s", flush=True)
    db = fresh_db(work, f"bench-reader-n{n}.duckdb")
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[1])
    try:
        read = run_backfill(archive, db, batch_size)
    finally:
        time.sleep(0.5)
        reader.terminate()
        out, _ = reader.communicate(timeout=30)
    queries = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    waits = [q["wait_s"] for q in queries]
    counts = [q["documents"] for q in queries]
    print(f"backfill with a reader every second: {read.wall_s:.1f}s; {len(waits)} queries, "
          f"longest wait {max(waits, default=0):.2f}s", flush=True)
    return {
        "held_wall_s": round(held.wall_s, 2), "sessions_wall_s": round(sessions.wall_s, 2),
        "with_reader_wall_s": round(read.wall_s, 2), "batches": sessions.extra.get("batches"),
        "slowdown_sessions_pct": round(100 * (sessions.wall_s / held.wall_s - 1), 1),
        "slowdown_with_reader_pct": round(100 * (read.wall_s / held.wall_s - 1), 1),
        "reader_queries": len(waits), "reader_wait_max_s": round(max(waits, default=0), 3),
        "reader_wait_median_s": round(statistics.median(waits), 3) if waits else None,
        "reader_counts_only_grow": counts == sorted(counts),
        "load_s": {"held": round(held.timings.get("load", 0), 2), "sessions": round(sessions.timings.get("load", 0), 2),
                   "with_reader": round(read.timings.get("load", 0), 2)},
    }
