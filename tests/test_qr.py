from __future__ import annotations

import re

from facilitator.qr import qr_svg


def test_qr_svg_scales_and_has_one_path() -> None:
    svg = qr_svg("http://192.168.1.20:5000/j/ABC234")
    tag = re.search(r"<svg[^>]*>", svg).group(0)
    assert "viewBox" in tag and "width=" not in tag and "height=" not in tag
    assert svg.count("<path") == 1


def test_longer_data_needs_a_bigger_code() -> None:
    small = re.search(r'viewBox="0 0 (\d+) \1"', qr_svg("http://a/j/ABC234")).group(1)
    big = re.search(r'viewBox="0 0 (\d+) \1"', qr_svg("http://a/j/" + "A" * 120)).group(1)
    assert int(big) > int(small)
