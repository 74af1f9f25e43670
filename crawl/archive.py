"""The raw archive: every HTTP exchange of a pull, written to a WARC file before
anything parses it (warcio; WARC/1.1, one gzip member per record, so a record can
be read back from its byte offset and any WARC tool reads the file).

A 200 is a `response` record; a 304 a `revisit` record of the
`server-not-modified` profile that refers to the URL's last full response; each
is preceded by the `request` record that asked for it (its If-None-Match /
If-Modified-Since show the request was conditional).
"""
from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from sources.warc import ROLE_HEADER, WebResponse, response_of

NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Hop-by-hop framing the archived body no longer has (it is stored de-chunked).
DROP_HEADERS = {"transfer-encoding", "connection", "keep-alive"}


class WarcArchive:
    """One WARC file, appended to record by record; thread-safe."""

    def __init__(self, path: str | Path, info: dict[str, str]):
        self.path = Path(path).resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "ab")
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self._lock = threading.Lock()
        self.records = 0
        with self._lock:
            self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, info))
            self._file.flush()

    def close(self) -> None:
        self._file.close()

    def write_exchange(self, url: str, request_headers: list[tuple[str, str]], status: int, reason: str,
                       response_headers: list[tuple[str, str]], body: bytes, role: str, when: dt.datetime,
                       refers_to: tuple[str, str] | None = None) -> int:
        """Write the request and its response (a revisit when `refers_to` = (uri, warc date)
        of the archived full response a 304 stands for) -> the response record's offset."""
        date = datetime_to_iso_date(when, use_micros=True)
        headers = [(k, v) for k, v in response_headers if k.lower() not in DROP_HEADERS]
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": date, ROLE_HEADER: role}
        with self._lock:
            offset = self._file.tell()
            if refers_to is None:
                record = self._writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                         length=len(body), http_headers=http,
                                                         warc_headers_dict=warc_headers)
            else:
                record = self._writer.create_warc_record(url, "revisit", http_headers=http,
                                                         warc_headers_dict={**warc_headers,
                                                                            "WARC-Profile": NOT_MODIFIED_PROFILE,
                                                                            "WARC-Refers-To-Target-URI": refers_to[0],
                                                                            "WARC-Refers-To-Date": refers_to[1]})
            self._writer.write_record(record)
            request = self._writer.create_warc_record(
                url, "request",
                http_headers=StatusAndHeaders(f"GET {_request_target(url)} HTTP/1.1", request_headers,
                                              protocol="HTTP/1.1", is_http_request=True),
                warc_headers_dict={"WARC-Date": date,
                                   "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")})
            self._writer.write_record(request)
            self._file.flush()
            self.records += 2
        return offset


def read_response(path: str | Path, offset: int, max_bytes: int | None = None) -> WebResponse | None:
    """The response record at `offset` of a WARC file (None if the file or record is gone)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            for record in ArchiveIterator(f):
                return response_of(record, max_bytes)
    except (OSError, ValueError):
        return None
    return None


def _request_target(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
