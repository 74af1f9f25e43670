"""JSON Lines -> one RawDocument per line (`path#line-N`, N counting every line from 1);
a file that is one JSON array of records -> one per item (`path#item-N`).

Fields are found by name (`title`; `content`/`text`/`body`; `date`/`published`;
`year`; `url`); `jsonl_fields={"text": "正文", "date": "pub"}` names them for
files that use other keys. A line that is not a JSON object is one Reject
(`bad_json`), and a record without a text field one Reject (`no_text`); the
rest of the file is read. The text is kept as the record has it (line breaks
included); only `\\r\\n` becomes `\\n`.

Fields and dates are found as `sources.fields` says (the mapping CSV and
Parquet share); keys no field uses are the document's metadata.
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
    doc = record_document(record, fields, uri, encoding, "jsonl")
    if doc is None:
        result.rejects.append(Reject(uri, "no_text", f"{where} has no text field (looked for {', '.join(fields['text'])})."))
    else:
        result.docs.append(doc)
