"""`policy-news`: load Chinese policy news into DuckDB, and query it.

Exit status: 0 success, 1 some inputs rejected (the rest loaded), 2 usage error
or nothing could run.

Errors: a command raises `UsageError` (or lets one of the errors `main` knows
escape) and `main` prints one line on stderr and exits 2; no command prints a
traceback (POLICY_NEWS_TRACEBACK=1 shows it, for a bug report). A new
subcommand inherits this by being registered in `build_parser`.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_REJECTS, EXIT_USAGE = 0, 1, 2
PROG = "policy-news"


class UsageError(Exception):
    """Something the user can fix (an option, a path, a database): `main` prints the
    message on one line and exits 2."""


class Parser(argparse.ArgumentParser):
    """argparse that raises UsageError (one line) instead of printing usage and exiting."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _quiet_prefect() -> None:
    # Prefect reads these at import; a user's own settings win.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # the SDK's telemetry and its first-run notice on an interactive terminal
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # a first start migrates a fresh SQLite database; on a busy 2-core machine that exceeds the 20 s default
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _db(args) -> str:
    from warehouse.db import default_db_path

    return args.db or default_db_path()


# ---------------------------------------------------------------- checks shared by the commands

def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {n}")
    return n


def jsonl_field(text: str) -> str:
    """KEY=FIELD, KEY one of the reader's fields; returned as given (callers split it)."""
    from sources.fields import DEFAULT_FIELDS

    key, eq, field = text.partition("=")
    if not eq or not key or not field:
        raise argparse.ArgumentTypeError(f"expected KEY=FIELD (e.g. date=pub_time), got {text!r}")
    if key not in DEFAULT_FIELDS:
        raise argparse.ArgumentTypeError(f"unknown field {key!r} in {text!r}; known: {', '.join(DEFAULT_FIELDS)}")
    return text


# Options whose values every command checks the same way, wherever they are declared
# (the backfill and reprocess modules declare their own): dest -> check.
COMMON_CHECKS = {"batch_size": positive_int, "window": positive_int, "dask_workers": positive_int,
                 "max_batches": positive_int, "max_rows": positive_int, "jsonl_field": jsonl_field}


def check_arguments(args) -> None:
    """Run COMMON_CHECKS on the parsed options (UsageError naming the option)."""
    for dest, check in COMMON_CHECKS.items():
        value = getattr(args, dest, None)
        if value is None:
            continue
        for v in value if isinstance(value, list) else [value]:
            try:
                check(str(v))
            except argparse.ArgumentTypeError as e:
                option = "--field" if dest == "jsonl_field" else f"--{dest.replace('_', '-')}"
                raise UsageError(f"{PROG} {args.command}: {option}: {e}") from None
    if getattr(args, "read_processes", None) is not None and args.read_processes < 0:
        raise UsageError(f"{PROG} {args.command}: --read-processes: must be 0 or more, got {args.read_processes}")
    if (getattr(args, "dask", False) or getattr(args, "dask_address", None)) and not _has_module("prefect_dask"):
        raise UsageError(f"{PROG} {args.command}: --dask needs the dask extra: pip install 'policy-news[dask]'")
    if hasattr(args, "db"):
        check_db_file(_db(args))


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def check_db_file(path: str) -> None:
    """A database path that exists must be a DuckDB file (checked by its header,
    without opening it: DuckDB's own errors would come later, mid-run)."""
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{PROG}: {path} is a directory, not a DuckDB database file (--db FILE)")
    if p.exists():
        try:
            with p.open("rb") as f:
                head = f.read(12)
        except OSError as e:
            raise UsageError(f"{PROG}: cannot read {path}: {e.strerror or e}") from None
        if head[8:12] != b"DUCK":
            raise UsageError(f"{PROG}: {path} is not a DuckDB database file")


