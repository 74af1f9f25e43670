"""Issue 2: the bundled sample end to end, through the CLI and the Prefect flow, into DuckDB."""
from __future__ import annotations

import json

import duckdb
import pytest

from flows.cli import main
from tests.util import OFFSET_TABLES

pytestmark = pytest.mark.prefect


def test_sample_is_one_document_with_its_metadata(query):
    rows = query("select source_format, byline, n_chars = length(clean_text), pipeline_version, "
                 "source_uri like '%/miit-press-conference-2024-07-05.txt' from documents")
    assert rows == [("markdown", "本报记者 齐旭", True, "0.1.0", True)]


def test_sample_has_the_six_gold_headings_in_order(query, gold):
    headings = [h for (h,) in query("select heading from sections where heading is not null order by section_no")]
    assert headings == gold["headings"]


def test_sample_has_fourteen_turns_in_gold_speaker_order(query, gold):
    speakers = [s for (s,) in query("select speaker from turns order by turn_no")]
    assert speakers == gold["turn_speakers"]
    roles = {r for (r,) in query("select distinct speaker_role from turns where speaker = '记者'")}
    assert roles == {"reporter"}


def test_paragraphs_cut_by_page_break_or_photo_credit_are_rejoined(query, gold):
    for fragment in gold["rejoined_paragraphs"]:
        hits = query(f"select count(*) from paragraphs where contains(text, '{fragment}')")
        assert hits == [(1,)], fragment


def test_layout_lines_are_removed_from_text_and_kept_as_facts(query, gold):
    (text, layout), = query("select clean_text, layout_lines from documents")
    for line in gold["removed_layout_lines"]:
        assert line not in text
        assert line in layout
    assert "转第" not in text


def test_every_offset_cuts_its_own_text_out_of_clean_text(query):
    for table in OFFSET_TABLES:
        own = {"sentences": "text", "paragraphs": "text", "figures": "surface", "targets": "text"}.get(table)
        check = f"substr(d.clean_text, t.char_start + 1, t.char_end - t.char_start) <> t.{own}" if own else \
            "t.char_start < 0 or t.char_end > d.n_chars or t.char_start > t.char_end"
        bad = query(f"select count(*) from {table} t join documents d using (doc_id) where {check}")
        assert bad == [(0,)], table
    assert query("select count(*) from sentences") [0][0] > 100


def test_sentences_never_split_inside_book_title_marks(query):
    rows = query("select text from sentences where text like '%《%' and text not like '%》%'")
    assert rows == []


def test_second_ingest_adds_nothing_and_counts_the_document_as_skipped(tmp_path):
    db = tmp_path / "twice.duckdb"
    assert main(["ingest", "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    tables = ["documents", "sections", "paragraphs", "sentences", "turns", "people", "figures", "targets",
              "policy_refs"]
    first = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    con.close()
    assert main(["ingest", "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    second = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    runs = con.execute("select docs_seen, docs_loaded, docs_skipped, status from runs order by started_at").fetchall()
    con.close()
    assert second == first
    assert runs == [(1, 1, 0, "completed"), (1, 0, 1, "completed")]


def test_sql_command_answers_in_csv_and_json(sample_db, capsys):
    assert main(["sql", "--db", str(sample_db), "--format", "json",
                 "select speaker, count(*) as n from turns group by 1 order by 1"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"speaker": "记者", "n": 7} in rows
    assert main(["sql", "--db", str(sample_db), "--format", "csv", "select count(*) as n from documents"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "1"]


def test_sql_command_is_read_only(sample_db, capsys):
    assert main(["sql", "--db", str(sample_db), "delete from documents"]) == 2
    assert "read-only" in capsys.readouterr().err.lower()


def test_status_and_export(sample_db, tmp_path, capsys):
    assert main(["status", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert "markdown" in out and "last runs" in out
    assert main(["export", "--db", str(sample_db), str(tmp_path / "pq")]) == 0
    con = duckdb.connect()
    n = con.execute(f"select count(*) from '{tmp_path / 'pq' / 'turns.parquet'}'").fetchone()[0]
    assert n == 14


def test_usage_errors_exit_2(tmp_path):
    assert main(["frobnicate"]) == 2
    assert main(["sql", "--db", str(tmp_path / "none.duckdb"), "select 1"]) == 2
    assert main(["ingest", "--db", str(tmp_path / "x.duckdb"), str(tmp_path / "no-such-file.txt")]) == 2
