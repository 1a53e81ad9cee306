"""Gzip on the wire (facilitator/compress.py): pages, styles and scripts compressed when the
browser accepts it; streamed exports and binary files never touched, never buffered."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

GZ = {"Accept-Encoding": "gzip, deflate"}
ROOT = Path(__file__).resolve().parent.parent


def test_phone_page_is_gzipped_when_accepted(client, mini_live) -> None:
    plain = client.get(f"/j/{mini_live.code}")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get(f"/j/{mini_live.code}", headers=GZ)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = packed.get_data()
    assert int(packed.headers["Content-Length"]) == len(body)
    html = gzip.decompress(body).decode("utf-8")
    assert html.startswith("<!doctype html>") and mini_live.code in html
    assert len(body) < len(html.encode("utf-8")) / 2


@pytest.mark.parametrize(
    "path", ["js/participant.js", "css/base.css", "vendor/socket.io.esm.min.js"]
)
def test_static_files_are_gzipped_and_revalidate(client, path: str) -> None:
    file = ROOT / "static" / path
    if not file.exists():
        pytest.skip(f"{path} is not installed (scripts/setup.sh)")
    # (closed at once: a 304 from send_file keeps its file open until the response is closed)
    with client.get(f"/static/{path}", headers=GZ) as resp:
        assert resp.status_code == 200
        assert resp.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(resp.get_data()) == file.read_bytes()
        etag = resp.headers["ETag"]
    assert etag.startswith('W/"'), etag  # another representation than the file's own bytes
    with client.get(f"/static/{path}", headers={**GZ, "If-None-Match": etag}) as again:
        assert again.status_code == 304 and not again.get_data()
    # without Accept-Encoding: the file as it is
    with client.get(f"/static/{path}") as raw:
        assert "Content-Encoding" not in raw.headers and raw.get_data() == file.read_bytes()


def test_small_and_binary_responses_are_left_alone(client, mini_live) -> None:
    health = client.get("/health", headers=GZ)
    assert "Content-Encoding" not in health.headers  # a few bytes: not worth it
    # the QR code is SVG (text) and big enough: compressed
    qr = client.get(f"/projector/{mini_live.code}/qr.svg", headers=GZ)
    assert qr.headers.get("Content-Encoding") == "gzip"
    assert (
        gzip.decompress(qr.get_data()).startswith(b"<svg")
        or b"<svg" in gzip.decompress(qr.get_data())[:200]
    )


@pytest.mark.browser
def test_streamed_exports_are_not_compressed_or_buffered(app, client, mini_live) -> None:
    client.get(f"/control/{mini_live.code}?key={mini_live.control_key}")
    for fmt in ("csv", "json", "xlsx", "zip"):
        with client.get(
            f"/control/{mini_live.code}/export.{fmt}", headers=GZ, buffered=False
        ) as resp:
            assert resp.status_code == 200, fmt
            assert "Content-Encoding" not in resp.headers, fmt
            # still the stream the view made (a generator over a spooled file), not a body
            assert resp.is_streamed, fmt
            assert int(resp.headers["Content-Length"]) == len(resp.get_data()), fmt
