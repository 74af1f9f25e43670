"""The command line as a user meets it: every misuse explained on one line (exit 2,
no traceback), --version, a closed pipe, `sql` showing any result, `evaluate`
scoring the sample database against its gold, and `ingest --refresh`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from flows.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "data" / "gold"


def policy_news(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`policy-news ARGS` in a new process (the module's entry point, from the checkout)."""
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    (d / "notes.txt").write_text("not a database\n", encoding="utf-8")
    duckdb.connect(str(d / "empty.duckdb")).close()  # a DuckDB database with no tables
    (d / "folder").mkdir()
    (d / "archive").mkdir()
    (d / "archive" / "a.txt").write_text("2024年1月1日 记者:测试。\n", encoding="utf-8")
    profile = d / "prefect-home"
    profile.mkdir()
    (profile / "profiles.toml").write_text(textwrap.dedent("""\
        active = "left-over"
        [profiles.left-over]
        PREFECT_API_URL = "http://127.0.0.1:9/api"
        """), encoding="utf-8")
    return d


def misuses(d: Path, sample_db: Path) -> dict[str, tuple[list[str], dict]]:
    """name -> (arguments, environment): every misuse the CLI must explain."""
    env_profile = {"PREFECT_HOME": str(d / "prefect-home"), "PREFECT_PROFILES_PATH": str(d / "prefect-home" / "profiles.toml")}
    db = ["--db", str(d / "new.duckdb")]
    return {
        "jsonl field without =": (["ingest", *db, "--jsonl-field", "text", str(d / "archive")], {}),
        "unknown jsonl field": (["ingest", *db, "--jsonl-field", "body=text", str(d / "archive")], {}),
        "unknown jsonl field (backfill)": (["backfill", *db, "--jsonl-field", "body=text", str(d / "archive")], {}),
        "sql on a text file": (["sql", "--db", str(d / "notes.txt"), "select 1"], {}),
        "sql on a folder": (["sql", "--db", str(d / "folder"), "select 1"], {}),
        "sql on an empty database": (["sql", "--db", str(d / "empty.duckdb"), "select * from figures"], {}),
        "sql on no database": (["sql", "--db", str(d / "none.duckdb"), "select 1"], {}),
        "status on a text file": (["status", "--db", str(d / "notes.txt")], {}),
        "status on a folder": (["status", "--db", str(d / "folder")], {}),
        "status on an empty database": (["status", "--db", str(d / "empty.duckdb")], {}),
        "export to an existing file": (["export", "--db", str(sample_db), str(d / "notes.txt")], {}),
        "batch size 0": (["ingest", *db, "--batch-size", "0", str(d / "archive")], {}),
        "negative batch size (backfill)": (["backfill", *db, "--batch-size", "-5", str(d / "archive")], {}),
        "negative window": (["backfill", *db, "--window", "-1", str(d / "archive")], {}),
        "backfill of a missing path": (["backfill", *db, str(d / "no-such-archive")], {}),
        "since after until": (["backfill", *db, "--since", "2024-02-01", "--until", "2024-01-01",
                               str(d / "archive")], {}),
        "not a date": (["backfill", *db, "--since", "2024-13-01", str(d / "archive")], {}),
        "reprocess of no database": (["reprocess", "--db", str(d / "none.duckdb")], {}),
        "ingest into a text file": (["ingest", "--db", str(d / "notes.txt"), str(d / "archive")], {}),
        "evaluate with no gold file": (["evaluate", "--db", str(sample_db), str(d / "no-gold.json")], {}),
        "evaluate with a gold file that is not JSON": (["evaluate", "--db", str(sample_db), str(d / "notes.txt")], {}),
        "unknown command": (["frobnicate"], {}),
        "no command": ([], {}),
        "Prefect API in the profile that does not answer": (["ingest", *db, str(d / "archive")], env_profile),
    }


