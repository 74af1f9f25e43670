"""A folder of bad inputs beside good ones: one Reject per bad file (per bad line
for JSONL), the good files load.

Committed in tests/fixtures/bad_inputs/:
  empty.html                 0 bytes
  whitespace_only.txt        blank lines only
  photo_without_extension    a PNG header and binary noise
  nul_bytes.txt              Chinese text followed by NUL/control bytes
  invalid_utf8.txt           a UTF-8 transcript line with two broken bytes, no charset
  truncated_in_head.html     page 8 of the Foreign Ministry cut inside <head>
  one_bad_line.jsonl         two good report records around one line cut off mid-string
Generated at test time: a 200 MB file (sparse, never committed), a page cut in
its body (loads, flagged), a file listed and then deleted (vanished).
"""
from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

from sources.registry import read_file

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad_inputs"
PAGE_8 = DATA / "corpus" / "mfa-presscon" / "8"
DIGEST = DATA / "corpus" / "xinwen-lianbo" / "20221121.md"

EXPECTED_REJECTS = {
    "empty.html": "empty",
    "whitespace_only.txt": "empty",
    "photo_without_extension": "binary",
    "nul_bytes.txt": "binary",
    "invalid_utf8.txt": "undecodable",
    "truncated_in_head.html": "truncated_html",
    "one_bad_line.jsonl#line-2": "bad_json",
    "huge.txt": "too_large",
    "listed_then_deleted.html": "vanished",
}


def _build_folder(folder: Path) -> list[Path]:
    shutil.copytree(FIXTURES, folder)
    shutil.copy(PAGE_8, folder / "8")                     # good page, no extension
    shutil.copy(DIGEST, folder / DIGEST.name)             # good digest, 4 items
    raw = PAGE_8.read_bytes()
    (folder / "truncated_in_body.html").write_bytes(raw[: raw.index("《北京日报》记者".encode()) + 5])
    with open(folder / "huge.txt", "wb") as f:            # 200 MB, sparse: costs no disk, never read
        f.truncate(200 * 1024 * 1024)
    (folder / "listed_then_deleted.html").write_bytes(raw)
    listing = sorted(folder.iterdir())
    (folder / "listed_then_deleted.html").unlink()        # vanishes between listing and reading
    return listing


def test_folder_of_bad_inputs_gives_one_reject_each_and_loads_the_good_files(tmp_path):
    folder = tmp_path / "inbox"
    docs, rejects = [], []
    for path in _build_folder(folder):
        result = read_file(path)
        docs += result.docs
        rejects += result.rejects
    got = {r.source_uri.replace(f"{folder}/", ""): r.reason for r in rejects}
    assert got == EXPECTED_REJECTS
    assert all(r.detail.endswith(".") and len(r.detail) > 20 for r in rejects)

    by_file: dict[str, list] = {}
    for d in docs:
        by_file.setdefault(Path(d.source_uri.split("#")[0]).name, []).append(d)
    assert {k: len(v) for k, v in by_file.items()} == {
        "8": 1, "20221121.md": 4, "one_bad_line.jsonl": 2, "truncated_in_body.html": 1}
    assert [d.source_uri.rsplit("#", 1)[1] for d in by_file["one_bad_line.jsonl"]] == ["line-1", "line-3"]
    assert by_file["truncated_in_body.html"][0].flags == ["truncated"]
    assert by_file["8"][0].flags == []


def test_oversized_file_is_rejected_without_being_read_into_memory(tmp_path):
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as f:
        f.write(PAGE_8.read_bytes())
        f.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    result = read_file(huge)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [r.reason for r in result.rejects] == ["too_large"]
    assert "200.0 MB" in result.rejects[0].detail and "100.0 MB" in result.rejects[0].detail
    assert peak < 5 * 1024 * 1024


def test_size_limit_is_configurable(tmp_path):
    page = tmp_path / "8"
    shutil.copy(PAGE_8, page)
    assert [r.reason for r in read_file(page, max_bytes=10_000).rejects] == ["too_large"]
    assert len(read_file(page, max_bytes=1_000_000).docs) == 1


def test_details_say_what_is_wrong_in_words(tmp_path):
    folder = tmp_path / "inbox"
    details = {}
    for path in _build_folder(folder):
        for r in read_file(path).rejects:
            details[r.reason] = r.detail
    assert "PNG image" in details["binary"] or "binary data" in details["binary"]
    assert "mostly UTF-8" in details["undecodable"]
    assert "no longer exists" in details["vanished"]
    assert "Line 2 is not valid JSON" in details["bad_json"]
    assert "cut off" in details["truncated_html"]


def test_directory_path_is_rejected_not_raised(tmp_path):
    assert [r.reason for r in read_file(tmp_path).rejects] == ["unreadable"]
