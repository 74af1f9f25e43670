"""Hostile inputs, generated: every kind of bad file we know of, each with its expected
outcome (loads as documents, or is one reject with a reason), beside good files.

Nothing here is stored as a big file: each case is written by `build(folder)` from a
few bytes of real text (the sample article, page 8 of the Foreign Ministry, a work
report) or from a rule (`一` x 5000, a 2 MB sentence, a sparse 200 MB file).

    .venv/bin/python -m tests.hostile_inputs /tmp/hostile    # write the folder, then
    policy-news ingest /tmp/hostile                            # and see for yourself
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_8 = ROOT / "data" / "corpus" / "mfa-presscon" / "8"
DIGEST = ROOT / "data" / "corpus" / "xinwen-lianbo" / "20221121.md"
REPORTS = ROOT / "data" / "corpus" / "gov-work-reports" / "government_work_reports.jsonl"
SAMPLE = ROOT / "sources" / "samples" / "miit-press-conference-2024-07-05.txt"


@dataclass
class Case:
    name: str                      # path of the file under the folder
    reason: str | None = None      # the reason of its reject(s); None: the file loads
    documents: int | None = None   # documents it loads (default: 1 when it loads, else 0)
    rejects: int = 1               # rejects it gives when `reason` (a JSONL file may give both)
    flags: list[str] = field(default_factory=list)    # every document of it carries these
    absent: list[str] = field(default_factory=list)   # strings no clean_text of it holds
    skipped: bool = False          # a copy of another file: neither loaded nor rejected

    def __post_init__(self):
        if self.documents is None:
            self.documents = 0 if self.reason or self.skipped else 1


def _text(n: int = 1) -> str:
    """The sample article's first n paragraphs: real text, distinct per n."""
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n") if p.strip()]
    return "\n\n".join(paragraphs[:n])


def _report(i: int = 0) -> dict:
    with REPORTS.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n == i:
                return json.loads(line)
    raise IndexError(i)


def _page(body: str, head: str = '<meta charset="utf-8"><title>外交部发言人答记者问</title>') -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


ARTICLE = "<p>外交部发言人林剑主持例行记者会,介绍了近期中国同有关国家交往的情况。</p><p>记者提问后,发言人逐一作了回答。</p>"


def _article(i: int) -> str:
    """Paragraphs 3i to 3i+2 of the sample (i >= 1: never the opening of a text case), as
    HTML: no two i share a paragraph, so no page is a copy of another."""
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs[3 * i:3 * i + 3])
KOREAN = "한국 정부는 오늘 새로운 경제 정책을 발표했습니다. 이번 정책은 수출 확대를 목표로 합니다. "
JAPANESE = "日本政府は本日、新しい経済政策を発表しました。この政策は輸出の拡大を目指しています。"


