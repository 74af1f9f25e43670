"""The benchmark's archive generator and its command, at tiny N: correctness only, no timings."""
from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import pytest

from benchmarks.generate import MANIFEST, Variation, generate, plan_files, reorder, speaker_names
from flows.inputs import discover
from flows.tasks import content_ids, read_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def read_archive(folder: Path):
    files, _aside, missing = discover([str(folder)])
    assert not missing
    return read_paths(files)


def file_digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_archive_holds_n_distinct_documents_in_every_format_as_the_readers_see_them(tmp_path, data_dir):
    archive = generate(120, seed=3, out=tmp_path / "a", corpus=data_dir / "corpus", workers=1)
    rb = read_archive(tmp_path / "a")
    assert archive.n_docs == 120
    assert not rb.rejects
    assert rb.raw.height == 120
    assert content_ids(rb.raw).n_unique() == 120
    formats = set(rb.raw["source_format"].to_list())
    assert {"html", "digest", "jsonl"} <= formats and formats & {"text", "markdown"}
    assert archive.by_format["html"]["documents"] == 24  # 20% of 120, DEFAULT_MIX
    assert json.loads((tmp_path / "a" / MANIFEST).read_text())["n_docs"] == 120


def test_same_seed_gives_the_same_archive_and_another_seed_another(tmp_path, data_dir):
    generate(40, seed=7, out=tmp_path / "one", corpus=data_dir / "corpus", workers=1)
    generate(40, seed=7, out=tmp_path / "two", corpus=data_dir / "corpus", workers=2)
    generate(40, seed=8, out=tmp_path / "three", corpus=data_dir / "corpus", workers=1)
    one, two, three = (file_digests(tmp_path / d) for d in ("one", "two", "three"))
    one.pop(MANIFEST), two.pop(MANIFEST), three.pop(MANIFEST)
    assert one == two
    assert one != three


def test_without_the_corpus_every_format_is_made_from_the_bundled_sample(tmp_path):
    archive = generate(30, seed=1, out=tmp_path / "a", corpus=tmp_path / "no-such-corpus", workers=1)
    rb = read_archive(tmp_path / "a")
    assert archive.corpus is None
    assert rb.raw.height == 30 and content_ids(rb.raw).n_unique() == 30
    assert not rb.rejects
    sample = (ROOT / "sources" / "samples" / "miit-press-conference-2024-07-05.txt").read_text(encoding="utf-8")
    shingles = {sample[i:i + 8] for i in range(len(sample) - 8)}
    for text in rb.raw["text"]:
        assert any(text[i:i + 8] in shingles for i in range(len(text) - 8))


def test_refuses_to_write_into_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError):
        generate(10, seed=1, out=tmp_path, corpus=None)


def test_numbers_vary_but_keep_their_shape_and_dates_stay_valid():
    v = Variation(random.Random(5))
    src = "今年1—5月,规模以上工业增加值同比增长6.2%,增速比2023年加快1.6个百分点。7月5日,国新办举行发布会。"
    out = v.text(src)
    assert out != src
    assert re.fullmatch(r"今年[0-9]{1,2}—[0-9]{1,2}月,规模以上工业增加值同比增长[0-9]\.[0-9]%,增速比(20[12][0-9])年"
                        r"加快[0-9]\.[0-9]个百分点。([0-9]{1,2})月([0-9]{1,2})日,国新办举行发布会。", out)
    month, day = map(int, re.search(r"([0-9]+)月([0-9]+)日", out).groups())
    assert 1 <= month <= 12 and 1 <= day <= 28


def test_speakers_are_renamed_consistently_and_reporters_labels_are_not_names():
    paras = ["法新社记者：中方对此有何评论？", "毛宁：中方的立场是一贯的。", "毛宁表示，希望各方保持克制。"]
    assert speaker_names(paras, "2023年3月10日外交部发言人毛宁主持例行记者会") == ["毛宁"]
    v = Variation(random.Random(1))
    v.name("毛宁")
    renamed = [v.rename(p) for p in paras]
    new = v.names["毛宁"]
    assert renamed[1].startswith(new + "：") and renamed[2].startswith(new + "表示")
    assert renamed[0] == paras[0]


