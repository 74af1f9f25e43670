"""`python -m benchmarks generate|run|pages`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_mix(text: str | None) -> dict[str, float] | None:
    """`html=0.2,text=0.4,digest=0.35,jsonl=0.05` -> shares of documents per format."""
    if not text:
        return None
    mix = {k.strip(): float(v) for k, v in (kv.split("=", 1) for kv in text.split(","))}
    unknown = set(mix) - {"html", "text", "digest", "jsonl"}
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown format(s) in --mix: {', '.join(sorted(unknown))}")
    return mix


def build_parser() -> argparse.ArgumentParser:
    from benchmarks.generate import DEFAULT_CORPUS
    from benchmarks.run import DEFAULT_WORK_DIR

    p = argparse.ArgumentParser(prog="python -m benchmarks", description="benchmark of the backfill flow")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp):
        sp.add_argument("--n", type=int, required=True, help="documents in the archive (1,000 to 100,000)")
        sp.add_argument("--seed", type=int, default=1)
        sp.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="real documents to vary (default data/corpus of this repository)")
        sp.add_argument("--mix", type=parse_mix, help="shares of documents per format, e.g. html=0.2,text=0.4,"
                                                      "digest=0.35,jsonl=0.05")

    g = sub.add_parser("generate", help="write a synthetic archive of N distinct documents")
    common(g)
    g.add_argument("--out", type=Path, required=True, help="an empty or new folder (keep it out of the repo)")
    r = sub.add_parser("run", help="generate (or reuse) an archive and benchmark the backfill flow on it")
    common(r)
    r.add_argument("--archive", type=Path, help="archive folder (default /tmp/policy-news-bench/n<N>-s<seed>)")
    r.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                   help="where archives and benchmark databases go (default /tmp/policy-news-bench)")
    r.add_argument("--results", type=Path, default=Path("bench-results"), help="folder for the JSON results")
    r.add_argument("--naive-docs", type=int, default=1000, help="documents in the naive baseline's subset")
    r.add_argument("--no-rerun", action="store_true", help="skip the rerun over the unchanged archive")
    r.add_argument("--no-plain", action="store_true", help="skip the same work run without Prefect")
    r.add_argument("--batch-size", type=int, help="files per batch (default: the flow's)")
    r.add_argument("--readers", action="store_true",
                   help="also measure readers during the backfill: three more backfills (benchmarks/readers_during_load.py)")
    r.add_argument("--readers-repeat", type=int, default=2,
                   help="run the three readers backfills in turn this many times; medians are compared")
    pg = sub.add_parser("pages", help="score policy-news, gne and trafilatura on a folder of saved pages")
    pg.add_argument("folder", type=Path, help="folder of saved HTML pages")
    pg.add_argument("truth", type=Path, help="JSON truth file (see benchmarks/pages.py)")
    pg.add_argument("--readers", default="policy-news,gne,trafilatura", help="comma-separated readers")
    pg.add_argument("--detail", action="store_true", help="list each reader's misses")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "pages":
        from benchmarks.pages import main as pages_main

        return pages_main(args.folder, args.truth, args.readers.split(","), args.detail)
    if args.command == "generate":
        from benchmarks.generate import generate

        a = generate(args.n, args.seed, args.out, corpus=args.corpus, mix=args.mix)
        print(f"{a.n_docs} documents in {a.n_files} files, {a.n_bytes / 1e6:.1f} MB, in {a.seconds:.1f}s -> {a.out}")
        for kind, f in a.by_format.items():
            print(f"  {kind:6} {f['documents']:7} documents {f['files']:7} files {f['bytes'] / 1e6:8.1f} MB")
        if a.corpus is None:
            print("  (no corpus found: every document varies the bundled sample)")
        return 0
    from benchmarks.run import run_benchmark

    return run_benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
