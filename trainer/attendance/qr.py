"""QR codes for a URL, as SVG (for pages and PDFs) and as PNG, at the smallest version that holds it.

Error correction M survives a smudged or creased poster and a moiré-striped screen on the stream, and
keeps a session's URL within version 4 (33 modules): big modules, read from across a room.
"""
import io
from dataclasses import dataclass

import qrcode
from markupsafe import escape
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@dataclass(frozen=True)
class QrCode:
    """The modules of a QR code (quiet zone included, True is dark) and the version that holds the data."""

    data: str
    version: int
    modules: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Return the width in modules, quiet zone included."""
        return len(self.modules)

    def svg(self, label: str = "") -> str:
        """Return the code as an SVG document that scales to any size (the page or PDF sets its width)."""
        runs = []
        for y, row in enumerate(self.modules):
            x = 0
            while x < self.size:
                if row[x]:
                    start = x
                    while x < self.size and row[x]:
                        x += 1
                    runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
                else:
                    x += 1
        title = f"<title>{escape(label)}</title>" if label else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.size} {self.size}" '
                f'shape-rendering="crispEdges" role="img">{title}'
                f'<rect width="{self.size}" height="{self.size}" fill="#fff"/>'
                f'<path fill="#000" d="{"".join(runs)}"/></svg>')

    def png(self, module_pixels: int = 10) -> bytes:
        """Return the code as a black-and-white PNG, `module_pixels` pixels to a module."""
        from PIL import Image

        image = Image.new("1", (self.size, self.size), 1)
        image.putdata([0 if dark else 1 for row in self.modules for dark in row])
        image = image.resize((self.size * module_pixels,) * 2, Image.Resampling.NEAREST)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def make_qr(data: str) -> QrCode:
    """Encode text (a URL) at error correction M in the smallest version that holds it."""
    code = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return QrCode(data, code.version, tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix()))


def qr_svg(data: str, label: str = "") -> str:
    """Return the SVG of a QR code for `data`."""
    return make_qr(data).svg(label)


def qr_png(data: str, module_pixels: int = 10) -> bytes:
    """Return the PNG of a QR code for `data`."""
    return make_qr(data).png(module_pixels)
