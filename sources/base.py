"""The raw-document record every reader returns, and the reject record."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class RawDocument:
    source_uri: str            # file path; `path#line-7` / `path#item-3` for one of many in a file
    source_format: str         # text | markdown | html | jsonl | digest
    text: str                  # decoded body, paragraphs separated by a blank line
    title: str | None = None
    published_date: dt.date | None = None
    date_source: str | None = None   # how the date was obtained: meta:PubDate, jsonl:year, filename, ...
    outlet: str | None = None
    url: str | None = None
    encoding: str | None = None
    event_speaker: str | None = None  # official named for the event (spokesperson in a page title)
    byline: str | None = None  # reporters/authors as the page names them: `澎湃新闻记者 段彦超 廖艳` (role, then names)
    flags: list[str] = field(default_factory=list)  # e.g. empty_body
    metadata: str | None = None   # a record's other columns as a JSON object: `{"province": "上海市"}`
    event_date: dt.date | None = None  # the meeting or press conference, when the text tells it apart


@dataclass
class Reject:
    source_uri: str
    reason: str    # short code: empty, binary, undecodable, truncated_html, bad_json, too_large, vanished,
                   # unreadable, not_a_file, bad_file_name, invalid_text, transform_error, ...
    detail: str    # a sentence a person understands


@dataclass
class ReadResult:
    docs: list[RawDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


RAW_SCHEMA = {
    "source_uri": "str", "source_format": "str", "text": "str", "title": "str",
    "published_date": "date", "date_source": "str", "outlet": "str", "url": "str",
    "encoding": "str", "event_speaker": "str", "byline": "str", "flags": "list[str]", "metadata": "str",
    "event_date": "date",
}


def raw_frame(docs: list[RawDocument]):
    """RawDocuments -> the polars frame the transforms take."""
    import polars as pl

    return pl.DataFrame(
        {k: [getattr(d, k) for d in docs] for k in RAW_SCHEMA},
        schema={
            "source_uri": pl.String, "source_format": pl.String, "text": pl.String,
            "title": pl.String, "published_date": pl.Date, "date_source": pl.String,
            "outlet": pl.String, "url": pl.String, "encoding": pl.String,
            "event_speaker": pl.String, "byline": pl.String, "flags": pl.List(pl.String),
            "metadata": pl.String, "event_date": pl.Date,
        },
    )
