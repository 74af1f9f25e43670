"""Synthetic archives for the benchmark: N distinct, realistic documents.

Every generated document is a real one (a corpus page, report, digest item or
the bundled sample) with its numbers, dates, speakers' names and paragraph
order varied, so content hashes differ and the text still reads like the
genre. Formats are mixed in fixed proportions (`DEFAULT_MIX`) and laid out as
an archive would be: `html/` pages, `text/` articles, `digest/` daily files
(several documents each), `jsonl/` exports (many documents each).

Deterministic for a seed: file k is built from `Random((seed, k))` alone, so
the archive does not depend on how many processes built it.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "data" / "corpus"
SAMPLES = REPO / "sources" / "samples"

# Share of DOCUMENTS per format. A policy-news archive is mostly articles and
# press-conference pages, with digests (many short items a day) and a few bulk
# JSONL exports of long reports. About 20 KB of input per document on average.
DEFAULT_MIX = {"html": 0.20, "text": 0.40, "digest": 0.35, "jsonl": 0.05}
# documents per digest file (items kept from a day's transcript) and per JSONL file
DIGEST_ITEMS = (4, 16)
JSONL_RECORDS = (10, 40)
FILES_PER_FOLDER = 1000
# draws of another source document when a variation repeats one already made
MAX_REDRAWS = 20
# From this attempt on, a file that repeats a document already written gets a serial
# paragraph in each of its documents (`（档案编号 123.10-0）`): distinct by construction, however
# few templates there are to vary (an archive made from the bundled sample alone, say).
SERIAL_AFTER = 5
# a text or JSONL source document needs this many numbers, or its variations would repeat
MIN_NUMBERS = 5
MIN_ITEM_NUMBERS = 3
# a dot-file: the ingest flow does not read it as an article
MANIFEST = ".benchmark-manifest.json"

# ASCII numbers in running text: 31.7 / 2024 / 1,234 (each comma group varies alone)
NUMBER = re.compile(r"(?<![&#0-9A-Za-z.])([0-9]+)(?:\.([0-9]+))?(?=([年月日号]?))")
# speaker labels at a paragraph start: `金壮龙:` `汪文斌：`; `记者:` / `问:` are not names
LABEL = re.compile(r"^\s*([\u4e00-\u9fff]{2,3})[：:]")
# names in titles and bylines: `发言人毛宁主持`, `本报记者 齐旭`
NAME_IN_TITLE = re.compile(r"发言人([\u4e00-\u9fff]{2,3}?)(?:主持|答记者问)")
NAME_IN_BYLINE = re.compile(r"记者\s+([\u4e00-\u9fff]{2,3})(?:\s|$)", re.M)
# a question opens a press-conference exchange: `法新社记者:`, `问:`
QUESTION = re.compile(r"^\s*(?:[^，。：:]{0,12}记者|问)[：:]")
# a heading paragraph: short, no sentence punctuation
HEADING = re.compile(r"^[^。，；！？]{1,30}$")
TAG = re.compile(r"<[^>]+>")
# common surnames: a name must start with one (so `目标:` is not taken for a speaker)
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
            "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
            "武戴莫孔向汤华辛寿")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂文华金志国建新宁春林海波晓红玉兰云峰斌辉鹏飞琳雪慧颖博宇"
# `<p ...>...</p>` inside an HTML article body
HTML_PARA = re.compile(r"<p\b[^>]*>.*?</p>", re.S)
HTML_BODY = 'id="News_Body_Txt_A"'
# `# 《新闻联播》 (20240305)`
DIGEST_DATE = re.compile(r"\(([0-9]{4})([0-9]{2})([0-9]{2})\)")
META_DATE = re.compile(r'(<meta name="PubDate" content=")([0-9]{4})-([0-9]{2})-([0-9]{2})')


@dataclass
class Template:
    kind: str           # html | text | digest | jsonl
    text: str           # the whole file (html/text), the digest file, or one JSONL record's content
    meta: dict = field(default_factory=dict)


@dataclass
class Sources:
    templates: dict[str, list[Template]]
    corpus: Path | None
    digest_items: list[str] = field(default_factory=list)   # `### heading\n<p>...</p>...` of every day


# ---------------------------------------------------------------- source documents

def load_sources(corpus: Path | None) -> Sources:
    """Templates per format from the corpus (when present) and the bundled sample."""
    sample = [Template("text", p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    t: dict[str, list[Template]] = {"html": [], "text": list(sample), "digest": [], "jsonl": []}
    if corpus is not None and corpus.is_dir():
        for p in sorted((corpus / "mfa-presscon").glob("*")):
            if p.is_file() and p.name.isdigit():
                page = p.read_text(encoding="utf-8")
                t["html"].append(Template("html", page))
                t["text"].append(Template("text", _page_as_text(page)))
        for p in sorted(q for q in (corpus / "xinwen-lianbo").glob("*.md") if q.stem.isdigit()):
            day = p.read_text(encoding="utf-8")
            t["digest"].append(Template("digest", day))
        for p in sorted((corpus / "gov-work-reports").glob("*.jsonl")):
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    if len(rec.get("content") or "") >= 2000:
                        t["jsonl"].append(Template("jsonl", rec["content"], rec))
    else:
        corpus = None
    # Without the corpus every format is made from the sample: pages wrap it in
    # HTML, digests hold its paragraphs as items, JSONL records carry it whole.
    # a source document with (almost) nothing to vary (an old report in Chinese numerals) would repeat
    for kind in ("text", "jsonl"):
        varied = [x for x in t[kind] if len(NUMBER.findall(x.text)) >= MIN_NUMBERS]
        t[kind] = varied or t[kind]
    items = [i for d in t["digest"] for i in digest_items(d.text)]
    # an item needs numbers to vary, or its variations would repeat across the archive
    items = [i for i in items if len(NUMBER.findall(_plain("".join(HTML_PARA.findall(i))))) >= MIN_ITEM_NUMBERS] or items
    if not t["html"]:
        t["html"] = [Template("html", _text_as_page(s.text)) for s in sample]
    if not t["digest"]:
        t["digest"] = [Template("digest", _text_as_digest(s.text)) for s in sample]
    if not t["jsonl"]:
        t["jsonl"] = [Template("jsonl", s.text, {"title": "", "url": "", "year": "2024"}) for s in sample]
    if not items:
        items = [i for d in t["digest"] for i in digest_items(d.text)]
    return Sources(t, corpus, items)


def digest_items(day: str) -> list[str]:
    """The `### ` items of a day's digest that have text (an item with only a heading and a
    link has an empty text, and documents with the same text are one document to the pipeline)."""
    first = day.find("\n### ")
    items = re.split(r"\n(?=### )", day[first + 1:]) if first >= 0 else []
    return [i.rstrip("\n") + "\n" for i in items if i.startswith("### ") and HTML_PARA.search(i)]


def _page_as_text(page: str) -> str:
    """An MFA page as the plain-text article an archive export would hold."""
    title = re.search(r'<meta name="ArticleTitle" content="([^"]*)"', page)
    paras = [_plain(p) for p in HTML_PARA.findall(page[page.find(HTML_BODY):])]
    lines = ([html.unescape(title.group(1))] if title else []) + [p for p in paras if p]
    return "\n\n".join(lines) + "\n"


def _plain(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment)).replace("\xa0", " ").strip()


def _text_as_page(text: str) -> str:
    paras = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())
    return ('<!DOCTYPE html><html><head><meta charset="UTF-8"><meta name="PubDate" content="2024-07-05">'
            f'</head><body><div {HTML_BODY}>\n{paras}\n</div></body></html>\n')


def _text_as_digest(text: str) -> str:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    items = "\n\n".join(f"### {p[:20]}\n\n<p>{html.escape(p)}</p>\n" for p in paras if len(p) > 40)
    return f"# 《新闻联播》 (20240705)\n\n## 详细新闻\n\n{items}"


# ---------------------------------------------------------------- variation

class Variation:
    """One document's consistent changes: a date shift, a name map, number noise."""

    def __init__(self, rng: random.Random, serial: str | None = None):
        self.rng, self.serial = rng, serial
        self.dy, self.dm, self.dd = rng.randint(-5, 0), rng.randint(0, 11), rng.randint(0, 27)
        self.names: dict[str, str] = {}

    def year(self, y: int) -> int:
        return y + self.dy if 1949 <= y <= 2030 else y

    def month(self, m: int) -> int:
        return (m - 1 + self.dm) % 12 + 1 if 1 <= m <= 12 else m

    def day(self, d: int) -> int:
        return (d - 1 + self.dd) % 28 + 1 if 1 <= d <= 31 else d

    def number(self, m: re.Match) -> str:
        whole, frac, unit = m.group(1), m.group(2), m.group(3)
        text = m.group(0)
        if len(whole) > 1 and whole.startswith("0") or len(whole) > 9:
            return text  # a code or serial, not a quantity
        n = int(whole)
        if unit == "年" and frac is None and len(whole) == 4:
            return str(self.year(n))
        if unit == "月" and frac is None:
            return str(self.month(n))
        if unit in ("日", "号") and frac is None:
            return str(self.day(n))
        k = len(whole)
        lo, hi = (1 if k == 1 else 10 ** (k - 1)), 10 ** k - 1
        new = min(hi, max(lo, round(n * self.rng.uniform(0.6, 1.4)) if n else self.rng.randint(0, 9)))
        if frac is None:
            return str(new)
        return f"{new}.{self.rng.randrange(10 ** len(frac)):0{len(frac)}d}"

    def name(self, old: str) -> str:
        if old not in self.names:
            given = "".join(self.rng.choice(GIVEN) for _ in range(len(old) - 1))
            self.names[old] = self.rng.choice(SURNAMES) + given
        return self.names[old]

    def text(self, s: str) -> str:
        """Numbers and dates of running text (no markup in s)."""
        return NUMBER.sub(self.number, s)

    def markup(self, s: str) -> str:
        """Numbers and dates in the text nodes of an HTML fragment, tags untouched."""
        return re.sub(r">([^<]+)<", lambda m: ">" + self.text(m.group(1)) + "<", s)

    def mark(self, k: int = 0) -> str:
        """The serial paragraph of the k-th document of the file ("" without a serial)."""
        return f"（档案编号 {self.serial}-{k}）" if self.serial else ""

    def rename(self, s: str) -> str:
        for old, new in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            s = s.replace(old, new)
        return s