def build(folder: Path) -> list[Case]:
    """Write every case into `folder` (created), return them with their expected outcomes."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    text = _text(6)
    page8 = PAGE_8.read_bytes()

    def put(name: str, data: bytes | str, **expect) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(name, **expect))

    # --- good files beside the bad ones: always load --------------------------------------
    put("good/8", page8)
    put("good/sample.txt", SAMPLE.read_bytes())
    put("good/20221121.md", DIGEST.read_bytes(), documents=4)
    put("good/report.jsonl", json.dumps(_report(0), ensure_ascii=False) + "\n")
    put("good/copy-of-8.html", page8, skipped=True)

    # --- empty and binary -------------------------------------------------------------------
    put("empty.txt", b"", reason="empty")
    put("whitespace.txt", b"  \n\n\t \r\n", reason="empty")
    put("bom_only.txt", b"\xef\xbb\xbf", reason="empty")
    put("image_without_extension", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), reason="binary")
    put("document.pdf.txt", b"%PDF-1.7\n" + bytes(range(256)), reason="binary")
    put("archive.txt", b"PK\x03\x04" + bytes(200), reason="binary")
    put("gzipped.html", b"\x1f\x8b\x08" + bytes(200), reason="binary")
    put("program", b"\x7fELF\x02\x01\x01" + bytes(200), reason="binary")
    put("old_office.txt", b"\xd0\xcf\x11\xe0" + bytes(200), reason="binary")
    put("nul_in_head.txt", text.encode() + b"\x00" * 10, reason="binary")
    put("control_bytes.txt", ("国务院" + "\x01\x02\x03\x04" * 30).encode(), reason="binary")

    # --- encodings ------------------------------------------------------------------------
    damaged = bytearray(text.encode())
    damaged[30:32] = b"\xff\xfe"
    put("damaged_utf8.txt", bytes(damaged), reason="undecodable")
    put("gbk.txt", _text(7).encode("gbk"))
    put("gb18030_four_byte.txt", (_text(8) + "㐀㐁").encode("gb18030"))
    put("utf16_bom.txt", b"\xff\xfe" + _text(9).encode("utf-16-le"))
    put("utf16_odd_bytes.txt", b"\xff\xfe" + _text(10).encode("utf-16-le") + b"\x00\xd8", reason="undecodable")
    put("utf8_bom.txt", b"\xef\xbb\xbf" + _text(11).encode())
    put("cut_in_last_char.txt", _text(12).encode() + "国".encode()[:2])
    put("gbk_cut_in_last_char.txt", (_text(13) + "国").encode("gbk")[:-1], reason="undecodable")
    put("shift_jis.txt", (JAPANESE * 5).encode("shift_jis"), reason="undecodable")
    put("euc_kr.txt", (KOREAN * 5).encode("euc-kr"), reason="undecodable")
    gbk_page = '<html><head><meta charset="{}"><title>外交部</title></head><body>{}</body></html>'
    put("gbk_declared_latin1.html", gbk_page.format("iso-8859-1", _article(2)).encode("gbk"),
        flags=["charset_not_iso8859-1"])
    put("gbk_declared_big5.html", gbk_page.format("big5", _article(3)).encode("gbk"), flags=["charset_not_big5"])
    put("utf8_declared_gbk.html", _page(_article(4), '<meta charset="gbk">'))
    put("unknown_charset.html", _page(_article(5), '<meta charset="x-no-such-charset">'))
    put("japanese.txt", JAPANESE * 5, reason="not_chinese")
    put("korean.txt", KOREAN * 5, reason="not_chinese")
    put("japanese_page.html", _page(f"<p>{JAPANESE * 3}</p>"), reason="not_chinese")

    # --- control and odd characters -------------------------------------------------------
    put("esc_and_del.txt", "国务院新闻办公室\x1b[31m今天举行发布会\x7f," + _text(14), absent=["\x1b", "\x7f"])
    put("nul_after_8k.txt", _text(40) + "\x00" + "结束。", absent=["\x00"])
    put("crlf.txt", _text(15).replace("\n", "\r\n"), absent=["\r"])
    put("cr_only.txt", _text(16).replace("\n", "\r"), absent=["\r"])
    put("form_feeds.txt", _text(17).replace("\n\n", "\x0c"), absent=["\x0c"])
    put("zero_width.txt", "\u200b".join(_text(18)), absent=["\u200b"])
    put("private_use.txt", _text(19) + "\ue000\ue001")
    put("emoji.txt", _text(20) + "👍🎉")
    put("full_width_digits.txt", "今年全国粮食产量达到１３９０８亿斤,增长１.３%。")
    put("only_punctuation.txt", "。。。,,,!!!")

    # --- HTML -------------------------------------------------------------------------------
    put("cut_in_head.html", page8[:300], reason="truncated_html")
    put("cut_in_body.html", page8[: page8.index("《北京日报》记者".encode()) + 5], flags=["truncated"])
    put("navigation_only.html", _page('<nav><a href="/">首页</a></nav><div><a href="/en">English</a></div>'),
        reason="no_body")
    put("empty_body.html", _page(""), reason="no_body")
    put("script_only.html", _page("<script>var 新闻 = '国务院新闻办公室今天举行发布会';</script>"), reason="no_body")
    put("unclosed_300_divs.html", _page("<div>" * 300 + _article(6)))
    # the article finder walks ancestors recursively (sources/html_body.py): past Python's stack it is
    # refused with a reason, never cut short
    put("unclosed_1000_spans.html", _page("<span>" * 1000 + _article(7)), reason="too_deep")
    put("nested_5000.html", _page("<div>" * 5000 + _article(8)), reason="too_deep")
    put("many_br.html", _page(_article(9) + "<br>" * 20000 + _article(14)))
    put("big_table.html", _page(_article(15) + "<table>" + "".join(
        f"<tr><td>第{i}项</td><td>{i * 7}亿元</td></tr>" for i in range(2000)) + "</table>"))
    put("unclosed_comment.html", _page(_article(13) + "<!-- 未闭合的注释 " + _article(16)))
    put("surrogate_reference.html", _page(_article(11) + "<p>&#xD800;&#0;&#x1b;</p>"), absent=["\x00", "\x1b"])
    put("xml_prolog_only.html", '<?xml version="1.0" encoding="gbk"?><html></html>', reason="no_body")
    put("attribute_flood.html", _page("<p " + " ".join(f'a{i}="{i}"' for i in range(5000)) + ">"
                                       + _article(12) + "</p>"))

    # --- JSON -------------------------------------------------------------------------------
    r1, r2 = _report(1), _report(2)
    put("one_bad_line.jsonl", json.dumps(r1, ensure_ascii=False) + '\n{"title": "cut\n', reason="bad_json", documents=1)
    put("lone_surrogate.jsonl", '{"title": "a", "content": "abc\\ud800def国务院"}\n'
        + json.dumps(r2, ensure_ascii=False) + "\n", reason="invalid_text", documents=1)
    put("no_text_field.jsonl", '{"title": "只有标题"}\n', reason="no_text", documents=0)
    put("line_is_array.jsonl", '{"title": "t", "content": "%s"}\n[1, 2, 3]\n' % _text(21).replace("\n", "\\n"),
        reason="bad_json", documents=1)
    put("deeply_nested.jsonl", '{"title": "t", "content": "%s"}\n' % _text(22).replace("\n", "\\n")
        + '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n", reason="bad_json", documents=1)
    put("json_array.json", json.dumps([{"title": "一", "content": _text(23)}, {"title": "二", "content": _text(24)}],
                                      ensure_ascii=False), documents=2)
    put("json_array_cut.json", '[{"title": "一", "content": "国务院新闻', reason="bad_json", documents=0)
    put("huge_numbers.jsonl", json.dumps({"title": "t", "content": _text(25), "year": "9" * 5000},
                                         ensure_ascii=False) + "\n")
    put("content_is_number.jsonl", '{"title": "数字", "content": 20240305}\n')
    put("bom.jsonl", b"\xef\xbb\xbf" + (json.dumps({"title": "t", "content": _text(26)}, ensure_ascii=False)
                                        + "\n").encode())
    put("repeated_lines.jsonl", (json.dumps({"title": "重复", "content": _text(27)}, ensure_ascii=False) + "\n") * 20)

    # --- numbers and lengths ----------------------------------------------------------------
    put("numeral_5000_digits.txt", "今年投资" + "一" * 5000 + "元。" + _text(28))
    put("value_past_double.txt", "投资" + "9" * 400 + "元,增长1" + "0" * 320 + "亿元。" + _text(29))
    put("ten_thousand_figures.txt", "".join(f"第{i}项投资{i}亿元," for i in range(10_000)) + "。")
    sentence = "全年城镇新增就业1244万人,居民人均可支配收入实际增长5.1%,"
    put("one_sentence_2mb.txt", sentence * (2_000_000 // len(sentence.encode())) + "。",
        flags=["long_sentences_cut"])
    put("no_punctuation_at_all.txt", "字" * 300_000, flags=["long_sentences_cut"])
    put("fifty_thousand_lines.txt", "\n".join(f"第{i}行,增长{i % 100}%。" for i in range(50_000)))
    put("thousand_headings.md", "".join(f"## 第{i}节标题\n\n正文第{i}段,投资{i}亿元。\n\n" for i in range(1000)))
    put("document_over_2m_chars.txt", "国" * 2_000_001, reason="too_large")
    with open(folder / "sparse_200mb.txt", "wb") as f:  # costs no disk, never read
        f.truncate(200 * 1024 * 1024)
    cases.append(Case("sparse_200mb.txt", reason="too_large"))

    # --- digests ----------------------------------------------------------------------------
    put("digest_heading_only.md", "# 《新闻联播》 (20240305)\n\n### 十四届全国人大二次会议在京开幕\n",
        flags=["empty_body"])
    put("digest_title_no_items.md", "# 《新闻联播》 (20240306)\n\n" + _text(30))

    # --- names and file kinds ---------------------------------------------------------------
    put("a'b; --.txt", _text(31))
    put("名字 有空格.txt", _text(32))
    put("line\nbreak.txt", _text(33))
    put("x.html/inner.txt", _text(34))
    put("/".join(["deep"] * 40) + "/leaf.txt", _text(35))
    bad_name = os.fsdecode(os.path.join(os.fsencode(folder), b"bad\xffname.txt"))
    Path(bad_name).write_text(_text(36), encoding="utf-8")
    cases.append(Case("bad\\xffname.txt", reason="bad_file_name"))
    os.mkfifo(folder / "pipe")
    cases.append(Case("pipe", reason="not_a_file"))
    os.symlink("/dev/null", folder / "link_to_dev_null")
    cases.append(Case("link_to_dev_null", reason="not_a_file"))
    os.symlink(folder / "no-such-file", folder / "broken_link.txt")
    cases.append(Case("broken_link.txt", reason="unreadable"))
    put(".hidden.txt", _text(37), documents=0, rejects=0)  # hidden: not read
    put("README.md", "# 说明\n\n本文件夹存放测试数据。", documents=0, rejects=0)  # set aside: describes the archive
    put("table.csv", "a,b\n1,2\n", reason="no_text")  # a CSV export is read; this one has no text column
    return cases


if __name__ == "__main__":
    built = build(Path(sys.argv[1]))
    print(f"{len(built)} cases written to {sys.argv[1]}")
