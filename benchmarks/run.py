"""`python -m benchmarks run --n N`: the backfill flow end to end on a generated archive.

One run measures, on the same archive and the same text:
- the backfill flow through Prefect (fresh database): documents/s, MB/s, rows/s
  per table, seconds per stage, peak RSS of the process tree;
- a rerun over the unchanged archive (everything skipped by hash);
- the same work without Prefect (same readers, batches, transforms, loader and
  concurrency, on a plain thread pool): what Prefect itself costs;
- one regex pass: one polars `str.extract_all` of the figure pattern over all
  clean text, from memory (a floor, not an equal: it finds figure-shaped strings
  and nothing else);
- two naive baselines on a subset of 1,000 documents, the same Python loop per
  document with `re` (fold widths, split paragraphs and sentences, find figures):
  "naive, row by row" INSERTs every row on its own; "naive, bulk" is how a
  competent user writes it: rows collected in lists, one bulk insert per table
  per batch of 1,000 documents. The headline ratio is against the bulk one;
- with --readers, what letting readers in during the backfill costs (benchmarks/readers_during_load.py).
Results are printed and written to bench-results/bench-n<N>-<time>.json.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks.generate import MANIFEST, generate

REPO = Path(__file__).resolve().parents[1]
# archives and databases (never in the repo)
DEFAULT_WORK_DIR = Path("/tmp/policy-news-bench")
# stages the flow times outside transform_batch
IO_STAGES = ("read", "skip_check", "load")
# the targets set for a 100,000-document backfill on 2 cores (the "naive" one against the row-by-row baseline)
TARGET_N, TARGET_WALL_S, TARGET_PEAK_GB, TARGET_RERUN_S, TARGET_VS_NAIVE, TARGET_VS_BOUND = 100_000, 600, 4.0, 30, 30, 10
# below this N the rerun's fixed cost dominates and scaling it linearly says nothing about 100,000
RERUN_JUDGED_FROM_N = 10_000


class PeakMemory:
    """Peak RSS of this process and all its children, sampled in a thread."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak, self.samples, self.start = interval, 0, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._me = psutil.Process()

    def cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) so far of each process in the tree."""
        out = {}
        for p in [self._me, *self._me.children(recursive=True)]:
            try:
                t = p.cpu_times()
                out[p.pid] = t.user + t.system
            except psutil.Error:
                pass
        return out

    def rss(self) -> int:
        total = 0
        for p in [self._me, *self._me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self.start, self._cpu0, self.load_before = self.rss(), self.cpu(), os.getloadavg()[0]
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())
        self.cpu_s = sum(t - self._cpu0.get(pid, 0.0) for pid, t in self.cpu().items())
        self.load_after = os.getloadavg()[0]

    def context(self) -> dict:
        """What else the machine did: load averages around the phase, CPU seconds of our tree."""
        return {"cpu_s": round(self.cpu_s, 1), "load_before": round(self.load_before, 1),
                "load_after": round(self.load_after, 1)}


@dataclass
class Phase:
    wall_s: float
    peak_rss_bytes: int
    timings: dict[str, float] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def machine() -> dict:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    import duckdb
    import polars
    import prefect

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"nproc": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2 ** 30, 1),
            "cpu_model": model or platform.processor(), "python": platform.python_version(),
            "polars": polars.__version__, "duckdb": duckdb.__version__, "prefect": prefect.__version__,
            "commit": commit, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def ensure_archive(n: int, seed: int, corpus: Path, mix: dict | None, folder: Path | None,
                   work_dir: Path = DEFAULT_WORK_DIR) -> tuple[Path, dict]:
    """Reuse an archive made with the same n and seed, else generate it."""
    if folder is None:
        mix_tag = "".join(f"-{k}{v}" for k, v in sorted(mix.items())) if mix else ""
        folder = work_dir / f"archive-n{n}-s{seed}{mix_tag}"
    manifest = folder / MANIFEST
    if manifest.exists():
        m = json.loads(manifest.read_text())
        if m.get("n_docs") == n and m.get("seed") == seed:
            print(f"archive: reusing {folder}")
            return folder, m
        raise SystemExit(f"{folder} holds another archive (n={m.get('n_docs')}, seed={m.get('seed')}); "
                         f"pass another --archive")
    if folder.exists():
        shutil.rmtree(folder)
    print(f"archive: generating {n} documents into {folder} ...", flush=True)
    a = generate(n, seed, folder, corpus=corpus, mix=mix)
    print(f"archive: {a.n_docs} documents, {a.n_files} files, {a.n_bytes / 1e6:.0f} MB in {a.seconds:.0f}s")
    return folder, a.manifest()


def fresh_db(work_dir: Path, name: str) -> Path:
    work_dir.mkdir(parents=True, exist_ok=True)
    db = work_dir / name
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    return db


# ---------------------------------------------------------------- through Prefect

def prefect_startup() -> float:
    """Seconds for a first, empty flow run (starts the temporary server when no
    PREFECT_API_URL is set); later runs in the process do not pay it again."""
    from prefect import flow

    @flow(name="benchmark-warm-up")
    def warm_up() -> None:
        return None

    t0 = time.perf_counter()
    warm_up()
    return time.perf_counter() - t0


def run_backfill(archive: Path, db: Path, batch_size: int | None, **flow_kwargs) -> Phase:
    from flows.backfill import backfill_flow
    from flows.summary import BatchesFailed

    kwargs = {"archive": str(archive), "db": str(db), **flow_kwargs}
    if batch_size:
        kwargs["batch_size"] = batch_size
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        state = backfill_flow(return_state=True, **kwargs)
        wall = time.perf_counter() - t0
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, BatchesFailed):
        summary = summary.summary
    if isinstance(summary, BaseException):
        raise RuntimeError(f"the backfill flow failed: {type(summary).__name__}: {summary}") from summary
    return Phase(wall, mem.peak, dict(summary.timings), {
        "rss_before_mb": round(mem.start / 2 ** 20), **mem.context(), "state": state.type.value, "status": summary.status, "seen": summary.seen, "loaded": summary.loaded,
        "skipped": summary.skipped, "rejected": summary.rejected, "failed_batches": summary.failed_batches[:5],
        "batches": summary.batches, "bytes": summary.n_bytes, "rows": dict(summary.rows), "writer": summary.writer})


# ---------------------------------------------------------------- without Prefect

def run_plain(archive: Path, db: Path, batch_size: int | None, workers: int = 4) -> Phase:
    """The backfill's work (read by 50 files, drop known, plan batches, transform
    `window` batches at once, load in order) on a plain thread pool, no Prefect."""
    from flows.backfill import DEFAULT_BATCH_SIZE, READ_BATCH_BYTES, READ_BATCH_FILES, plan_batches
    from flows.inputs import chunks, discover
    from flows.runners import DEFAULT_WINDOW
    from flows.tasks import drop_known, read_paths
    from transforms.pipeline import transform_batch
    from warehouse.db import connect, tune_for_bulk_load
    from warehouse.load import load_batch

    import polars as pl

    timings: dict[str, float] = {}

    def add(stage: str, s: float) -> None:
        timings[stage] = timings.get(stage, 0.0) + s

    with PeakMemory() as mem:
        t0 = time.perf_counter()
        files, _aside, _missing = discover([str(archive)])
        con = connect(str(db))
        tune_for_bulk_load(con)
        loaded = 0
        try:
            with ThreadPoolExecutor(workers) as pool:
                fresh = []
                for rb in pool.map(read_paths, chunks(files, READ_BATCH_FILES, READ_BATCH_BYTES)):
                    add("read", rb.seconds)
                    fresh.append(drop_known(con, rb.raw)[0])
                raw = pl.concat(fresh)
                read_phase = time.perf_counter() - t0
                batches = plan_batches(raw, batch_size or DEFAULT_BATCH_SIZE)
                del raw, fresh
                futures = [pool.submit(transform_batch, b.raw) for b in batches[:DEFAULT_WINDOW]]
                for k in range(len(batches)):
                    batch = futures[k].result()
                    futures[k] = None
                    if k + DEFAULT_WINDOW < len(batches):
                        futures.append(pool.submit(transform_batch, batches[k + DEFAULT_WINDOW].raw))
                    for stage, s in batch.timings.items():
                        add(stage, s)
                    t1 = time.perf_counter()
                    loaded += load_batch(con, batch.tables, run_id="benchmark-plain").loaded
                    add("load", time.perf_counter() - t1)
        finally:
            con.close()
        wall = time.perf_counter() - t0
        one_thread = transforms_one_thread(batches)
    return Phase(wall, mem.peak, timings, {"loaded": loaded, **mem.context(), **one_thread, "read_phase_s": round(read_phase, 2),
                                           "transform_load_phase_s": round(wall - read_phase, 2)})


def transforms_one_thread(batches) -> dict:
    """The transform stages again, one batch after the other on one thread: their
    cost without waiting for a CPU (stage seconds of concurrent batches include it)."""
    from transforms.pipeline import transform_batch

    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    for b in batches:
        for stage, s in transform_batch(b.raw).timings.items():
            stages[stage] = stages.get(stage, 0.0) + s
    return {"transforms_one_thread_s": round(time.perf_counter() - t0, 2),
            "transform_stages_one_thread_s": {k: round(v, 2) for k, v in stages.items()}}


# ---------------------------------------------------------------- references

def clean_texts(db: Path):
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql("SELECT doc_id, raw_text, clean_text FROM documents ORDER BY doc_id").pl()
    finally:
        con.close()


def run_bound(texts) -> Phase:
    """One regex pass: one vectorised extract_all of the figure pattern over all clean text in memory."""
    from transforms.figures import FIGURE_RE

    s = texts["clean_text"]
    t0 = time.perf_counter()
    found = s.str.extract_all(FIGURE_RE)
    wall = time.perf_counter() - t0
    return Phase(wall, 0, extra={"documents": s.len(), "chars": int(s.str.len_chars().sum()),
                                 "matches": int(found.list.len().sum())})


def python_pattern(rust_pattern: str) -> str:
    """The Rust-regex pattern in Python `re` syntax: `(?-u:\\b)` (an ASCII word boundary) has no
    Python spelling, a lookahead does the same job."""
    return rust_pattern.replace(r"(?-u:\b)", r"(?![A-Za-z0-9_])")


def run_naive(texts, n_docs: int, db: Path) -> Phase:
    """A plain loop per document: fold widths, split paragraphs and sentences with `re`,
    find figures with `re`, INSERT every row one at a time (one transaction per document)."""
    import duckdb

    from transforms.clean import FULLWIDTH, HALFWIDTH
    from transforms.figures import FIGURE_RE
    from transforms.segment import SENTENCE

    fold = str.maketrans(dict(zip(FULLWIDTH, HALFWIDTH)))
    sentence_re, figure_re = re.compile(SENTENCE), re.compile(python_pattern(FIGURE_RE))
    subset = texts.head(n_docs)
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE documents (doc_id VARCHAR, clean_text VARCHAR, n_chars INTEGER)")
    con.execute("CREATE TABLE paragraphs (doc_id VARCHAR, para_no INTEGER, text VARCHAR)")
    con.execute("CREATE TABLE sentences (doc_id VARCHAR, sent_no INTEGER, para_no INTEGER, text VARCHAR)")
    con.execute("CREATE TABLE figures (doc_id VARCHAR, figure_no INTEGER, sent_no INTEGER, surface VARCHAR)")
    rows = {"documents": 0, "paragraphs": 0, "sentences": 0, "figures": 0}
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        for doc_id, raw_text in zip(subset["doc_id"], subset["raw_text"]):
            text = raw_text.replace("\r\n", "\n").translate(fold)
            paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
            con.execute("BEGIN")
            con.execute("INSERT INTO documents VALUES (?, ?, ?)", [doc_id, "\n".join(paras), len(text)])
            sent_no = figure_no = 0
            for para_no, para in enumerate(paras, 1):
                con.execute("INSERT INTO paragraphs VALUES (?, ?, ?)", [doc_id, para_no, para])
                for sentence in sentence_re.findall(para):
                    sent_no += 1
                    con.execute("INSERT INTO sentences VALUES (?, ?, ?, ?)", [doc_id, sent_no, para_no, sentence])
                    for m in figure_re.finditer(sentence):
                        if m.group("skip") is None:
                            figure_no += 1
                            con.execute("INSERT INTO figures VALUES (?, ?, ?, ?)",
                                        [doc_id, figure_no, sent_no, m.group(0)])
            con.execute("COMMIT")
            rows["documents"] += 1
            rows["paragraphs"] += len(paras)
            rows["sentences"] += sent_no
            rows["figures"] += figure_no
        wall = time.perf_counter() - t0
    con.close()
    return Phase(wall, mem.peak, extra={"documents": subset.height, "rows": rows, **mem.context()})


NAIVE_BULK_BATCH = 1_000  # documents per bulk insert in the bulk naive baseline (the pipeline's batch size)


def run_naive_bulk(texts, n_docs: int, db: Path, batch_docs: int = NAIVE_BULK_BATCH) -> Phase:
    """The same loop per document as run_naive, written as a competent user would: rows
    collected in Python lists and written with one bulk insert per table per batch of
    `batch_docs` documents (a polars frame handed to DuckDB), one transaction per batch."""
    import duckdb
    import polars as pl

    from transforms.clean import FULLWIDTH, HALFWIDTH
    from transforms.figures import FIGURE_RE
    from transforms.segment import SENTENCE

    fold = str.maketrans(dict(zip(FULLWIDTH, HALFWIDTH)))
    sentence_re, figure_re = re.compile(SENTENCE), re.compile(python_pattern(FIGURE_RE))
    subset = texts.head(n_docs)
    columns = {"documents": ["doc_id", "clean_text", "n_chars"], "paragraphs": ["doc_id", "para_no", "text"],
               "sentences": ["doc_id", "sent_no", "para_no", "text"],
               "figures": ["doc_id", "figure_no", "sent_no", "surface"]}
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE documents (doc_id VARCHAR, clean_text VARCHAR, n_chars INTEGER)")
    con.execute("CREATE TABLE paragraphs (doc_id VARCHAR, para_no INTEGER, text VARCHAR)")
    con.execute("CREATE TABLE sentences (doc_id VARCHAR, sent_no INTEGER, para_no INTEGER, text VARCHAR)")
    con.execute("CREATE TABLE figures (doc_id VARCHAR, figure_no INTEGER, sent_no INTEGER, surface VARCHAR)")
    counts = dict.fromkeys(columns, 0)

    def flush(rows: dict[str, list]) -> None:
        con.execute("BEGIN")
        for table, batch in rows.items():
            if batch:
                con.register("_rows", pl.DataFrame(batch, schema=columns[table], orient="row").to_arrow())
                con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
                con.unregister("_rows")
                counts[table] += len(batch)
        con.execute("COMMIT")

    with PeakMemory() as mem:
        t0 = time.perf_counter()
        rows: dict[str, list] = {t: [] for t in columns}
        for k, (doc_id, raw_text) in enumerate(zip(subset["doc_id"], subset["raw_text"]), 1):
            text = raw_text.replace("\r\n", "\n").translate(fold)
            paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
            rows["documents"].append((doc_id, "\n".join(paras), len(text)))
            sent_no = figure_no = 0
            for para_no, para in enumerate(paras, 1):
                rows["paragraphs"].append((doc_id, para_no, para))
                for sentence in sentence_re.findall(para):
                    sent_no += 1
                    rows["sentences"].append((doc_id, sent_no, para_no, sentence))
                    for m in figure_re.finditer(sentence):
                        if m.group("skip") is None:
                            figure_no += 1
                            rows["figures"].append((doc_id, figure_no, sent_no, m.group(0)))
            if k % batch_docs == 0:
                flush(rows)
                rows = {t: [] for t in columns}
        flush(rows)
        wall = time.perf_counter() - t0
    con.close()
    return Phase(wall, mem.peak, extra={"documents": subset.height, "rows": counts, "batch_docs": batch_docs,
                                        **mem.context()})


# ---------------------------------------------------------------- report

def transform_seconds(timings: dict[str, float]) -> float:
    return sum(s for k, s in timings.items() if k not in IO_STAGES)


def summarise(n: int, archive: dict, startup: float, flow: Phase, rerun: Phase | None, plain: Phase | None,
              bound: Phase, naive: Phase, naive_bulk: Phase) -> dict:
    docs = flow.extra["loaded"] or 1
    mb = flow.extra["bytes"] / 1e6
    stage_sum = sum(flow.timings.values())
    # transform cost: one thread, no waiting (from the plain run), else the flow's summed stage seconds
    t_transform = plain.extra["transforms_one_thread_s"] if plain else transform_seconds(flow.timings)
    per_doc = flow.wall_s / docs
    naive_per_doc = naive.wall_s / max(naive.extra["documents"], 1)
    bulk_per_doc = naive_bulk.wall_s / max(naive_bulk.extra["documents"], 1)
    bound_per_doc = bound.wall_s / max(bound.extra["documents"], 1)
    r = {
        "n": n,
        "documents_loaded": flow.extra["loaded"],
        "input_mb": round(mb, 1),
        "prefect_startup_s": round(startup, 2),
        "wall_s": round(flow.wall_s, 2),
        "docs_per_s": round(docs / flow.wall_s, 1),
        "mb_per_s": round(mb / flow.wall_s, 2),
        "rows": flow.extra["rows"],
        "rows_per_s": {t: round(k / flow.wall_s, 1) for t, k in flow.extra["rows"].items() if t != "runs"},
        "stages_s": {k: round(v, 2) for k, v in flow.timings.items()},
        "stage_sum_s": round(stage_sum, 2),
        "transform_s": round(t_transform, 2),
        "transform_stage_sum_s": round(transform_seconds(flow.timings), 2),
        "wall_minus_stage_sum_s": round(flow.wall_s - stage_sum, 2),
        "peak_rss_mb": round(flow.peak_rss_bytes / 2 ** 20),
        "flow": {k: v for k, v in flow.extra.items() if k not in ("rows",)},
        "one_regex_pass": {"wall_s": round(bound.wall_s, 3), **bound.extra},
        "naive": {"wall_s": round(naive.wall_s, 2), **naive.extra},
        "naive_bulk": {"wall_s": round(naive_bulk.wall_s, 2), **naive_bulk.extra},
        "per_doc_ms": {"pipeline": round(1e3 * per_doc, 3), "naive": round(1e3 * naive_per_doc, 3),
                       "naive_bulk": round(1e3 * bulk_per_doc, 3), "one_regex_pass": round(1e3 * bound_per_doc, 4)},
        "ratios": {
            "naive_bulk_over_pipeline": round(bulk_per_doc / per_doc, 2),
            "naive_over_pipeline": round(naive_per_doc / per_doc, 2),
            "pipeline_over_one_regex_pass": round(flow.wall_s / bound.wall_s, 1),
            "transforms_over_one_regex_pass": round(t_transform / bound.wall_s, 1),
            # CPU seconds of the process tree per document: what each costs whatever else the machine
            # runs (wall times of phases run minutes apart on a shared machine meet different loads)
            "naive_bulk_over_pipeline_cpu": round((naive_bulk.extra["cpu_s"] / max(naive_bulk.extra["documents"], 1))
                                                  / max(flow.extra["cpu_s"] / docs, 1e-9), 2),
        },
    }
    if rerun:
        r["rerun"] = {"wall_s": round(rerun.wall_s, 2), "peak_rss_mb": round(rerun.peak_rss_bytes / 2 ** 20),
                      "cpu_s": rerun.extra["cpu_s"],
                      "loaded": rerun.extra["loaded"], "skipped": rerun.extra["skipped"]}
    if plain:
        r["plain"] = {"wall_s": round(plain.wall_s, 2), "peak_rss_mb": round(plain.peak_rss_bytes / 2 ** 20),
                      **plain.extra, "stages_s": {k: round(v, 2) for k, v in plain.timings.items()}}
        r["prefect_overhead_s"] = round(flow.wall_s - plain.wall_s, 2)
    r["targets"] = targets(r)
    return r


def targets(r: dict) -> dict:
    """The issue's targets. The time and memory ones are set for N=100,000: below that,
    they are judged on this run's figures scaled linearly to 100,000 (`*_at_100k`)."""
    scale = TARGET_N / r["n"]
    r["wall_at_100k_s"] = round(r["prefect_startup_s"] + r["wall_s"] * scale)
    r["rerun_at_100k_s"] = round(r["rerun"]["wall_s"] * scale) if "rerun" in r else None
    t = {
        "wall_under_10_min": r["wall_at_100k_s"] < TARGET_WALL_S,
        "peak_under_4_gb": r["peak_rss_mb"] < TARGET_PEAK_GB * 1024,
        "at_least_30x_naive": r["ratios"]["naive_over_pipeline"] >= TARGET_VS_NAIVE,
        # judged on the one-thread transform time of the plain run; without it (--no-plain) only the
        # flow's stage seconds are known, which include waiting for a CPU: not judged
        "transforms_within_10x_one_regex_pass": (r["ratios"]["transforms_over_one_regex_pass"] <= TARGET_VS_BOUND
                                                 if "plain" in r else None),
    }
    if "rerun" in r:
        # a rerun over an unchanged archive is mostly fixed cost (the flow run, the database, the
        # skip check's query): at N=1,000 it takes ~1.2 s, which scales linearly to ~120 s, while
        # the measured rerun at N=100,000 took 5.1 s (docs/BENCHMARKS.md). Judged from N=10,000 up.
        t["rerun_under_30_s"] = r["rerun_at_100k_s"] < TARGET_RERUN_S if r["n"] >= RERUN_JUDGED_FROM_N else None
    return t