def test_press_conference_exchanges_move_whole_and_the_opening_stays_first():
    paras = ["开场通报。", "记者A记者：问一？", "汪文斌：答一。", "答一续。", "记者B记者：问二？", "汪文斌：答二。",
             "记者C记者：问三？", "汪文斌：答三。"]
    out = reorder(paras, random.Random(2))
    assert out[0] == "开场通报。" and sorted(out) == sorted(paras)
    i = out.index("汪文斌：答一。")
    assert out[i - 1] == "记者A记者：问一？" and out[i + 1] == "答一续。"


def test_plan_interleaves_formats_and_counts_exactly_n_documents():
    plans = plan_files(1000, seed=1)
    assert sum(p.n_docs for p in plans) == 1000
    first = {p.kind for p in plans[:40]}
    assert first == {"html", "text", "digest", "jsonl"} or len(first) >= 3
    assert len({p.relpath for p in plans}) == len(plans)


@pytest.mark.prefect
def test_benchmark_command_runs_the_backfill_twice_and_writes_every_measure(tmp_path, data_dir, capsys):
    from benchmarks.__main__ import main

    code = main(["run", "--n", "40", "--seed", "2", "--corpus", str(data_dir / "corpus"), "--naive-docs", "10",
                 "--work-dir", str(tmp_path / "work"), "--results", str(tmp_path / "results")])
    out = capsys.readouterr().out
    assert code == 0
    (result_file,) = (tmp_path / "results").glob("bench-n40-*.json")
    r = json.loads(result_file.read_text())["results"]
    assert r["documents_loaded"] == 40 and r["flow"]["failed_batches"] == []
    assert r["rows"]["documents"] == 40 and r["rows"]["sentences"] > 40 and r["rows"]["figures"] > 0
    assert r["rerun"]["loaded"] == 0 and r["rerun"]["skipped"] == 40
    assert r["plain"]["loaded"] == 40
    assert r["naive"]["documents"] == 10 and r["naive"]["rows"]["documents"] == 10
    # the bulk baseline does the same work, so it writes the same rows
    assert r["naive_bulk"]["documents"] == 10 and r["naive_bulk"]["rows"] == r["naive"]["rows"]
    assert r["one_regex_pass"]["documents"] == 40 and r["one_regex_pass"]["matches"] > 0
    assert {"read", "clean", "segment", "figures", "load"} <= set(r["stages_s"])
    assert r["peak_rss_mb"] > 0 and set(r["targets"]) >= {"at_least_30x_naive", "rerun_under_30_s"}
    assert r["ratios"]["naive_bulk_over_pipeline"] > 0
    assert "naive bulk/pipeline" in out and "transforms/one regex pass" in out
    assert list((tmp_path / "work").glob("bench-n40.duckdb"))


def test_a_file_that_keeps_repeating_a_document_is_made_distinct_by_serial_paragraphs():
    """With only the bundled sample to vary (no corpus), late attempts add a serial paragraph
    to every document of the file: distinct by construction, in every format."""
    from benchmarks import generate as g

    g._init_worker(None)
    for kind, n_docs in (("text", 1), ("html", 1), ("digest", 3), ("jsonl", 3)):
        plan = g.FilePlan(7, kind, n_docs)
        data, keys = g.build_file(plan, 1, g.SERIAL_AFTER)
        again, other_keys = g.build_file(plan, 1, g.SERIAL_AFTER + 1)
        assert f"档案编号 7.{g.SERIAL_AFTER}".encode() in data, kind
        assert len(set(keys)) == n_docs and not set(keys) & set(other_keys), kind
        plain, _ = g.build_file(plan, 1, 0)
        assert "档案编号".encode() not in plain


def test_the_rerun_target_is_judged_only_where_its_fixed_cost_does_not_dominate():
    from benchmarks.run import targets

    def result(n: int, rerun_s: float) -> dict:
        return {"n": n, "prefect_startup_s": 5.0, "wall_s": 1.0, "peak_rss_mb": 900, "rerun": {"wall_s": rerun_s},
                "ratios": {"naive_over_pipeline": 40.0, "transforms_over_one_regex_pass": 9.0}}

    assert targets(result(1_000, 1.2))["rerun_under_30_s"] is None  # scaled, 120 s: says nothing
    assert targets(result(10_000, 1.1))["rerun_under_30_s"] is True
    assert targets(result(10_000, 9.0))["rerun_under_30_s"] is False