def open_read_only(path: str, lock_wait: float = 30.0, opener=None):
    """A read-only connection to an existing policy-news database, or UsageError.
    opener(path, wait_seconds): how to open it (default warehouse.db.connect, read-only)."""
    import duckdb

    from warehouse.db import connect

    if not Path(path).exists():
        raise UsageError(f"{PROG}: no database at {path} (run `policy-news ingest --db {path}` first, or pass --db)")
    check_db_file(path)
    opener = opener or (lambda p, wait: connect(p, read_only=True, wait_seconds=wait))
    try:
        return opener(path, lock_wait)
    except duckdb.Error as e:
        raise UsageError(f"{PROG}: cannot open {path}: {one_line(str(e))}") from None


def require_tables(con, path: str) -> None:
    """UsageError unless the database has the policy-news tables."""
    n = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'documents'").fetchall()[0][0]
    if not n:
        raise UsageError(f"{PROG}: {path} has no policy-news tables: nothing was ingested into it "
                         f"(policy-news ingest --db {path})")


def check_prefect_api() -> None:
    """A Prefect API URL set (in the environment or the active profile) must answer;
    without one, flows run on a temporary local server started once per process."""
    from prefect.context import get_settings_context
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        start_temporary_server()
        return
    import urllib.error
    import urllib.request

    where = ("the environment (PREFECT_API_URL)" if os.environ.get("PREFECT_API_URL")
             else f"the Prefect profile {get_settings_context().profile.name!r}")
    try:
        urllib.request.urlopen(url.rstrip("/") + "/health", timeout=5).close()
    except urllib.error.HTTPError:
        return  # it answers (an authenticated or cloud API may refuse /health)
    except (OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise UsageError(
            f"{PROG}: the Prefect API at {url} (set in {where}) does not answer ({reason}); start that server, "
            "or unset it (`prefect config unset PREFECT_API_URL`) to run on a temporary local server") from None


def start_temporary_server() -> None:
    """Start Prefect's temporary server for this process under a lock in PREFECT_HOME:
    the first start creates and migrates the server's SQLite database, and two first
    runs sharing a PREFECT_HOME must not migrate it at the same time. The flow then
    uses this server (Prefect keeps one per process)."""
    import fcntl

    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_HOME

    home = Path(PREFECT_HOME.value()).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".policy-news-server-start.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            SubprocessASGIServer().start()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def one_line(text: str) -> str:
    """An error message on one line: its first paragraph (DuckDB appends the query
    and a caret after a blank line), lines joined."""
    para = text.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in para.splitlines() if line.strip())


# ---------------------------------------------------------------- flows

