"""QR codes as SVG text (qrcode's path factory: one <path>, no Pillow). Pure core."""

from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, border: int = 2) -> str:
    """An SVG document that encodes ``data``; scales to its container (viewBox, no fixed size).

    Error correction M survives a projector's glare and a phone at an angle; the quiet zone
    (``border``, in modules) is kept small because the page around it is white anyway.
    """
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=border,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    qr.add_data(data)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image().save(buf)
    svg = buf.getvalue().decode("utf-8")
    # qrcode writes width/height in mm; drop them from the <svg> tag so CSS decides the size.
    return _SVG_SIZE.sub("<svg", svg, count=1)


_SVG_SIZE = re.compile(r'<svg\s+width="[^"]*"\s+height="[^"]*"')
