"""One path -> ReadResult: guard the read, detect the format by content, dispatch.

Everything that can go wrong with a file becomes a Reject with a reason code
and a sentence a person understands, never an exception, so one bad file in an
archive of 10^5 does not stop the run. No Prefect here: flows call `read_file`.
"""
from __future__ import annotations

from pathlib import Path

from sources.base import ReadResult, Reject
from sources.decode import looks_binary
from sources.detect import detect_format
from sources.digest import read_digest
from sources.html import read_html
from sources.jsonl import check_jsonl_fields, read_jsonl
from sources.text import read_text
from sources.warc import is_warc, read_warc

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Leading bytes of common non-text files, for a clearer rejection than "control bytes".
BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
)


def read_file(path: Path, jsonl_fields: dict | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file and return its documents, or one Reject saying why not.
    The size is checked before reading, and at most `max_bytes + 1` bytes are
    ever read, so an oversized file never sits in memory."""
    check_jsonl_fields(jsonl_fields)  # a wrong option is the caller's error, raised, not a reject per file
    path = Path(path)
    uri = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _reject(uri, "too_large", f"The file is {_mb(size)}, over the {_mb(max_bytes)} limit; it was not read.")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        return _reject(uri, "vanished", "The file was listed but no longer exists when it was to be read.")
    except IsADirectoryError:
        return _reject(uri, "unreadable", "The path is a directory, not a file.")
    except OSError as e:
        return _reject(uri, "unreadable", f"The file could not be read: {e.strerror or e}.")
    if len(data) > max_bytes:
        return _reject(uri, "too_large", f"The file grew past the {_mb(max_bytes)} limit while being read; it was not loaded.")
    if not data or data.isspace():
        return _reject(uri, "empty", "The file is empty (no bytes, or only whitespace).")
    kind = next((name for magic, name in BINARY_SIGNATURES if data.startswith(magic)), None)
    if (kind or looks_binary(data)) and not is_warc(data):  # a .warc.gz is gzip, and a document archive
        return _reject(uri, "binary", f"The file is {kind or 'binary data (NUL or control bytes)'}, not text.")
    fmt = detect_format(data, path.suffix)
    try:
        return _dispatch(fmt, data, uri, jsonl_fields)
    except Exception as e:  # a reader bug must cost one file, not the run
        return _reject(uri, "reader_error", f"The {fmt} reader failed on this file: {type(e).__name__}: {e}.")


def _dispatch(fmt: str, data: bytes, uri: str, jsonl_fields: dict | None) -> ReadResult:
    if fmt == "html":
        return read_html(data, uri)
    if fmt == "warc":
        return read_warc(data, uri)
    if fmt == "jsonl":
        return read_jsonl(data, uri, jsonl_fields=jsonl_fields)
    if fmt == "digest":
        return read_digest(data, uri)
    return read_text(data, uri)  # text and markdown: the text reader tells them apart


def _reject(uri: str, reason: str, detail: str) -> ReadResult:
    return ReadResult(rejects=[Reject(uri, reason, detail)])


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"