def print_report(r: dict, m: dict) -> None:
    print()
    print(f"== backfill benchmark: {r['n']} documents, {r['input_mb']} MB "
          f"({m['nproc']} CPU, {m['ram_gb']} GB, {m['cpu_model']}, commit {m['commit']})")
    print(f"through Prefect: {r['wall_s']:.1f}s (+{r['prefect_startup_s']:.1f}s server start) -> "
          f"{r['docs_per_s']:.0f} documents/s, {r['mb_per_s']:.2f} MB/s, peak RSS {r['peak_rss_mb']} MB "
          f"({r['flow']['rss_before_mb']} MB before the run); "
          f"loaded {r['flow']['loaded']}, skipped {r['flow']['skipped']}, rejected {r['flow']['rejected']}, "
          f"failed batches {len(r['flow']['failed_batches'])}")
    print(f"  CPU seconds of the process tree {r['flow']['cpu_s']:.0f} on {m['nproc']} CPUs; load average "
          f"{r['flow']['load_before']} before, {r['flow']['load_after']} after (other work on the machine slows us)")
    print("rows/s:  " + ", ".join(f"{t} {v:.0f}" for t, v in r["rows_per_s"].items()))
    print("stage seconds (summed over concurrent batches): "
          + ", ".join(f"{k} {v:.1f}" for k, v in r["stages_s"].items()))
    print(f"  stage sum {r['stage_sum_s']:.1f}s, of which transforms {r['transform_stage_sum_s']:.1f}s, "
          f"wall minus stage sum {r['wall_minus_stage_sum_s']:.1f}s")
    if "plain" in r:
        p = r["plain"]
        print(f"same work without Prefect: {p['wall_s']:.1f}s (read phase {p['read_phase_s']:.1f}s, transform+load "
              f"phase {p['transform_load_phase_s']:.1f}s; peak {p['peak_rss_mb']} MB) -> "
              f"Prefect overhead {r['prefect_overhead_s']:+.1f}s")
    if "rerun" in r:
        print(f"rerun, unchanged archive: {r['rerun']['wall_s']:.1f}s, loaded {r['rerun']['loaded']}, "
              f"skipped {r['rerun']['skipped']}")
    b, nv, nb = r["one_regex_pass"], r["naive"], r["naive_bulk"]
    print(f"one regex pass: extract_all of FIGURE_RE over {b['documents']} clean texts ({b['chars'] / 1e6:.1f}M "
          f"chars): {b['wall_s']:.2f}s, {b['matches']} matches")
    print(f"naive, bulk: re loop + one bulk insert per table per {nb['batch_docs']} documents, over "
          f"{nb['documents']} documents: {nb['wall_s']:.1f}s")
    print(f"naive, row by row: re loop + row-by-row INSERT over {nv['documents']} documents: {nv['wall_s']:.1f}s")
    pd = r["per_doc_ms"]
    print(f"per document: pipeline {pd['pipeline']:.2f} ms, naive bulk {pd['naive_bulk']:.2f} ms, naive row by row "
          f"{pd['naive']:.2f} ms, one regex pass {pd['one_regex_pass']:.3f} ms")
    ra = r["ratios"]
    if "plain" in r:
        print("transform stages again, one batch at a time on one thread: "
              f"{r['plain']['transforms_one_thread_s']:.1f}s ("
              + ", ".join(f"{k} {v:.1f}" for k, v in r["plain"]["transform_stages_one_thread_s"].items()) + ")")
    print(f"CPU seconds: pipeline (process tree, Prefect server included) {r['flow']['cpu_s']:.1f}, naive bulk "
          f"{nb['cpu_s']:.1f}, naive row by row {nv['cpu_s']:.1f} -> naive bulk/pipeline per document "
          f"{ra['naive_bulk_over_pipeline_cpu']:.1f}x")
    print(f"ratios: naive bulk/pipeline {ra['naive_bulk_over_pipeline']:.1f}x, naive row by row/pipeline "
          f"{ra['naive_over_pipeline']:.1f}x (target >= {TARGET_VS_NAIVE}), pipeline/one regex pass "
          f"{ra['pipeline_over_one_regex_pass']:.0f}x, transforms/one regex pass "
          f"{ra['transforms_over_one_regex_pass']:.1f}x "
          + (f"(target <= {TARGET_VS_BOUND})" if "plain" in r else "(from stage seconds summed over concurrent "
             "batches, waiting for a CPU included: not the one-thread measure)"))
    if r["n"] < TARGET_N:
        rerun = (f", rerun ~{r['rerun_at_100k_s']}s" if r.get("rerun_at_100k_s") is not None
                 and r["n"] >= RERUN_JUDGED_FROM_N else "")
        print(f"scaled linearly to {TARGET_N} documents: backfill ~{r['wall_at_100k_s']}s{rerun} "
              f"(peak memory is judged as measured here: it should not grow with N, see docs/BENCHMARKS.md)")
    verdict = {True: "MET", False: "NOT met"}
    why_not = {"transforms_within_10x_one_regex_pass": "not judged (needs the plain run)",
               "rerun_under_30_s": f"not judged below N={RERUN_JUDGED_FROM_N:,} (mostly fixed cost)"}
    print("targets: " + ", ".join(f"{k} {verdict.get(v) or why_not.get(k, 'not judged')}"
                                  for k, v in r["targets"].items()))