def test_every_misuse_exits_2_with_one_line_and_no_traceback(bad_files, sample_db):
    cases = misuses(bad_files, sample_db)
    with ThreadPoolExecutor(4) as pool:
        results = dict(zip(cases, pool.map(lambda c: policy_news(*c[0], env=c[1]), cases.values())))
    for name, r in results.items():
        lines = r.stderr.strip().splitlines()
        assert r.returncode == 2, (name, r.returncode, r.stderr)
        assert len(lines) == 1, (name, r.stderr)
        assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, (name, r.stderr)
        assert lines[0].startswith("policy-news"), (name, lines[0])
    assert not (bad_files / "new.duckdb").exists()  # nothing ran
    assert not (bad_files / "none.duckdb").exists()
    said = {name: r.stderr for name, r in results.items()}
    assert "KEY=FIELD" in said["jsonl field without ="]
    assert "not a DuckDB database" in said["sql on a text file"]
    assert "directory" in said["status on a folder"]
    assert "no policy-news tables" in said["status on an empty database"]
    assert "nothing was ingested" in said["sql on an empty database"]
    assert "is after" in said["since after until"]
    assert "http://127.0.0.1:9/api" in said["Prefect API in the profile that does not answer"]
    assert "'left-over'" in said["Prefect API in the profile that does not answer"]


def test_a_reader_that_waited_for_the_writer_too_long_says_so(sample_db, tmp_path):
    db = tmp_path / "busy.duckdb"
    db.write_bytes(sample_db.read_bytes())
    writer = duckdb.connect(str(db))  # holds the file's write lock
    try:
        r = policy_news("sql", "--db", str(db), "--lock-wait", "1", "select count(*) from documents")
    finally:
        writer.close()
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert "in use by another" in r.stderr


