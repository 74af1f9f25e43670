"""JSON Lines -> one RawDocument per line (`path#line-N`, N counting every line from 1).

Fields are found by name (`title`; `content`/`text`/`body`; `date`/`published`;
`year`; `url`); `jsonl_fields={"text": "正文", "date": "pub"}` names them for
files that use other keys. A line that is not a JSON object is one Reject
(`bad_json`), and a record without a text field one Reject (`no_text`); the
rest of the file is read. The text is kept as the record has it (line breaks
included); only `\\r\\n` becomes `\\n`.

Fields and dates are found as `sources.fields` says (the mapping CSV and
Parquet share).
"""
from __future__ import annotations

import json

from sources.base import ReadResult, Reject
from sources.decode import DecodeError, decode_bytes
from sources.fields import DEFAULT_FIELDS, check_fields, record_document, resolve_fields

# the names callers know these by (the CLI checks `--field KEY=...` against DEFAULT_FIELDS)
__all__ = ["DEFAULT_FIELDS", "check_jsonl_fields", "read_jsonl"]
check_jsonl_fields = check_fields


def read_jsonl(data: bytes, source_uri: str, jsonl_fields: dict[str, str] | None = None, **options) -> ReadResult:
    fields = resolve_fields(jsonl_fields)
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        return ReadResult(rejects=[Reject(source_uri, "undecodable", str(e))])
    result = ReadResult()
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        uri = f"{source_uri}#line-{n}"
        try:
            record = json.loads(line)
        except ValueError as e:
            result.rejects.append(Reject(uri, "bad_json", f"Line {n} is not valid JSON ({e}); the other lines are read."))
            continue
        if not isinstance(record, dict):
            result.rejects.append(Reject(uri, "bad_json", f"Line {n} is JSON but a {type(record).__name__}, not an object."))
            continue
        doc = record_document(record, fields, uri, encoding, "jsonl")
        if doc is None:
            result.rejects.append(Reject(uri, "no_text", f"Line {n} has no text field (looked for {', '.join(fields['text'])})."))
        else:
            result.docs.append(doc)
    return result
