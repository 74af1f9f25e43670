"""Issue 3 end to end: a folder of bad inputs beside good ones, through `policy-news ingest`, twice."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.cli import main
from tests.test_sources_bad_inputs import EXPECTED_REJECTS, PAGE_8, _build_folder

pytestmark = pytest.mark.prefect

TABLES = ["documents", "paragraphs", "sentences", "turns", "figures", "targets", "policy_refs", "rejects"]


def snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
        rejects = con.execute("select source_uri, reason from rejects order by 1").fetchall()
        files = con.execute("select regexp_extract(source_uri, '[^/]+$'), count(*) from documents "
                            "group by 1 order by 1").fetchall()
    finally:
        con.close()
    return counts, rejects, files


def test_bad_inputs_are_rejected_one_row_each_the_rest_loads_and_a_rerun_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "inbox"
    _build_folder(folder)  # its vanishing file is gone before this run lists the folder
    shutil.copy(PAGE_8, folder / "copy-of-8.html")  # a duplicate under another name: skipped, not rejected
    db = tmp_path / "bad.duckdb"

    assert main(["ingest", "--db", str(db), str(folder)]) == 1
    out = capsys.readouterr().out
    counts, rejects, files = snapshot(db)
    expected = {k: v for k, v in EXPECTED_REJECTS.items() if v != "vanished"}
    assert {uri.replace(f"{folder}/", ""): reason for uri, reason in rejects} == expected
    assert len(rejects) == len(expected)
    assert "too_large" in out and "bad_json" in out
    # good files beside them: the page (once, though present twice), 4 digest items, 2 good JSONL
    # lines, the page cut in its body
    by_file = dict(files)
    assert by_file.get("8", 0) + by_file.get("copy-of-8.html", 0) == 1
    assert by_file["20221121.md#item-1"] == 1
    assert sum(n for name, n in files if name.startswith("20221121.md#item-")) == 4
    assert sum(n for name, n in files if name.startswith("one_bad_line.jsonl#line-")) == 2
    assert by_file["truncated_in_body.html"] == 1

    main(["ingest", "--db", str(db), str(folder)])
    assert snapshot(db) == (counts, rejects, files)
