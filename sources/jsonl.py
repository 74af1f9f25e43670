"""JSON Lines -> one RawDocument per line (`path#line-N`, N counting every line from 1);
a file that is one JSON array of records -> one per item (`path#item-N`).

Fields are found by name (`title`; `content`/`text`/`body`; `date`/`published`;
`year`; `url`); `jsonl_fields={"text": "正文", "date": "pub"}` names them for
files that use other keys. A line that is not a JSON object is one Reject
(`bad_json`), and a record without a text field one Reject (`no_text`); the
rest of the file is read. The text is kept as the record has it (line breaks
included); only `\\r\\n` becomes `\\n`.

Dates, most precise first:
- a `date`/`published` field -> date_source `jsonl:<field>`;
- a full date stated in the title or the opening of the text (the first 200
  characters: `——2024年3月5日在第十四届全国人民代表大会第二次会议上`,
  `（2023年3月13日第十四届全国人民代表大会第一次会议通过）`, `（2017年10月18日）`),
  when it agrees with the `year` field if there is one -> `jsonl:title` / `text:opening`;
- a `year` field alone ("2019") -> January 1 of that year with date_source
  `jsonl:year`: only the year is real, consumers must read it as a year;
- otherwise NULL (NPC resolutions and congress reports that state no date).
"""
from __future__ import annotations

import datetime as dt
import json

from sources.base import RawDocument, ReadResult, Reject
from sources.decode import DecodeError, decode_bytes
from sources.detect import find_date

# our field -> record keys tried in order
DEFAULT_FIELDS = {
    "text": ("content", "text", "body"),
    "title": ("title", "headline"),
    "date": ("date", "published", "published_date", "pub_date"),
    "year": ("year",),
    "url": ("url", "link"),
    "outlet": ("outlet", "publisher"),
}
OPENING_CHARS = 200   # a date further into the text is about something else (cpc 10th report, char 290)


def check_jsonl_fields(jsonl_fields: dict[str, str] | None) -> None:
    unknown = set(jsonl_fields or {}) - set(DEFAULT_FIELDS)
    if unknown:
        raise ValueError(f"jsonl_fields names unknown fields {sorted(unknown)}; known: {sorted(DEFAULT_FIELDS)}")


def read_jsonl(data: bytes, source_uri: str, jsonl_fields: dict[str, str] | None = None, **options) -> ReadResult:
    check_jsonl_fields(jsonl_fields)
    fields = {k: ((jsonl_fields[k],) if k in (jsonl_fields or {}) else keys) for k, keys in DEFAULT_FIELDS.items()}
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        return ReadResult(rejects=[Reject(source_uri, "undecodable", str(e))])
    if text.lstrip("\ufeff \t\r\n").startswith("["):
        return _read_array(text, source_uri, fields, encoding)
    result = ReadResult()
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        uri = f"{source_uri}#line-{n}"
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as e:  # `[[[[...` nested past Python's stack: not a record
            result.rejects.append(Reject(uri, "bad_json", f"Line {n} is not valid JSON ({e}); the other lines are read."))
            continue
        _add_record(result, record, fields, uri, f"Line {n}", encoding)
    return result


def _read_array(text: str, source_uri: str, fields: dict, encoding: str) -> ReadResult:
    """A file that is one JSON array of records (`[{...}, {...}]`): item N is `path#item-N`."""
    try:
        records = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError) as e:
        return ReadResult(rejects=[Reject(source_uri, "bad_json", f"The file starts as a JSON array but is not valid JSON ({e}).")])
    if not isinstance(records, list):
        return ReadResult(rejects=[Reject(source_uri, "bad_json", "The file is JSON but not an array of records.")])
    result = ReadResult()
    for n, record in enumerate(records, start=1):
        _add_record(result, record, fields, f"{source_uri}#item-{n}", f"Item {n}", encoding)
    return result


def _add_record(result: ReadResult, record, fields: dict, uri: str, where: str, encoding: str) -> None:
    if not isinstance(record, dict):
        result.rejects.append(Reject(uri, "bad_json", f"{where} is JSON but a {type(record).__name__}, not an object."))
        return
    doc = _record_document(record, fields, uri, encoding)
    if doc is None:
        result.rejects.append(Reject(uri, "no_text", f"{where} has no text field (looked for {', '.join(fields['text'])})."))
    else:
        result.docs.append(doc)


def _field(record: dict, keys: tuple[str, ...]):
    return next((record[k] for k in keys if record.get(k) not in (None, "")), None)


def _record_document(record: dict, fields: dict, uri: str, encoding: str) -> RawDocument | None:
    body = _field(record, fields["text"])
    if body is None and not any(k in record for k in fields["text"]):
        return None
    body = str(body or "").replace("\r\n", "\n")
    title = _field(record, fields["title"])
    title = str(title).strip() if title is not None else None
    published, date_source = record_date(record, fields, title, body)
    url = _field(record, fields["url"])
    outlet = _field(record, fields["outlet"])
    return RawDocument(
        source_uri=uri, source_format="jsonl", text=body, title=title,
        published_date=published, date_source=date_source,
        outlet=str(outlet) if outlet is not None else None,
        url=str(url) if url is not None else None, encoding=encoding,
        flags=[] if body.strip() else ["empty_body"],
    )


def record_date(record: dict, fields: dict, title: str | None, body: str) -> tuple[dt.date | None, str | None]:
    for key in fields["date"]:
        date = find_date(str(record.get(key) or ""))
        if date:
            return date, f"jsonl:{key}"
    year = _year(_field(record, fields["year"]))
    for stated, source in ((find_date(title), "jsonl:title"), (find_date(body[:OPENING_CHARS]), "text:opening")):
        if stated and (year is None or stated.year == year):
            return stated, source
    if year is not None:
        return dt.date(year, 1, 1), "jsonl:year"
    return None, None


def _year(value) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1 <= year <= 9999 else None
