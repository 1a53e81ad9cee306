"""Gzip for pages, styles and scripts, when the browser accepts it.

A phone on bad Wi-Fi loads the participant page, its scripts and the Socket.IO client: sent
compressed they weigh about a quarter (docs/performance.md, "Page weight"). This is a small
``after_request`` hook rather than a library because what must *not* be compressed matters as
much as what is:

- streamed and ``direct_passthrough`` responses (the exports: large files written to a spooled
  temporary file and sent in chunks) are left alone, so they are never read into memory;
- only text types are compressed (HTML, CSS, JavaScript, JSON, SVG); images, ZIP, XLSX and PDF
  are compressed already;
- static files (which Flask sends as ``direct_passthrough`` file wrappers) are compressed from
  the file on disk once per version of the file and kept in memory: they are ours, few and
  small (the largest is the Socket.IO client, about 40 KB);
- a compressed response says ``Vary: Accept-Encoding`` and carries a *weak* ETag, so a
  revalidation (If-None-Match, compared weakly) still gets a 304.

Only gzip: Chromium and Firefox offer brotli and zstd on HTTPS only, and phones reach a room's
server over plain HTTP on the local network; behind an HTTPS reverse proxy, let the proxy
compress (docs/deployment.md). Socket.IO's long-polling responses are compressed by
python-engineio itself (``http_compression``, on by default); WebSocket frames are small.
"""

from __future__ import annotations

import gzip
import os
import struct
import threading
import zlib

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

#: what is worth compressing (everything else is binary and compressed already)
TEXT_TYPES = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "text/plain",
        "application/manifest+json",
    }
)
#: smaller bodies are sent as they are: the gzip header and a lost packet cost more
MIN_SIZE = 512
LEVEL = 6
#: static files compressed so far: path -> (mtime_ns, size, gzipped bytes)
_static_cache: dict[str, tuple[int, int, bytes]] = {}
_static_lock = threading.Lock()
_STATIC_CACHE_MAX = 256


def init_app(app: Flask) -> None:
    app.after_request(compress_response)


def accepts_gzip() -> bool:
    return bool(request.accept_encodings["gzip"])


def compress_response(resp: Response) -> Response:
    if resp.mimetype not in TEXT_TYPES or request.method not in ("GET", "POST"):
        return resp
    # the answer depends on Accept-Encoding, compressed or not: caches must know
    resp.vary.add("Accept-Encoding")
    if resp.status_code != 200 or "Content-Encoding" in resp.headers or not accepts_gzip():
        return resp
    if resp.direct_passthrough:
        if request.endpoint != "static":
            return resp  # a stream (exports): never buffer it
        body = _static_gzip(request.view_args.get("filename", "") if request.view_args else "")
        if body is None:
            return resp
        resp.response.close()  # type: ignore[union-attr]
        resp.direct_passthrough = False
        resp.set_data(body)
    elif resp.is_streamed:
        return resp
    else:
        data = resp.get_data()
        if len(data) < MIN_SIZE:
            return resp
        body = gzip.compress(data, LEVEL, mtime=0)
        if len(body) >= len(data):
            return resp
        resp.set_data(body)
    resp.headers["Content-Encoding"] = "gzip"
    etag, weak = resp.get_etag()
    if etag and not weak:
        resp.set_etag(etag, weak=True)
    return resp


class SharedStart:
    """A gzip body for pages that all begin with the same ``start`` (a cached page whose
    per-request parts come after it): the start is deflated once, and each response deflates
    only its own rest, continuing from a copy of the compressor (``zlib``'s ``copy``). The
    result is one ordinary gzip member, byte for byte what a browser inflates as the whole
    page; the rest can still refer back into the start."""

    def __init__(self, start: bytes, level: int = LEVEL) -> None:
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._head = _GZIP_HEADER + self._compressor.compress(start)
        self._crc = zlib.crc32(start)
        self._size = len(start)

    def gzip(self, rest: bytes) -> bytes:
        c = self._compressor.copy()
        body = c.compress(rest) + c.flush()
        crc = zlib.crc32(rest, self._crc)
        size = (self._size + len(rest)) & 0xFFFFFFFF
        return self._head + body + struct.pack("<II", crc, size)


#: gzip's member header: deflate, no flags, no time, unknown OS (RFC 1952)
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def _static_gzip(filename: str) -> bytes | None:
    """The gzipped content of a static file, or None to send it as it is."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder and filename else None
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    with _static_lock:
        hit = _static_cache.get(path)
    if hit is not None and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
        return hit[2]
    if st.st_size < MIN_SIZE:
        return None
    with open(path, "rb") as f:
        data = f.read()
    body = gzip.compress(data, LEVEL, mtime=0)
    if len(body) >= len(data):
        return None
    with _static_lock:
        if len(_static_cache) >= _STATIC_CACHE_MAX:
            _static_cache.clear()
        _static_cache[path] = (st.st_mtime_ns, st.st_size, body)
    return body
