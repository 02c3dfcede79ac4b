"""Static files with versioned addresses: each URL carries a hash of the file's content, so browsers keep it
for a year and fetch it again only when it changes; and /favicon.ico, which browsers ask for on their own.

Every `url_for('static', filename=...)` gets `?v=<hash>` by itself. Files under vendor/ sit in folders named
after their package's version and are referred to from stylesheets without a query: they are kept as long.
"""
import hashlib
import os

from flask import Flask, Response, request

IMMUTABLE = "public, max-age=31536000, immutable"
# /favicon.ico has no version in its address: a week, then the browser asks again.
FAVICON_MAX_AGE = 7 * 24 * 3600
HASH_LENGTH = 10


def register_assets(app: Flask) -> None:
    """Version the static URLs, give versioned answers a year's cache, and serve /favicon.ico."""
    hashes: dict[str, tuple[float, str]] = {}

    def content_hash(filename: str) -> str | None:
        path = os.path.join(app.static_folder, filename)
        try:
            modified = os.path.getmtime(path)
        except OSError:
            return None
        known = hashes.get(filename)
        if known is None or known[0] != modified:
            with open(path, "rb") as file:
                known = (modified, hashlib.sha256(file.read()).hexdigest()[:HASH_LENGTH])
            hashes[filename] = known
        return known[1]

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and (version := content_hash(values.get("filename", ""))):
            values["v"] = version

    @app.after_request
    def cache_static(response):
        if request.endpoint == "static" and response.status_code in (200, 304) and (
                request.args.get("v") or (request.view_args or {}).get("filename", "").startswith("vendor/")):
            response.headers["Cache-Control"] = IMMUTABLE
        return response

    @app.get("/favicon.ico")
    def favicon():
        """Answer the browsers' own request for the site's icon (1.7 KB, sent from memory)."""
        with open(os.path.join(app.static_folder, "img", "favicon.ico"), "rb") as file:
            icon = file.read()
        response = Response(icon, mimetype="image/vnd.microsoft.icon")
        response.cache_control.public = True
        response.cache_control.max_age = FAVICON_MAX_AGE
        return response