def speaker_names(paragraphs: list[str], title: str = "") -> list[str]:
    """People named as speakers, spokespeople or by-lined reporters."""
    found = [m.group(1) for p in paragraphs if (m := LABEL.match(_plain(p)))]
    found += NAME_IN_TITLE.findall(title) + NAME_IN_BYLINE.findall("\n".join(_plain(p) for p in paragraphs[:6]))
    return [n for n in dict.fromkeys(found) if n[0] in SURNAMES and not n.endswith(("记者", "主持"))]


def reorder(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Press conferences: exchanges (a question and its answer) in another order,
    the opening announcements first. Other texts: a few paragraphs swapped
    inside their section (headings stay where they are)."""
    plain = [_plain(p) for p in paragraphs]
    starts = [i for i, p in enumerate(plain) if QUESTION.match(p)]
    if len(starts) >= 2:
        bounds = starts + [len(paragraphs)]
        units = [paragraphs[a:b] for a, b in zip(bounds, bounds[1:])]
        rng.shuffle(units)
        return paragraphs[:starts[0]] + [p for u in units for p in u]
    out = list(paragraphs)
    body = [i for i, p in enumerate(plain) if not HEADING.match(p) and len(p) > 40]
    for _ in range(min(3, len(body) // 2)):
        a, b = sorted(rng.sample(body, 2))
        if not any(HEADING.match(plain[j]) for j in range(a, b)):
            out[a], out[b] = out[b], out[a]
    return out


def vary_text(t: Template, v: Variation) -> tuple[str, str]:
    """-> (file text, body that becomes the document's text)."""
    parts = re.split(r"(\n\s*\n)", t.text)
    paras = parts[0::2]
    for n in speaker_names(paras):
        v.name(n)
    head, rest = paras[:3], reorder(paras[3:], v.rng)
    body = "\n\n".join(v.rename(v.text(p)) for p in head + rest)
    if v.serial:
        body += "\n\n" + v.mark()
    return body, body


def vary_html(t: Template, v: Variation) -> tuple[str, str]:
    page = t.text
    start = page.find(HTML_BODY)
    paras = list(HTML_PARA.finditer(page, start if start >= 0 else 0))
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    for n in speaker_names([m.group(0) for m in paras], title.group(1) if title else ""):
        v.name(n)
    if not paras:
        return v.rename(page), page
    a, b = paras[0].start(), paras[-1].end()
    region = "\n".join(v.markup(p) for p in reorder([m.group(0) for m in paras], v.rng))
    if v.serial:
        region += f"\n<p>{v.mark()}</p>"
    page = page[:a] + region + page[b:]

    def meta_date(m):
        y, mo, d = v.year(int(m.group(2))), v.month(int(m.group(3))), v.day(int(m.group(4)))
        return f"{m.group(1)}{y:04d}-{mo:02d}-{d:02d}"

    page = META_DATE.sub(meta_date, page)
    head, tail = page[:a], page[a:]
    title_node = re.compile(r"(<title>|content=\")([^<\"]*)")
    head = title_node.sub(lambda m: m.group(1) + v.text(m.group(2)), head)
    page = v.rename(head + tail)
    return page, v.rename(region)


def vary_digest(t: Template, items: list[str], v: Variation, n_items: int) -> tuple[str, list[str]]:
    """A day's digest (its title and summary) followed by n_items items drawn from
    all days' items, each with its numbers, dates and names varied."""
    text = t.text
    first = text.find("\n### ")
    head = text[:first + 1] if first >= 0 else text
    items = items or ["### 无题\n<p>无题</p>\n"]
    day = DIGEST_DATE.search(head)
    head = v.text(head)
    if day:
        y, mo, d = v.year(int(day.group(1))), v.month(int(day.group(2))), v.day(int(day.group(3)))
        head = DIGEST_DATE.sub(f"({y:04d}{mo:02d}{d:02d})", head, count=1)
    bodies = []
    out = [head]
    for k in range(n_items):
        for _attempt in range(MAX_REDRAWS):  # an item with nothing to vary may come out as one already in the file
            heading, _, rest = items[v.rng.randrange(len(items))].partition("\n")
            paras = HTML_PARA.findall(rest)
            for n in speaker_names(paras):
                v.name(n)
            if paras:
                varied = "".join(v.markup(p) for p in reorder(paras, v.rng))
                rest = rest.replace("".join(paras), varied, 1) if "".join(paras) in rest else v.markup(rest)
            rest = v.rename(rest)
            if v.serial:
                rest = rest.rstrip("\n") + f"\n<p>{v.mark(k)}</p>\n"
            if rest not in bodies:
                break
        out.append(v.rename(v.text(heading)) + "\n" + rest)
        bodies.append(rest)
    return "\n".join(out), bodies


def vary_record(t: Template, v: Variation) -> tuple[dict, str]:
    body, _ = vary_text(Template("text", t.text), v)
    rec = dict(t.meta)
    rec["content"] = body
    rec["title"] = v.rename(v.text(rec.get("title") or ""))
    if rec.get("year"):
        rec["year"] = str(v.year(int(rec["year"]))) if str(rec["year"]).isdigit() else rec["year"]
    return rec, body


# ---------------------------------------------------------------- the archive

@dataclass
class FilePlan:
    index: int
    kind: str
    n_docs: int

    @property
    def relpath(self) -> str:
        ext = {"html": "html", "text": "txt", "digest": "md", "jsonl": "jsonl"}[self.kind]
        return f"{self.kind}/{self.index // FILES_PER_FOLDER:04d}/{self.kind}-{self.index:07d}.{ext}"


def plan_files(n: int, seed: int, mix: dict[str, float] | None = None) -> list[FilePlan]:
    """Which files make N documents: each format's share of documents, files
    interleaved so any prefix of the archive has the same mix."""
    mix = mix or DEFAULT_MIX
    rng = random.Random(f"plan-{seed}")
    total = sum(mix.values())
    want = {k: round(n * w / total) for k, w in mix.items()}
    want[max(want, key=want.get)] += n - sum(want.values())
    plans: list[tuple[float, str, int]] = []
    for kind, docs in want.items():
        left = docs
        while left > 0:
            size = {"digest": DIGEST_ITEMS, "jsonl": JSONL_RECORDS}.get(kind, (1, 1))
            k = min(left, rng.randint(*size))
            plans.append((rng.random(), kind, k))
            left -= k
    plans.sort()
    return [FilePlan(i, kind, k) for i, (_, kind, k) in enumerate(plans)]


_SOURCES: Sources | None = None


def _init_worker(corpus: str | None) -> None:
    global _SOURCES
    _SOURCES = load_sources(Path(corpus) if corpus else None)


def build_file(plan: FilePlan, seed: int, attempt: int = 0) -> tuple[bytes, list[str]]:
    """-> (file bytes, a key per document: the digest of the text it is made from)."""
    rng = random.Random(f"{seed}-{plan.index}-{attempt}")
    serial = f"{plan.index}.{attempt}" if attempt >= SERIAL_AFTER else None
    pool = _SOURCES.templates[plan.kind]
    if plan.kind == "digest":
        data, bodies = vary_digest(rng.choice(pool), _SOURCES.digest_items, Variation(rng, serial), plan.n_docs)
    elif plan.kind == "jsonl":
        records, bodies = [], []
        for k in range(plan.n_docs):
            for _attempt in range(MAX_REDRAWS):
                rec, body = vary_record(rng.choice(pool), Variation(rng, serial and f"{serial}.{k}"))
                if body not in bodies:
                    break
            records.append(json.dumps(rec, ensure_ascii=False))
            bodies.append(body)
        # The shortest record first: format detection sniffs the first 64 KB and a file
        # whose first record is longer is not recognised as JSONL (sources/detect.py).
        first = min(range(len(records)), key=lambda i: len(records[i]))
        records.insert(0, records.pop(first))
        bodies.insert(0, bodies.pop(first))
        data = "\n".join(records) + "\n"
    elif plan.kind == "html":
        data, body = vary_html(rng.choice(pool), Variation(rng, serial))
        bodies = [body]
    else:
        data, body = vary_text(rng.choice(pool), Variation(rng, serial))
        bodies = [body]
    return data.encode("utf-8"), [hashlib.sha256(b.encode("utf-8")).hexdigest() for b in bodies]


def _build_and_write(args) -> tuple[int, int, list[str]]:
    plan, seed, out, attempt = args
    data, keys = build_file(plan, seed, attempt)
    path = Path(out) / plan.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return plan.index, len(data), keys


@dataclass
class Archive:
    out: Path
    n_docs: int
    n_files: int
    n_bytes: int
    by_format: dict[str, dict[str, int]]
    seed: int
    corpus: str | None
    seconds: float
    retried: int = 0

    def manifest(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def generate(n: int, seed: int, out: Path, corpus: Path | None = DEFAULT_CORPUS,
             mix: dict[str, float] | None = None, workers: int | None = None) -> Archive:
    """Write an archive of n distinct documents into out (which must be empty or absent)."""
    t0 = time.perf_counter()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; generate into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    corpus_arg = str(corpus) if corpus is not None and Path(corpus).is_dir() else None
    plans = plan_files(n, seed, mix)
    workers = workers or min(os.cpu_count() or 1, 4)
    seen: set[str] = set()
    sizes: dict[int, int] = {}
    retry: list[FilePlan] = []
    jobs = [(p, seed, str(out), 0) for p in plans]
    if workers > 1 and len(plans) > 50:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(corpus_arg,)) as ex:
            results = list(ex.map(_build_and_write, jobs, chunksize=64))
    else:
        _init_worker(corpus_arg)
        results = [_build_and_write(j) for j in jobs]
    for index, size, keys in sorted(results):
        sizes[index] = size
        if any(k in seen for k in keys) or len(set(keys)) < len(keys):
            retry.append(plans[index])
        else:
            seen.update(keys)
    # a file repeating a document already written is rebuilt with other variations
    if retry:
        _init_worker(corpus_arg)
    for plan in retry:
        for attempt in range(1, 50):
            index, size, keys = _build_and_write((plan, seed, str(out), attempt))
            if not any(k in seen for k in keys) and len(set(keys)) == len(keys):
                break
        else:
            raise RuntimeError(f"could not make {plan.relpath} distinct from the rest")
        seen.update(keys)
        sizes[index] = size
    by_format: dict[str, dict[str, int]] = {}
    for p in plans:
        f = by_format.setdefault(p.kind, {"files": 0, "documents": 0, "bytes": 0})
        f["files"] += 1
        f["documents"] += p.n_docs
        f["bytes"] += sizes[p.index]
    archive = Archive(out=out, n_docs=sum(p.n_docs for p in plans), n_files=len(plans),
                      n_bytes=sum(sizes.values()), by_format=by_format, seed=seed, corpus=corpus_arg,
                      seconds=time.perf_counter() - t0, retried=len(retry))
    (out / MANIFEST).write_text(json.dumps(archive.manifest(), indent=1), encoding="utf-8")
    return archive
