"""`policy-news`: the command line of SPEC.md.

Exit status: 0 success, 1 some inputs rejected (the rest loaded), 2 usage error
or nothing could run.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_REJECTS, EXIT_USAGE = 0, 1, 2


def _quiet_prefect() -> None:
    # Prefect reads these at import; a user's own settings win.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # a first start migrates a fresh SQLite database; on a busy 2-core machine that exceeds the 20 s default
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _db(args) -> str:
    from warehouse.db import default_db_path

    return args.db or default_db_path()


def print_summary(summary, out=None) -> None:
    out = out or sys.stdout  # looked up at call time (tests and callers redirect it)
    print(f"run {summary.run_id} ({summary.flow_name}): {summary.status}", file=out)
    print(f"  documents seen {summary.seen}, loaded {summary.loaded}, skipped (already loaded) "
          f"{summary.skipped}, rejected {summary.rejected}", file=out)
    for note in summary.notes:
        print(f"  {note}", file=out)
    if summary.set_aside:
        print(f"  set aside (not articles): {len(summary.set_aside)} file(s), e.g. {summary.set_aside[0]}", file=out)
    for uri, reason, detail in summary.rejects[:50]:
        print(f"  rejected {uri}: {reason}: {detail}", file=out)
    if len(summary.rejects) > 50:
        print(f"  ... and {len(summary.rejects) - 50} more rejects (policy-news status)", file=out)
    for b in summary.failed_batches:
        print(f"  FAILED batch {b}", file=out)
    print(f"  database {summary.db}", file=out)


def run_flow(flow_fn, **kwargs) -> int:
    """Run a flow, print its summary, map it to an exit status."""
    from flows.ingest import BatchesFailed
    from warehouse.db import DatabaseBusy

    state = flow_fn(return_state=True, **kwargs)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BatchesFailed):
        result = result.summary
    if isinstance(result, DatabaseBusy):
        print(f"policy-news: {result}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(result, BaseException):
        print(f"policy-news: {flow_fn.name} failed: {type(result).__name__}: {result}", file=sys.stderr)
        return EXIT_USAGE
    print_summary(result)
    if result.seen == 0 and result.rejected and not result.loaded and result.missing:
        return EXIT_USAGE
    return result.exit_code()


def cmd_ingest(args) -> int:
    from flows.ingest import ingest_flow
    from sources.registry import is_valid_unicode, printable_path

    bad = [p for p in args.paths or [] if not is_valid_unicode(p)]
    if bad:  # Prefect could not even send it as a parameter
        print(f"policy-news: {printable_path(bad[0])} is not a UTF-8 name: rename it, or pass its folder "
              "(a file so named in a folder is rejected as bad_file_name)", file=sys.stderr)
        return EXIT_USAGE
    fields = dict(kv.split("=", 1) for kv in args.jsonl_field or [])
    return run_flow(ingest_flow, paths=args.paths or None, db=_db(args), batch_size=args.batch_size,
                    jsonl_fields=fields or None)


def cmd_sql(args) -> int:
    import polars as pl

    from warehouse.db import connect_sandboxed, explain_query_error

    con = connect_sandboxed(_db(args), allow_files=args.allow_files)
    try:
        df = con.sql(args.query).pl()
    except Exception as e:
        print(f"policy-news sql: {explain_query_error(e)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        pass
    if args.format == "csv":
        sys.stdout.write(df.write_csv())
    elif args.format == "json":
        print(json.dumps(df.to_dicts(), ensure_ascii=False, default=str, indent=1))
    else:
        with pl.Config(tbl_rows=args.max_rows, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200,
                       tbl_hide_dataframe_shape=True):
            print(df)
    con.close()
    return EXIT_OK


def cmd_export(args) -> int:
    from warehouse.export import export_parquet

    written = export_parquet(_db(args), Path(args.dir))
    for table, (path, n) in written.items():
        print(f"{table}: {n} rows -> {path}")
    return EXIT_OK


def cmd_status(args) -> int:
    from warehouse.db import connect
    from warehouse.views import status_report

    con = connect(_db(args), read_only=True)
    try:
        print(status_report(con))
    finally:
        con.close()
    return EXIT_OK


def cmd_report(args) -> int:
    from warehouse.db import connect
    from warehouse.report import build_report

    con = connect(_db(args), read_only=True)
    try:
        page = build_report(con)
    finally:
        con.close()
    out = Path(args.out)
    out.write_text(page, encoding="utf-8")
    print(f"report: {out} ({len(page.encode('utf-8')) / 1e6:.1f} MB, self-contained)")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-news", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, fn, help_):
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--db", help="DuckDB file (default: $POLICY_NEWS_DB, else ./policy_news.duckdb)")
        sp.set_defaults(fn=fn)
        return sp

    sp = add("ingest", cmd_ingest, "ingest files, folders or globs (none: the bundled sample article)")
    sp.add_argument("paths", nargs="*")
    sp.add_argument("--batch-size", type=int, default=200, help="files per batch (one transaction each)")
    sp.add_argument("--jsonl-field", action="append", metavar="KEY=FIELD",
                    help="name a JSONL field: text=body, title=headline, date=pub_time, url=link")
    sp = add("sql", cmd_sql, "run a query on a read-only connection")
    sp.add_argument("query")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sp.add_argument("--max-rows", type=int, default=50, help="rows shown in table format")
    sp.add_argument("--allow-files", action="store_true",
                    help="let the query read and write files (COPY ... TO, read_csv); off by default")
    sp = add("export", cmd_export, "write every table as Parquet into DIR")
    sp.add_argument("dir")
    add("status", cmd_status, "documents per source and date, last runs, rejects")
    sp = add("report", cmd_report, "write one self-contained HTML page: indicator charts, targets and their verdicts")
    sp.add_argument("out", metavar="OUT.html")
    # backfill and reprocess bring their own options; imported here, after _quiet_prefect()
    from flows import backfill, pull, reprocess

    backfill.register_cli(sub, add)
    reprocess.register_cli(sub, add)
    pull.register_cli(sub, add)
    return p


def main(argv: list[str] | None = None) -> int:
    _quiet_prefect()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code else EXIT_OK
    try:
        return args.fn(args)
    except FileNotFoundError as e:
        print(f"policy-news: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("policy-news: interrupted; batches already committed stay loaded, a rerun resumes", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
