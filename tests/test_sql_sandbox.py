"""`policy-news sql` reads the database and nothing else; `export DIR` writes into DIR only,
whatever DIR is called."""
from __future__ import annotations

import os

import polars as pl
import pytest

from flows.cli import main
from warehouse.db import connect


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "pn.duckdb"
    con = connect(path)  # every table, by the migrations
    con.execute("INSERT INTO rejects VALUES ('inbox/a.txt', 'empty', 'The file is empty.', now(), 'r1')")
    con.close()
    return path


def run_sql(db, query, capsys, *options):
    code = main(["sql", "--db", str(db), *options, query])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("query", [
    "select * from read_text('/etc/passwd')",
    "select * from read_csv('/etc/passwd')",
    "select * from glob('/etc/*')",
    "copy (select 1) to '{tmp}/written.csv'",
    "copy rejects to '{tmp}/rejects.parquet' (format parquet)",
    "export database '{tmp}/dump'",
    "attach '{tmp}/link.duckdb' as other (READ_WRITE)",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "set allowed_directories = ['/']",
])
def test_sql_cannot_touch_files_extensions_or_settings(db, tmp_path, capsys, query):
    os.link(db, tmp_path / "link.duckdb")  # the same database under another name
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_sql(db, query.format(tmp=tmp_path), capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "root:" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if "set " not in query:
        assert "--allow-files" in err


def test_sql_cannot_change_the_database_through_a_hard_link(db, tmp_path, capsys):
    os.link(db, tmp_path / "link.duckdb")
    for query in (f"attach '{tmp_path}/link.duckdb' as other (READ_WRITE)", "drop table rejects",
                  "delete from rejects"):
        assert run_sql(db, query, capsys)[0] == 2
    assert run_sql(db, "select count(*) as n from rejects", capsys, "--format", "csv")[1] == "n\n1\n"


def test_allow_files_lets_a_query_write_where_the_user_asks(db, tmp_path, capsys):
    target = tmp_path / "mine.csv"
    code, _, err = run_sql(db, f"copy (select reason from rejects) to '{target}'", capsys, "--allow-files")
    assert code == 0, err
    assert target.read_text().splitlines() == ["reason", "empty"]


def test_export_to_a_folder_named_like_sql_writes_only_there(db, tmp_path, capsys):
    folder = tmp_path / "a'b; --"
    assert main(["export", "--db", str(db), str(folder)]) == 0
    assert "rejects: 1 rows" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a'b; --", "pn.duckdb"]
    assert "rejects.parquet" in os.listdir(folder) and "documents.parquet" in os.listdir(folder)
    assert not [p for p in os.listdir(folder) if p.startswith(".")]  # the staging folder is gone
    assert pl.read_parquet(folder / "rejects.parquet")["reason"].to_list() == ["empty"]


def test_export_replaces_a_symlink_in_the_folder_instead_of_writing_through_it(db, tmp_path, capsys):
    folder, outside = tmp_path / "out", tmp_path / "precious.txt"
    folder.mkdir()
    outside.write_text("keep me")
    (folder / "runs.parquet").symlink_to(outside)
    assert main(["export", "--db", str(db), str(folder)]) == 0
    assert outside.read_text() == "keep me"
    assert not (folder / "runs.parquet").is_symlink()
    assert pl.read_parquet(folder / "runs.parquet").height == 0
