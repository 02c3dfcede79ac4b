"""Measure what a first and a repeat visit of public and officer pages transfer, in headless Chromium.

The app is served by Werkzeug as under `make run` (no compression) from a new SQLite file with the demo state
(`flask demo`); Chromium's own byte counts (CDP Network.loadingFinished: headers and body as sent) are summed
per visit. A first visit starts with an empty cache; a repeat visit opens the same page again in the same
browser. The "behind nginx" column compresses each text answer as deploy/nginx-trainer.conf does (gzip level 5,
above 512 bytes) and adds the same headers.

Usage: .venv/bin/python bench/page_weight.py [--root CHECKOUT]   (--root: measure another checkout's code)
Needs Debian's chromium and Playwright (requirements-dev.txt).
"""
import argparse
import base64
import gzip
import logging
import shutil
import sys
import tempfile
import threading
from pathlib import Path

GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def serve(root: Path, workdir: Path):
    """Create the demo app on a new database and serve it on a free loopback port; return (url, session id)."""
    sys.path.insert(0, str(root))
    from flask_migrate import upgrade
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from trainer import create_app
    from trainer.config import Config

    config = type("WeightConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'weight.db'}",
                                               "SECRET_KEY": "page weight benchmark"})
    app = create_app(config)
    with app.app_context():
        upgrade(directory=str(root / "migrations"))
        result = app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        from trainer.programmes.models import SessionStatus, TrainingSession
        session_id = app.extensions["sqlalchemy"].session.scalar(
            select(TrainingSession.id).where(TrainingSession.status == SessionStatus.PUBLISHED)
            .order_by(TrainingSession.starts_at.desc()))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", session_id


class Meter:
    """Sum what Chromium transfers for one page, and what gzip would make of it."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.responses, self.sent = {}, {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        response = event["response"]
        self.responses[event["requestId"]] = (response["url"], response.get("mimeType", ""), response["status"],
                                             response.get("fromDiskCache") or response.get("fromMemoryCache"))

    def _finished(self, event):
        self.sent[event["requestId"]] = event["encodedDataLength"]

    def start(self):
        self.responses.clear()
        self.sent.clear()

    def report(self):
        requests = [(self.responses[key], self.sent.get(key, 0)) for key in self.responses]
        total = sum(size for _response, size in requests)
        compressed = 0
        for key, ((_url, mime, status, cached), size) in zip(self.responses, requests, strict=True):
            if cached or status != 200 or not size:
                compressed += size
                continue
            try:
                answer = self.cdp.send("Network.getResponseBody", {"requestId": key})
            except Exception:  # noqa: BLE001 (a body Chromium no longer holds: counted as sent)
                compressed += size
                continue
            body = base64.b64decode(answer["body"]) if answer["base64Encoded"] else answer["body"].encode()
            head = max(size - len(body), 0)
            if mime.startswith(GZIP_TYPES) and len(body) > 512:
                compressed += head + len(gzip.compress(body, 5))
            else:
                compressed += size
        fetched = sum(1 for (_u, _m, status, cached), size in requests if size and not cached)
        return total, compressed, fetched, len(requests)


def measure(base: str, session_id: int) -> list[tuple[str, str, tuple]]:
    from playwright.sync_api import sync_playwright

    rows = []
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for name, path, user in (("public session page", f"/sessions/{session_id}", None),
                                 ("officer: attendance sessions", "/attendance/", "block")):
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            meter = Meter(page)
            if user:
                page.goto(base + "/login")
                page.fill("#username", user)
                page.fill("#password", f"demo-{user}")
                page.click("main button[type=submit]")
                page.wait_for_url(base + "/")
                meter.cdp.send("Network.clearBrowserCache")
            for visit in ("first", "repeat"):
                meter.start()
                page.goto(base + path, wait_until="networkidle")
                page.evaluate("document.fonts.ready")
                page.wait_for_timeout(300)
                rows.append((name, visit, meter.report()))
            context.close()
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as workdir:
        base, session_id = serve(args.root.resolve(), Path(workdir))
        print(f"{'page':<30} {'visit':<7} {'make run':>10} {'nginx gzip':>11} {'requests':>9}")
        for name, visit, (total, compressed, fetched, seen) in measure(base, session_id):
            print(f"{name:<30} {visit:<7} {total / 1024:>8.1f} KB {compressed / 1024:>8.1f} KB "
                  f"{fetched:>4} of {seen}")


if __name__ == "__main__":
    main()