def print_summary(summary, out=None) -> None:
    out = out or sys.stdout  # looked up at call time (tests and callers redirect it)
    print(f"run {summary.run_id} ({summary.flow_name}): {summary.status}, pipeline {summary.pipeline_version}",
          file=out)
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
    from flows.summary import RunFailed
    from warehouse.db import DatabaseBusy

    check_prefect_api()
    state = flow_fn(return_state=True, **kwargs)
    result = state.result(raise_on_failure=False)
    if isinstance(result, RunFailed):
        result = result.summary
    if isinstance(result, DatabaseBusy):
        print(f"{PROG}: {result}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(result, BaseException):
        print(f"{PROG}: {flow_fn.name} failed: {type(result).__name__}: {one_line(str(result))}", file=sys.stderr)
        return EXIT_USAGE
    print_summary(result)
    if result.seen == 0 and result.rejected and not result.loaded and result.missing:
        return EXIT_USAGE
    return result.exit_code()


# ---------------------------------------------------------------- commands

def cmd_ingest(args) -> int:
    from flows.ingest import ingest_flow
    from sources.registry import is_valid_unicode, printable_path

    bad = [p for p in args.paths or [] if not is_valid_unicode(p)]
    if bad:  # Prefect could not even send it as a parameter
        print(f"policy-news: {printable_path(bad[0])} is not a UTF-8 name: rename it, or pass its folder "
              "(a file so named in a folder is rejected as bad_file_name)", file=sys.stderr)
        return EXIT_USAGE
    fields = dict(kv.split("=", 1) for kv in args.jsonl_field or [])
    # another run writing to the database: wait 30 s, then say so (a flow run from a deployment waits on)
    return run_flow(ingest_flow, paths=args.paths or None, db=_db(args), batch_size=args.batch_size,
                    jsonl_fields=fields or None, refresh=args.refresh, lock_wait_seconds=30.0)


def sql_connection(args):
    """The connection `sql` runs the user's query on: read-only and sandboxed (this
    database only; --allow-files gives the query file access), see warehouse.db."""
    from warehouse.db import connect_sandboxed

    return open_read_only(_db(args), args.lock_wait, opener=lambda path, wait: connect_sandboxed(
        path, allow_files=args.allow_files, wait_seconds=wait))


def cmd_sql(args) -> int:
    import duckdb

    from flows.render import write_result
    from warehouse.db import explain_query_error

    con = sql_connection(args)
    try:
        try:
            rel = con.sql(args.query)
            write_result(rel, args.format, args.max_rows)
        except duckdb.Error as e:
            hint = ""
            if not con.execute("SELECT count(*) FROM information_schema.tables").fetchall()[0][0]:
                hint = f" ({_db(args)} has no tables: nothing was ingested into it)"
            raise UsageError(f"{PROG} sql: {one_line(explain_query_error(e))}{hint}") from None
    finally:
        con.close()
    return EXIT_OK


def cmd_export(args) -> int:
    from warehouse.export import export_parquet

    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{PROG} export: {folder} exists and is not a folder; give a folder for the Parquet files")
    db = _db(args)
    con = open_read_only(db, args.lock_wait)
    try:
        require_tables(con, db)
    finally:
        con.close()
    written = export_parquet(db, folder)
    for table, (path, n) in written.items():
        print(f"{table}: {n} rows -> {path}")
    return EXIT_OK


def cmd_status(args) -> int:
    from warehouse.views import status_report

    db = _db(args)
    con = open_read_only(db, args.lock_wait)
    try:
        require_tables(con, db)
        print(status_report(con))
    finally:
        con.close()
    return EXIT_OK


def cmd_report(args) -> int:
    from warehouse.report import build_report

    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        raise UsageError(f"{PROG} report: {out} is not a file in an existing folder; give a path such as report.html")
    db = _db(args)
    con = open_read_only(db, args.lock_wait)
    try:
        require_tables(con, db)
        page = build_report(con)
    finally:
        con.close()
    out.write_text(page, encoding="utf-8")
    print(f"report: {out} ({len(page.encode('utf-8')) / 1e6:.1f} MB, self-contained)")
    return EXIT_OK


def cmd_evaluate(args) -> int:
    import json

    from warehouse.evaluate import GoldError, evaluate, read_gold, report_lines, summary

    for g in args.gold:
        try:
            read_gold(g)
        except GoldError as e:
            raise UsageError(f"{PROG} evaluate: {e}") from None
    db = _db(args)
    con = open_read_only(db, args.lock_wait)
    try:
        require_tables(con, db)
        res = evaluate(con, args.gold)
    finally:
        con.close()
    overall = summary(res)
    if args.verbose:
        print(json.dumps(res, ensure_ascii=False, indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(dict(summary=overall, detail=res), ensure_ascii=False, indent=1,
                                              default=str), encoding="utf-8")
    print("\n".join(report_lines(res, overall)))
    return EXIT_REJECTS if any("error" in r for r in res.values()) else EXIT_OK


# ---------------------------------------------------------------- parser and main

def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from transforms.pipeline import PIPELINE_VERSION

    try:
        v = version("policy-news")
    except PackageNotFoundError:
        v = "(not installed)"
    return f"{PROG} {v} (pipeline {PIPELINE_VERSION})"


def add_lock_wait(sp) -> None:
    sp.add_argument("--lock-wait", type=float, default=30.0, metavar="SECONDS",
                    help="how long to wait while another run is writing to the database")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog=PROG, description=__doc__.splitlines()[0].split(": ", 1)[1])
    p.add_argument("--version", action="version", version=_version())
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, fn, help_):
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--db", help="DuckDB file (default: $POLICY_NEWS_DB, else ./policy_news.duckdb)")
        sp.set_defaults(fn=fn)
        return sp

    sp = add("ingest", cmd_ingest, "ingest files, folders or globs (none: the bundled sample article)")
    sp.add_argument("paths", nargs="*")
    sp.add_argument("--batch-size", type=positive_int, default=200, help="files per batch (one transaction each)")
    sp.add_argument("--field", "--jsonl-field", dest="jsonl_field", action="append", metavar="KEY=FIELD",
                    type=jsonl_field, help="name a JSONL key or CSV/Parquet column: text=full_text, "
                                           "title=headline, date=publish_date, url=link")
    sp.add_argument("--refresh", action="store_true",
                    help="read the files again even if loaded before, and replace their documents' rows "
                         "(metadata and everything derived): after changing --field, say")
    sp = add("sql", cmd_sql, "run a query on a read-only connection")
    sp.add_argument("query")
    sp.add_argument("--format", choices=["table", "line", "csv", "json"], default="table",
                    help="table (default), line (one field per line), csv or json (every row)")
    sp.add_argument("--max-rows", type=positive_int, default=50, help="rows shown in table and line format")
    sp.add_argument("--allow-files", action="store_true",
                    help="let the query read and write files (COPY ... TO, read_csv); off by default")
    add_lock_wait(sp)
    sp = add("export", cmd_export, "write every table as Parquet into DIR (existing .parquet files are replaced)")
    sp.add_argument("dir")
    add_lock_wait(sp)
    sp = add("status", cmd_status, "documents per source and date, last runs, rejects")
    add_lock_wait(sp)
    sp = add("report", cmd_report, "write one self-contained HTML page: indicator charts, targets and their verdicts")
    sp.add_argument("out", metavar="OUT.html")
    add_lock_wait(sp)
    sp = add("evaluate", cmd_evaluate, "score the database against hand-annotated gold files "
                                       "(docs/EVALUATION.md)")
    sp.add_argument("gold", nargs="+", metavar="GOLD.json")
    sp.add_argument("--verbose", action="store_true", help="also print every score and miss, as JSON")
    sp.add_argument("--json", metavar="OUT", help="write the summary and every score to this JSON file")
    add_lock_wait(sp)
    # backfill, reprocess and pull bring their own options (flows/commands.py: no Prefect import)
    from flows import commands

    commands.register_cli(sub, add)
    return p


def _quiet_broken_pipe() -> None:
    """The reader of our output went away (`| head`): send what is left to /dev/null,
    so that the interpreter's last flush does not complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status. Every error ends as one line on stderr."""
    from warehouse.db import DatabaseBusy

    _quiet_prefect()
    try:
        args = build_parser().parse_args(argv)
        check_arguments(args)
        return args.fn(args)
    except SystemExit as e:  # --help, --version
        return e.code if isinstance(e.code, int) else (EXIT_USAGE if e.code else EXIT_OK)
    except UsageError as e:
        print(one_line(str(e)), file=sys.stderr)
    except (DatabaseBusy, FileNotFoundError) as e:
        print(f"{PROG}: {one_line(str(e))}", file=sys.stderr)
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_OK
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; batches already committed stay loaded, a rerun resumes", file=sys.stderr)
    except Exception as e:
        if os.environ.get("POLICY_NEWS_TRACEBACK"):
            raise
        print(f"{PROG}: unexpected error: {type(e).__name__}: {one_line(str(e))} "
              "(POLICY_NEWS_TRACEBACK=1 shows where)", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # python -m flows.cli: run the module's one copy (other modules import flows.cli)
    from flows.cli import main as _main

    sys.exit(_main())
