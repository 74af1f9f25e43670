"""Do two versions of the transforms extract the same rows? `python -m benchmarks.same_tables
--base REV PATH...` reads PATH... once (files, folders; none: the bundled sample), transforms
the documents in the backfill's batches with the code of git revision REV and with the
working tree's, and compares every table frame for frame: same columns and types, the same
rows once both are sorted. Exit status 1 if any table differs (the rows only one side has are
printed). For speed work: an optimisation that changes a row is a bug, or a fix to show.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent


def read(paths: list[str], out: Path) -> None:
    """Each PATH's documents as one raw frame (the working tree's readers): out/<i>.parquet."""
    from flows.inputs import discover
    from flows.tasks import read_paths

    for i, p in enumerate(paths or [""]):
        files, _aside, _missing = discover([p] if p else None)
        read_paths(files, None).raw.write_parquet(out / f"{i}.parquet")


# One side's transform, run in a subprocess with that side's tree first on sys.path (the
# base revision may not have this module): each raw frame of RAW_DIR transformed in the
# backfill's batches, written to OUT/<i>/<table>.parquet.
DUMP = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
import polars as pl
from flows.backfill import plan_batches
from transforms.pipeline import transform_batch
raw_dir, out = Path(sys.argv[2]), Path(sys.argv[3])
for f in sorted(raw_dir.glob("*.parquet")):
    tables = {}
    for b in plan_batches(pl.read_parquet(f)):
        for name, frame in transform_batch(b.raw).tables.items():
            tables.setdefault(name, []).append(frame)
    (out / f.stem).mkdir(parents=True)
    for name, parts in tables.items():
        pl.concat(parts).write_parquet(out / f.stem / f"{name}.parquet")
"""


def compare(old: Path, new: Path, labels: list[str]) -> int:
    """Print one line per table; return how many differ."""
    differ = 0
    for d in sorted(p for p in old.iterdir() if p.is_dir()):
        for f in sorted(d.glob("*.parquet")):
            a, b = pl.read_parquet(f), pl.read_parquet(new / d.name / f.name)
            same = a.schema == b.schema and a.height == b.height
            if same:
                key = a.columns
                same = a.sort(key, nulls_last=True, maintain_order=True).equals(
                    b.sort(key, nulls_last=True, maintain_order=True))
            print(f"{labels[int(d.name)]:40.40} {f.stem:12} {a.height:8} rows  {'same' if same else 'DIFFERENT'}")
            if not same:
                differ += 1
                if a.schema != b.schema:
                    print(f"  columns: {dict(a.schema)} -> {dict(b.schema)}")
                else:
                    print("  only before:", a.join(b, on=a.columns, how="anti", nulls_equal=True).head(5))
                    print("  only after:", b.join(a, on=a.columns, how="anti", nulls_equal=True).head(5))
    return differ


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.same_tables",
                                description="compare the tables a git revision and the working tree "
                                            "extract from the same documents")
    p.add_argument("paths", nargs="*", help="files or folders to read (none: the bundled sample)")
    p.add_argument("--base", required=True, help="git revision of the code to compare with (e.g. main)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="same-tables-") as tmp:
        tmp = Path(tmp)
        base_code, raw = tmp / "base", tmp / "raw"
        base_code.mkdir(), raw.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_code)], input=archive, check=True)
        read(args.paths, raw)
        for side, code in (("before", base_code), ("after", ROOT)):
            subprocess.run([sys.executable, "-c", DUMP, str(code), str(raw), str(tmp / side)], check=True, cwd=code)
        differ = compare(tmp / "before", tmp / "after", args.paths or ["bundled sample"])
    print(f"{differ} table(s) differ" if differ else f"every table the same as at {args.base}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
