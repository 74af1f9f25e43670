"""One path -> ReadResult: guard the read, detect the format by content, dispatch.

Everything that can go wrong with a file becomes a Reject with a reason code
and a sentence a person understands, never an exception, so one bad file in an
archive of 10^5 does not stop the run. No Prefect here: flows call `read_file`.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from sources.base import ReadResult, Reject
from sources.decode import looks_binary
from sources.detect import detect_format, foreign_script
from sources.digest import read_digest
from sources.html import read_html
from sources.fields import check_fields
from sources.jsonl import read_jsonl
from sources.tabular import PARQUET_MAGIC, read_csv, read_parquet
from sources.text import read_text
from sources.warc import is_warc, read_warc

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# One document's text, in characters. A government work report is ~40,000; a JSONL dump of
# 100 MB is many documents. One text of 17 million characters (50 MB on one line) took 98 s
# and 1.4 GB to transform and load: what long is not an article, and costs a batch its memory.
MAX_DOCUMENT_CHARS = 2_000_000
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
    check_fields(jsonl_fields)  # a wrong option is the caller's error, raised, not a reject per file
    path = Path(path)
    uri = str(path)
    if not is_valid_unicode(uri):
        return _reject(printable_path(uri), "bad_file_name",
                       "The file name is not valid UTF-8, so no table could hold it; rename the file to load it.")
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return _not_a_regular_file(path, st)
        size = st.st_size
        if size > max_bytes:
            return _reject(uri, "too_large", f"The file is {_mb(size)}, over the {_mb(max_bytes)} limit; it was not read.")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        if path.is_symlink():
            return _reject(uri, "unreadable", f"The path is a symbolic link to {os.readlink(path)}, which does not exist.")
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
    # a .warc.gz is gzip, and a document archive; a Parquet export is binary, and a table of documents
    if (kind or looks_binary(data)) and not is_warc(data) and not data.startswith(PARQUET_MAGIC):
        return _reject(uri, "binary", f"The file is {kind or 'binary data (NUL or control bytes)'}, not text.")
    fmt = detect_format(data, path.suffix)
    try:
        return checked_documents(_dispatch(fmt, data, uri, jsonl_fields))
    except RecursionError:
        return _reject(uri, "too_deep", f"The {fmt} file nests too deeply to be read.")
    except MemoryError:
        return _reject(uri, "too_large", f"Reading this {fmt} file needed more memory than there is.")
    except Exception as e:  # a reader bug must cost one file, not the run
        return _reject(uri, "reader_error", f"The {fmt} reader failed on this file: {_one_line(e)}.")


def is_valid_unicode(text: str) -> bool:
    """False for text with lone surrogates: a file name whose bytes are not UTF-8
    (Python carries them so), a JSON string `"\\ud800"`."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_path(path: str) -> str:
    """`bad\udcffname.txt` (bytes b'bad\xffname.txt') -> `bad\\xffname.txt`: a name a table can hold."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_a_regular_file(path: Path, st: os.stat_result) -> ReadResult:
    """A folder that could not be listed, or a pipe, device or socket: never opened
    (reading a FIFO would wait for a writer forever, /dev/zero never ends)."""
    if stat.S_ISDIR(st.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as e:
            return _reject(str(path), "unreadable", f"The folder could not be listed: {e.strerror or e}.")
        return _reject(str(path), "unreadable", "The path is a directory, not a file.")
    kind = next((name for test, name in _FILE_KINDS if test(st.st_mode)), "not a regular file")
    return _reject(str(path), "not_a_file", f"The path is {kind}, not a regular file; it was not read.")


# RawDocument fields that become text columns
_TEXT_FIELDS = ("source_uri", "text", "title", "outlet", "url", "event_speaker")


def checked_documents(result: ReadResult) -> ReadResult:
    """A document whose text is not valid Unicode (a JSON string with a lone surrogate,
    `"\\ud800"`), is Japanese or Korean, or is longer than MAX_DOCUMENT_CHARS, becomes a
    Reject of its own; the file's other documents stay."""
    docs = []
    for doc in result.docs:
        bad = next((f for f in _TEXT_FIELDS if not is_valid_unicode(getattr(doc, f) or "")), None)
        if bad is not None:
            result.rejects.append(Reject(printable_path(doc.source_uri), "invalid_text",
                                         f"The document's {bad} holds a lone surrogate (such as \\ud800), "
                                         "which is not a character; it was not loaded."))
        elif language := foreign_script(doc.text):
            result.rejects.append(Reject(doc.source_uri, "not_chinese",
                                         f"The text is written in {language} (kana or hangul), not Chinese; "
                                         "it was not loaded."))
        elif len(doc.text) > MAX_DOCUMENT_CHARS:
            result.rejects.append(Reject(doc.source_uri, "too_large",
                                         f"The document's text is {len(doc.text):,} characters, over the "
                                         f"{MAX_DOCUMENT_CHARS:,} limit of one document; it was not loaded."))
        else:
            docs.append(doc)
    result.docs = docs
    return result


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text[:300]}"


def _dispatch(fmt: str, data: bytes, uri: str, jsonl_fields: dict | None) -> ReadResult:
    if fmt == "html":
        return read_html(data, uri)
    if fmt == "warc":
        return read_warc(data, uri)
    if fmt == "jsonl":
        return read_jsonl(data, uri, jsonl_fields=jsonl_fields)
    if fmt == "csv":
        return read_csv(data, uri, fields=jsonl_fields)
    if fmt == "parquet":
        return read_parquet(data, uri, fields=jsonl_fields)
    if fmt == "digest":
        return read_digest(data, uri)
    return read_text(data, uri)  # text and markdown: the text reader tells them apart


def _reject(uri: str, reason: str, detail: str) -> ReadResult:
    return ReadResult(rejects=[Reject(uri, reason, detail)])


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"
