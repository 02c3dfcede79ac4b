"""The images a design carries (the office's emblem, the signatories' signatures): checked by their content, made
small, and kept as PNG in the database, so that every app server and worker draws the same certificate."""
import io

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
EMBLEM_PIXELS = (400, 400)  # about 25 mm on the page at 400 dpi: sharp in print, a few tens of kilobytes
SIGNATURE_PIXELS = (500, 180)


class ImageRefused(ValueError):
    """An uploaded file that is not an image we take; the message says why, in the page's language."""


def prepared(data: bytes, box: tuple[int, int]) -> bytes:
    """Return an uploaded image as a PNG no larger than `box`, or raise ImageRefused.

    The file is judged by what it holds, not by its name: Pillow must recognise it as one of the accepted
    formats and decode it whole.
    """
    if not data:
        raise ImageRefused(_l("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused(_l("The image is larger than 2 MB; save it smaller and try again."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageRefused(_l("The file is not a PNG or JPEG image."))
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRefused(_l("The file is not a PNG or JPEG image.")) from None
    image = image.convert("RGBA")
    image.thumbnail(box, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
