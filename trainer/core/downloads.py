"""Files sent as downloads: a name in the page's language for browsers that take it, ASCII for the rest."""
import re
from urllib.parse import quote

from flask import Response

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "png": "image/png",
    "zip": "application/zip",
}


def safe_filename(stem: str, fallback: str = "download") -> str:
    """Keep letters and marks of any script, digits and dashes; nothing a file system or header could choke on."""
    cleaned = re.sub(r"[^\w\u0900-\u097F-]+", "-", stem, flags=re.UNICODE)
    return re.sub(r"-{2,}", "-", cleaned).strip("-")[:120] or fallback


def attachment(body: bytes, extension: str, name: str, fallback: str, private: bool = True) -> Response:
    """Send `body` as `<name>.<extension>` (cleaned, in filename*) with `<fallback>.<extension>` for old browsers.

    Downloads hold one viewer's figures or codes: `private` keeps them out of every cache.
    """
    filename, plain = f"{safe_filename(name, fallback)}.{extension}", f"{fallback}.{extension}"
    disposition = f'attachment; filename="{plain}"'
    if filename != plain:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    response = Response(body, headers={"Content-Type": MIMETYPES[extension], "Content-Disposition": disposition})
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response
