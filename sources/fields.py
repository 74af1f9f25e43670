"""One record (a JSON line, a CSV or Parquet row) -> one RawDocument.

Readers of record formats share this mapping: our field names (`text`, `title`,
`date`, `year`, `url`, `outlet`) are found under the record keys of
DEFAULT_FIELDS, or under the key the user names (`--field text=full_text`,
`fields={"date": "publish_date"}`). Keys no field uses are kept as the
document's metadata (`{"province": "上海市", "source_url": ...}`).

Dates, most precise first:
- a `date` field -> date_source `<format>:<key>`;
- a full date stated in the title or the opening of the text (the first 200
  characters: `——2024年3月5日在第十四届全国人民代表大会第二次会议上`,
  `（2023年3月13日第十四届全国人民代表大会第一次会议通过）`, `（2017年10月18日）`),
  when it agrees with the `year` field if there is one -> `<format>:title` / `text:opening`;
- a `year` field alone ("2019") -> January 1 of that year with date_source
  `<format>:year`: only the year is real, consumers must read it as a year;
- otherwise NULL (NPC resolutions and congress reports that state no date).
"""
from __future__ import annotations

import datetime as dt
import json

from sources.base import RawDocument
from sources.detect import find_date

# our field -> record keys tried in order
DEFAULT_FIELDS = {
    "text": ("content", "text", "body", "full_text"),
    "title": ("title", "headline"),
    "date": ("date", "published", "published_date", "pub_date", "publish_date"),
    "year": ("year",),
    "url": ("url", "link", "source_url"),
    "outlet": ("outlet", "publisher"),
}
OPENING_CHARS = 200   # a date further into the text is about something else (cpc 10th report, char 290)


def check_fields(fields: dict[str, str] | None) -> None:
    """A mapping that names a field we do not know is the caller's error."""
    unknown = set(fields or {}) - set(DEFAULT_FIELDS)
    if unknown:
        raise ValueError(f"fields names unknown fields {sorted(unknown)}; known: {sorted(DEFAULT_FIELDS)}")


def resolve_fields(fields: dict[str, str] | None) -> dict[str, tuple[str, ...]]:
    """The user's mapping over the defaults: our field -> keys to try."""
    check_fields(fields)
    return {k: ((fields[k],) if k in (fields or {}) else keys) for k, keys in DEFAULT_FIELDS.items()}


def _field(record: dict, keys: tuple[str, ...]):
    return next((record[k] for k in keys if record.get(k) not in (None, "")), None)


def record_document(record: dict, fields: dict, uri: str, encoding: str | None, source_format: str) -> RawDocument | None:
    """The document of one record, or None when the record has no text field at all."""
    record = {str(k).lstrip("\ufeff").strip(): v for k, v in record.items()}  # `\ufeffprovince` of a CSV with a BOM
    body = _field(record, fields["text"])
    if body is None and not any(k in record for k in fields["text"]):
        return None
    body = str(body or "").replace("\r\n", "\n")
    title = _field(record, fields["title"])
    title = str(title).strip() if title is not None else None
    published, date_source = record_date(record, fields, title, body, source_format)
    url = _field(record, fields["url"])
    outlet = _field(record, fields["outlet"])
    return RawDocument(
        source_uri=uri, source_format=source_format, text=body, title=title,
        published_date=published, date_source=date_source,
        outlet=str(outlet) if outlet is not None else None,
        url=str(url) if url is not None else None, encoding=encoding,
        flags=[] if body.strip() else ["empty_body"],
        metadata=record_metadata(record, fields),
    )


def record_metadata(record: dict, fields: dict) -> str | None:
    """The record's other keys as a JSON object (text), or None when it has none.
    A key a field was found under is not repeated; the `year` key is kept (a
    `year` field says more than the January 1 it becomes)."""
    used = {k for name, keys in fields.items() if name != "year" for k in keys if k in record}
    rest = {k: _plain(v) for k, v in record.items() if k not in used and v not in (None, "")}
    return json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else None


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value if isinstance(value, (str, int, float, bool, list, dict)) else str(value)


def record_date(record: dict, fields: dict, title: str | None, body: str,
                source_format: str = "jsonl") -> tuple[dt.date | None, str | None]:
    for key in fields["date"]:
        value = record.get(key)
        date = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else (
            value.date() if isinstance(value, dt.datetime) else find_date(str(value or "")))
        if date:
            return date, f"{source_format}:{key}"
    year = _year(_field(record, fields["year"]))
    for stated, source in ((find_date(title), f"{source_format}:title"), (find_date(body[:OPENING_CHARS]), "text:opening")):
        if stated and (year is None or stated.year == year):
            return stated, source
    if year is not None:
        return dt.date(year, 1, 1), f"{source_format}:year"
    return None, None


def _year(value) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1 <= year <= 9999 else None