def test_version():
    r = policy_news("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("policy-news ") and "pipeline" in r.stdout


def test_output_cut_by_a_closed_pipe_ends_quietly(sample_db):
    p = subprocess.Popen([sys.executable, "-m", "flows.cli", "sql", "--db", str(sample_db), "--format", "csv",
                          "select * from range(2000000)"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.readline().strip() == b"range"  # like `| head -1`
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0
    assert err == ""


# ---- sql shows any result

ODD_TYPES = ("select interval 1 month + interval 2 day as iv, map([1, 2], ['a', 'b']) as m, "
             "union_value(num := 2)::union(num int, str varchar) as u, titles, name "
             "from people where name = '金壮龙'")


@pytest.mark.parametrize("fmt", ["table", "line", "csv", "json"])
def test_sql_shows_interval_map_union_and_list_columns_in_every_format(sample_db, capsys, fmt):
    assert main(["sql", "--db", str(sample_db), "--format", fmt, ODD_TYPES]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        assert json.loads(out) == [{"iv": "1 month 2 days", "m": {"1": "a", "2": "b"}, "u": {"num": 2},
                                    "titles": ["党组书记", "部长"], "name": "金壮龙"}]
    elif fmt == "csv":
        assert out.splitlines() == ["iv,m,u,titles,name",
                                    '1 month 2 days,"{""1"":""a"",""2"":""b""}","{""num"":2}",'
                                    '"[""党组书记"",""部长""]",金壮龙']
    else:
        for shown in ("1 month 2 days", "{1=a, 2=b}", "[党组书记, 部长]", "金壮龙"):
            assert shown in out, (fmt, out)


def test_sql_table_says_how_many_rows_there_are_when_it_shows_fewer(sample_db, capsys):
    assert main(["sql", "--db", str(sample_db), "--max-rows", "3", "select figure_no from figures"]) == 0
    out = capsys.readouterr().out
    n = duckdb.connect(str(sample_db), read_only=True).execute("select count(*) from figures").fetchone()[0]
    assert f"(3 of {n:,} rows shown" in out


def test_sql_line_format_is_one_field_per_line(sample_db, capsys):
    assert main(["sql", "--db", str(sample_db), "--format", "line", "--max-rows", "2",
                 "select speaker, surface from figures order by figure_no"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["speaker = 金壮龙", "surface = 31.7%"] and out[2] == ""


def test_sql_table_leaves_out_columns_that_do_not_fit_and_names_them(sample_db, capsys):
    assert main(["sql", "--db", str(sample_db), "select * from figure_facts"]) == 0
    out = capsys.readouterr().out
    assert "more column(s) not shown" in out.splitlines()[-1] and "char_end" in out.splitlines()[-1]
    assert max(len(line) for line in out.splitlines()[:-1]) <= 200


# ---- evaluate: the project's scorer, through the command line

def test_evaluate_scores_the_sample_database_perfectly_against_its_gold(sample_db, tmp_path):
    out = tmp_path / "scores.json"
    r = policy_news("evaluate", "--db", str(sample_db), *map(str, sorted(GOLD_DIR.glob("*.json"))), "--json", str(out))
    assert r.returncode == 0, r.stderr
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert set(summary) >= {"documents_found", "figures.strict_recall", "figures.precision", "figures.speaker_acc",
                            "targets.recall", "targets.precision", "targets.deadline_acc", "policies.recall",
                            "policies.precision", "turns.accuracy", "people.found", "people.titles"}
    assert all(v == 1.0 for v in summary.values()), summary
    assert r.stdout.splitlines()[-1] == " ".join(f"{k}={v}" for k, v in summary.items())


def test_evaluate_counts_a_gold_document_missing_from_the_database(sample_db, tmp_path):
    gold = tmp_path / "other.json"
    gold.write_text(json.dumps({"document": "elsewhere/other.txt", "figures": []}), encoding="utf-8")
    r = policy_news("evaluate", "--db", str(sample_db), str(gold))
    assert r.returncode == 1
    assert "other: document not in database" in r.stdout and "documents_found=0.0" in r.stdout


# ---- ingest --refresh

@pytest.mark.prefect
def test_ingest_refresh_fixes_the_metadata_of_loaded_documents(tmp_path, capsys):
    dump = tmp_path / "dump.jsonl"
    rows = [{"title": f"通知{i}", "body": f"国务院常务会议研究部署第{i}项工作,要求各地区加快推进。", "pub_time": f"2024-03-0{i}"}
            for i in (1, 2)]
    dump.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "r.duckdb"

    def dates():
        con = duckdb.connect(str(db), read_only=True)
        try:
            return (con.execute("select title, published_date::varchar from documents order by title").fetchall(),
                    con.execute("select count(*) from sentences").fetchone()[0])
        finally:
            con.close()

    assert main(["ingest", "--db", str(db), "--jsonl-field", "text=body", str(dump)]) == 0
    (first, n_sentences) = dates()
    assert [d for _, d in first] == [None, None]
    # without --refresh the file is known and unchanged: nothing changes
    assert main(["ingest", "--db", str(db), "--jsonl-field", "text=body", "--jsonl-field", "date=pub_time",
                 str(dump)]) == 0
    assert dates()[0] == first
    capsys.readouterr()
    assert main(["ingest", "--db", str(db), "--refresh", "--jsonl-field", "text=body", "--jsonl-field",
                 "date=pub_time", str(dump)]) == 0
    assert "2 document(s) already in the database replaced" in capsys.readouterr().out
    assert dates() == ([("通知1", "2024-03-01"), ("通知2", "2024-03-02")], n_sentences)


# ---- Prefect's temporary server

@pytest.mark.prefect
def test_two_first_runs_sharing_a_prefect_home_both_succeed_without_a_telemetry_notice(tmp_path):
    """The first start of the temporary server creates and migrates its database in
    PREFECT_HOME; two first runs at once take turns (a lock in PREFECT_HOME)."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "shared-home")}
    env.pop("DO_NOT_TRACK", None)
    runs = [subprocess.Popen([sys.executable, "-m", "flows.cli", "ingest", "--db", str(tmp_path / f"{k}.duckdb")],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for k in range(2)]
    outs = [(p.communicate(timeout=600), p.returncode) for p in runs]
    for (out, err), code in outs:
        assert code == 0, err
        assert "loaded 1" in out
        assert "Traceback" not in err and "telemetry" not in (out + err).lower()
    assert (tmp_path / "shared-home" / ".policy-news-server-start.lock").exists()
