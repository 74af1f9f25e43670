"""One bad document costs that document: a reject row with its reason, never the batch.
Cost per document stays linear in its length, however long its sentences."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.inputs import discover
from flows.tasks import read_paths
from sources.base import RawDocument, raw_frame
from sources.registry import MAX_DOCUMENT_CHARS, read_file
from transforms import figures, pipeline, segment
from transforms.numerals import parse_numeral
from warehouse.db import connect
from warehouse.load import load_batch

DATA = Path(__file__).resolve().parents[1] / "data"
PAGE_8 = DATA / "corpus" / "mfa-presscon" / "8"
# a sentence of the 2024 government work report
REPORT = "国内生产总值超过126万亿元,增长5.2%,增速居世界主要经济体前列。"


def doc(uri: str, text: str) -> RawDocument:
    return RawDocument(source_uri=uri, source_format="text", text=text)


def test_a_document_a_stage_fails_on_becomes_a_reject_and_the_rest_of_the_batch_is_transformed(monkeypatch):
    real = figures.figures_from_sentences

    def fails_on_one(sentences, documents):
        if sentences["text"].str.contains("炸").any():
            raise ValueError("boom\non two lines")
        return real(sentences, documents)

    monkeypatch.setattr(figures, "figures_from_sentences", fails_on_one)
    raw = raw_frame([doc(f"d{i}.txt", REPORT) if i != 5 else doc("bad.txt", "炸" + REPORT) for i in range(9)])
    raw = raw.with_columns(text=pl.concat_str("text", pl.lit("第"), pl.col("source_uri")))  # nine distinct texts
    batch = pipeline.transform_batch(raw)
    assert [(r.source_uri, r.reason) for r in batch.rejects] == [("bad.txt", "transform_error")]
    assert "ValueError: boom on two lines" in batch.rejects[0].detail
    assert batch.tables["documents"].height == 8
    assert batch.tables["figures"].filter(pl.col("surface") == "5.2%").height == 8


def test_a_numeral_of_thousands_of_digits_is_no_figure_and_the_document_loads():
    assert parse_numeral("一" * 5000) is None
    raw = raw_frame([doc("big.txt", "今年投资" + "一" * 5000 + "元。" + REPORT)])
    batch = pipeline.transform_batch(raw)
    assert batch.rejects == []
    assert batch.tables["figures"]["surface"].to_list() == ["超过126万亿元", "5.2%"]


def test_a_value_no_double_holds_is_no_figure_never_inf():
    raw = raw_frame([doc("inf.txt", "投资" + "9" * 400 + "元,增长1" + "0" * 320 + "亿元。" + REPORT)])
    values = pipeline.transform_batch(raw).tables["figures"]["value"]
    assert values.is_finite().all()
    assert values.to_list() == [1.26e14, 5.2]


def test_a_text_that_is_one_long_sentence_is_cut_at_commas_flagged_and_offsets_still_hold():
    clause = "全年城镇新增就业1244万人,"
    text = clause * 2000 + "增长5.2%。"  # 30,000 characters, one sentence
    batch = pipeline.transform_batch(raw_frame([doc("long.txt", text)]))
    docs, sents = batch.tables["documents"], batch.tables["sentences"]
    assert docs["flags"].to_list() == [[segment.SENTENCE_CUT_FLAG]]
    assert sents["text"].str.len_chars().max() <= segment.MAX_SENTENCE_CHARS
    assert sents["text"].str.ends_with(",").head(-1).all()  # each piece ends at a comma
    clean = docs["clean_text"][0]
    assert all(clean[s:e] == t for s, e, t in sents.select("char_start", "char_end", "text").iter_rows())
    assert batch.tables["figures"].filter(pl.col("surface") == "1244万人").height == 2000


def test_a_sentence_without_any_comma_is_cut_every_max_characters():
    assert [len(p) for p in segment.split_at_pauses("字" * 2500)] == [1000, 1000, 500]


def test_ordinary_text_is_not_cut_nor_flagged():
    batch = pipeline.transform_batch(raw_frame([doc("r.txt", REPORT)]))
    assert batch.tables["documents"]["flags"].to_list() == [[]]


def test_a_json_line_with_a_lone_surrogate_is_rejected_and_the_other_lines_load(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text('{"title": "t", "content": "abc\\ud800def"}\n{"title": "u", "content": "%s"}\n' % REPORT)
    result = read_file(path)
    assert [(r.source_uri.rsplit("#", 1)[1], r.reason) for r in result.rejects] == [("line-1", "invalid_text")]
    assert [d.source_uri.rsplit("#", 1)[1] for d in result.docs] == ["line-2"]
    assert read_paths([path]).raw.height == 1


def test_a_file_name_that_is_not_utf8_is_rejected_by_a_printable_name(tmp_path):
    name = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xffname.txt"))
    Path(name).write_text(REPORT)
    good = tmp_path / "good.txt"
    good.write_text(REPORT + "又")
    batch = read_paths([Path(name), good])
    assert [(Path(r.source_uri).name, r.reason) for r in batch.rejects] == [("bad\\xffname.txt", "bad_file_name")]
    assert batch.raw["source_uri"].to_list() == [str(good)]
    assert [f.path for f in batch.files] == [str(good)]


@pytest.mark.parametrize("make, kind", [
    (lambda p: os.mkfifo(p), "named pipe (FIFO)"),
    (lambda p: os.symlink("/dev/null", p), "character device"),
])
def test_pipes_and_devices_are_rejected_as_not_a_file_without_being_opened(tmp_path, make, kind):
    special = tmp_path / "special"
    make(special)
    batch = read_paths([special])  # a FIFO opened for reading would block here
    assert [r.reason for r in batch.rejects] == ["not_a_file"]
    assert kind in batch.rejects[0].detail
    assert batch.files == []


def test_dev_null_on_the_command_line_is_read_and_rejected_not_ignored():
    files, aside, missing = discover(["/dev/null"])
    assert files == [Path("/dev/null")] and not missing
    assert [r.reason for r in read_file(Path("/dev/null")).rejects] == ["not_a_file"]


def test_a_subfolder_that_cannot_be_listed_is_a_reject_and_its_siblings_are_read(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text(REPORT)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(REPORT)
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)  # root may list any folder: simulate a mode 000 one
    files, _, _ = discover([str(tmp_path)])
    assert files == [locked, tmp_path / "ok" / "a.txt"]
    rejects = read_file(locked).rejects
    assert [r.reason for r in rejects] == ["unreadable"]
    assert "could not be listed: Permission denied" in rejects[0].detail


def test_pipes_and_broken_links_inside_a_folder_are_listed_for_rejection(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    os.symlink(tmp_path / "nowhere", tmp_path / "broken.txt")
    (tmp_path / ".hidden").write_text("x")
    files, _, _ = discover([str(tmp_path)])
    assert [f.name for f in files] == ["broken.txt", "pipe"]
    assert {f.name: r.reason for f in files for r in read_paths([f]).rejects} == {
        "broken.txt": "unreadable", "pipe": "not_a_file"}


class DiskFullAtCommit:
    """A connection whose COMMIT fails as DuckDB's does on a full disk: the transaction
    is over, and the error names the cause."""

    def __init__(self, con):
        self._con = con

    def __getattr__(self, name):
        return getattr(self._con, name)

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            self._con.execute("ROLLBACK")
            raise duckdb.TransactionException(
                'Failed to commit: Could not write file "x.duckdb.wal": No space left on device')
        return self._con.execute(sql, *args)


def test_a_commit_that_fails_on_a_full_disk_says_so_and_the_database_stays_usable(tmp_path):
    con = connect(tmp_path / "full.duckdb")
    batch = pipeline.transform_batch(raw_frame([doc("r.txt", REPORT)]))
    with pytest.raises(duckdb.TransactionException, match="No space left on device"):
        load_batch(DiskFullAtCommit(con), batch.tables, run_id="r1")
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    assert load_batch(con, batch.tables, run_id="r2").loaded == 1
    con.close()


def test_a_document_longer_than_the_limit_is_rejected_too_large(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("国" * (MAX_DOCUMENT_CHARS + 1))
    assert [r.reason for r in read_file(path).rejects] == ["too_large"]


@pytest.mark.parametrize("text, language", [
    ("日本語のテキストです。東京都は今日、新しい計画を発表しました。" * 3, "Japanese"),
    ("한국어 텍스트입니다. 서울시는 오늘 새로운 계획을 발표했습니다." * 3, "Korean"),
])
def test_japanese_or_korean_text_is_rejected_as_not_chinese(tmp_path, text, language):
    path = tmp_path / "foreign.txt"
    path.write_text(text)
    rejects = read_file(path).rejects
    assert [r.reason for r in rejects] == ["not_chinese"] and language in rejects[0].detail


def test_control_characters_leave_clean_text_and_stay_in_raw_text():
    text = "国务院\x00新闻\x1b办公室\x0c今天举行发布会\x7f。"
    docs = pipeline.transform_batch(raw_frame([doc("c.txt", text)])).tables["documents"]
    assert docs["clean_text"].to_list() == ["国务院新闻办公室\n今天举行发布会。"]
    assert docs["raw_text"].to_list() == [text]


def test_a_path_argument_that_is_not_utf8_is_a_usage_error_in_one_line(tmp_path, capsys):
    from flows.cli import main

    bad = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"no\xffsuch.txt"))
    assert main(["ingest", "--db", str(tmp_path / "x.duckdb"), bad]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no\\xffsuch.txt is not a UTF-8 name" in err
