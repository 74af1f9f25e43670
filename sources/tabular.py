"""CSV and Parquet exports -> one RawDocument per row (`path#row-N`, N counting data rows from 1).

Columns are mapped to our fields as in JSONL (`sources.fields`): `full_text`/
`content`/`text` is the text, `title`, `publish_date`/`date`, `year`,
`source_url`/`url`; `fields={"text": "正文"}` (CLI `--field text=正文`) names
others. The columns no field uses are kept as the document's `metadata`
(`{"province": "上海市", "year": "2026"}`).

A CSV row with more or fewer cells than the header is one Reject (`bad_row`),
a row without text one Reject (`no_text`); the other rows load. A table with no
text column at all is one Reject (`no_text`) for the file. A CSV whose
quoting breaks the parser stops there: the rows before it load, the rest is one
Reject (`bad_csv`). A Parquet file that cannot be read is one Reject (`bad_parquet`).
"""
from __future__ import annotations

import csv
import io

from sources.base import ReadResult, Reject
from sources.decode import DecodeError, decode_bytes
from sources.fields import record_document, resolve_fields

PARQUET_MAGIC = b"PAR1"


def read_csv(data: bytes, source_uri: str, fields: dict[str, str] | None = None, **options) -> ReadResult:
    mapping = resolve_fields(fields)
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        return ReadResult(rejects=[Reject(source_uri, "undecodable", str(e))])
    text = text.lstrip("\ufeff")
    # a report is one cell of 100 KB and more; the module's default limit is 128 KB
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if source_uri.lower().endswith(".tsv") or ("\t" in first_line and "," not in first_line) else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    result = ReadResult()
    try:
        header = next(rows, None)
    except csv.Error as e:
        return ReadResult(rejects=[Reject(source_uri, "bad_csv", f"The header line cannot be parsed as CSV ({e}).")])
    if not header:
        return ReadResult(rejects=[Reject(source_uri, "empty", "The CSV file has no header line.")])
    header = [h.strip() for h in header]
    if not set(header) & set(mapping["text"]):
        return _no_text_column(source_uri, mapping, header)
    n = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            result.rejects.append(Reject(f"{source_uri}#row-{n + 1}", "bad_csv",
                                         f"CSV parsing failed at data row {n + 1} ({e}); the rows before it are read."))
            break
        n += 1
        if not row or not any(cell.strip() for cell in row):
            continue
        uri = f"{source_uri}#row-{n}"
        if len(row) != len(header):
            result.rejects.append(Reject(uri, "bad_row", f"Row {n} has {len(row)} cells where the header has "
                                                         f"{len(header)}; the other rows are read."))
            continue
        _append(result, dict(zip(header, row)), mapping, uri, encoding, "csv", n)
    return result


def read_parquet(data: bytes, source_uri: str, fields: dict[str, str] | None = None, **options) -> ReadResult:
    import polars as pl

    mapping = resolve_fields(fields)
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as e:  # polars raises several kinds for a damaged file
        return ReadResult(rejects=[Reject(source_uri, "bad_parquet", f"The Parquet file cannot be read ({type(e).__name__}: {e}).")])
    if not set(frame.columns) & set(mapping["text"]):
        return _no_text_column(source_uri, mapping, frame.columns)
    result = ReadResult()
    for n, record in enumerate(frame.iter_rows(named=True), start=1):
        _append(result, record, mapping, f"{source_uri}#row-{n}", None, "parquet", n)
    return result


def _no_text_column(source_uri: str, mapping: dict, columns) -> ReadResult:
    """A table without a text column is one Reject, not one per row (an exported table
    of `policy-news export` is not a table of documents)."""
    return ReadResult(rejects=[Reject(source_uri, "no_text", (
        f"No column holds the text (looked for {', '.join(mapping['text'])}; the columns are "
        f"{', '.join(list(columns)[:12])}); name it with --field text=COLUMN."))])


def _append(result: ReadResult, record: dict, mapping: dict, uri: str, encoding: str | None, fmt: str, n: int) -> None:
    doc = record_document(record, mapping, uri, encoding, fmt)
    if doc is None:
        result.rejects.append(Reject(uri, "no_text", f"Row {n} has no text column (looked for {', '.join(mapping['text'])})."))
    else:
        result.docs.append(doc)


def looks_csv(head: str) -> bool:
    """The first line is a header naming a text column we know: `province,year,title,...,full_text`."""
    from sources.fields import DEFAULT_FIELDS  # (fields imports detect, which imports this lazily)

    first = head.lstrip("\ufeff").split("\n", 1)[0].strip()
    for delimiter in (",", "\t"):
        names = [c.strip().strip('"') for c in first.split(delimiter)]
        if len(names) >= 2 and all(0 < len(c) <= 40 for c in names) and set(names) & set(DEFAULT_FIELDS["text"]):
            return True
    return False