def run_benchmark(args) -> int:
    for k, v in (("PREFECT_LOGGING_LEVEL", "WARNING"), ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"), ("DO_NOT_TRACK", "1"),
                 ("PREFECT_SERVER_LOGGING_LEVEL", "WARNING"),
                 ("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")):
        os.environ.setdefault(k, v)
    work = args.work_dir
    archive, manifest = ensure_archive(args.n, args.seed, args.corpus, args.mix, args.archive, work)
    m = machine()
    startup = prefect_startup()
    print(f"prefect: first flow run {startup:.1f}s", flush=True)
    db = fresh_db(work, f"bench-n{args.n}.duckdb")
    flow = run_backfill(archive, db, args.batch_size)
    print(f"backfill: {flow.wall_s:.1f}s", flush=True)
    rerun = None if args.no_rerun else run_backfill(archive, db, args.batch_size)
    texts = clean_texts(db)
    bound = run_bound(texts)
    naive = run_naive(texts, args.naive_docs, fresh_db(work, f"bench-naive-n{args.n}.duckdb"))
    naive_bulk = run_naive_bulk(texts, args.naive_docs, fresh_db(work, f"bench-naive-bulk-n{args.n}.duckdb"))
    del texts
    plain = None
    if not args.no_plain:
        print("same work without Prefect ...", flush=True)
        plain = run_plain(archive, fresh_db(work, f"bench-plain-n{args.n}.duckdb"), args.batch_size)
    r = summarise(args.n, manifest, startup, flow, rerun, plain, bound, naive, naive_bulk)
    if args.readers:
        from benchmarks.readers_during_load import run_readers_phase

        r["readers"] = run_readers_phase(archive, work, args.n, args.batch_size, args.readers_repeat)
    print_report(r, m)
    out = args.results if args.results.is_absolute() else REPO / args.results
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-n{args.n}-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps({"machine": m, "archive": manifest, "command": f"python -m benchmarks run --n {args.n}"
                                f" --seed {args.seed}", "results": r}, indent=1, ensure_ascii=False, default=str))
    print(f"results: {path}")
    return 0 if r["flow"]["loaded"] == args.n and not r["flow"]["failed_batches"] else 1
