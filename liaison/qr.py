"""QR codes (一家一码, 一人一码, 一事一码) as inline SVG for pages and PNG/SVG for download.

The SVG is drawn from the module matrix directly (one path of horizontal runs), so it needs no
imaging library, scales to any print size and stays small enough to inline in every page.
"""

from io import BytesIO
from xml.sax.saxutils import escape, quoteattr

import qrcode
from django.conf import settings
from django.http import HttpResponse
from qrcode.constants import ERROR_CORRECT_M

# A printed card gets scratched and dirty: medium error correction (15 %) keeps the code
# readable without making it much denser.
ERROR_CORRECTION = ERROR_CORRECT_M
QUIET_ZONE = 4  # modules of white border the standard asks for


def _matrix(data: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


def qr_svg(url: str, *, title: str = "", size: str = "12rem") -> str:
    """An SVG image of a QR code for `url`, safe to place inline in HTML.

    `title` becomes the accessible name (role="img" with <title>); `size` is the CSS width and
    height. The modules are one path of horizontal runs on a white square, so the code also
    reads on a dark page and prints crisply.
    """
    matrix = _matrix(url)
    n = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    label = title or url
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" viewBox="0 0 {n} {n}" '
        f'width={quoteattr(size)} height={quoteattr(size)} shape-rendering="crispEdges" '
        f'aria-label={quoteattr(label)}>'
        f"<title>{escape(label)}</title>"
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_png(url: str, *, box_size: int = 10) -> bytes:
    """A PNG of a QR code for `url`, `box_size` pixels per module (10 → about 4 cm at 300 dpi)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE, box_size=box_size)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def public_url(request, path: str) -> str:
    """The absolute address a QR code should carry for `path`.

    Printed cards are often made on an intranet machine while voters scan them on the public
    internet, so `LIAISON_PUBLIC_BASE_URL` (e.g. https://rd.example.gov.cn) wins over the
    host the request came in on.
    """
    base = settings.LIAISON.get("PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)


def qr_response(url: str, *, fmt: str, filename: str) -> HttpResponse:
    """A download of the QR code for `url` as `fmt` ("png" or "svg")."""
    if fmt == "png":
        response = HttpResponse(qr_png(url), content_type="image/png")
    elif fmt == "svg":
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + qr_svg(url, size="100mm")
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    else:
        raise ValueError(f"unknown QR format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response
