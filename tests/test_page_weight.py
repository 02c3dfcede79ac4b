"""What officers' and public pages weigh: versioned static files kept a year, the favicon, no fonts fetched
where the system has Noto, and the stylesheets cut to what the pages use."""
import re
from pathlib import Path

import pytest

from tests.browser_support import browser, live_server  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
IMMUTABLE = "public, max-age=31536000, immutable"


def stylesheets(page: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)


def fetch(client, url: str):
    """GET a static file and close its file at once (the suite turns unclosed files into errors)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_every_static_url_carries_its_contents_hash_and_is_kept_a_year(client, make_programme):
    session = make_programme(modules=1).sessions[0]
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    links = stylesheets(page)
    assert links and all(re.search(r"\?v=[0-9a-f]{10}$", link) for link in links), links
    for link in links:
        response = fetch(client, link)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE, link
    # Without its version a file may change under the same address: no year-long promise then.
    assert fetch(client, "/static/css/app.css").headers.get("Cache-Control") != IMMUTABLE
    # Fonts are named from the stylesheet, in folders named after their package's version.
    font = fetch(client, "/static/vendor/noto-sans-devanagari-5.3.0/noto-sans-devanagari-devanagari-400-normal.woff2")
    assert font.status_code == 200 and font.headers["Cache-Control"] == IMMUTABLE


def test_a_changed_file_gets_a_new_address(app, tmp_path, monkeypatch):
    from flask import url_for

    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "x.css"
    sheet.write_text("a{}")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    with app.test_request_context():
        first = url_for("static", filename="css/x.css")
    sheet.write_text("a{color:red}")
    import os
    os.utime(sheet, (1, 1))  # a new modification time, whatever the file system's resolution
    with app.test_request_context():
        second = url_for("static", filename="css/x.css")
    assert first != second and first.startswith("/static/css/x.css?v=")


def test_the_favicon_is_served_and_kept_a_week(client):
    response = fetch(client, "/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=604800" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]


def test_the_stylesheets_of_a_public_page_stay_small(client, make_programme):
    session = make_programme(modules=1).sessions[0]
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    css = sum(len(fetch(client, link).data) for link in stylesheets(page))
    assert css < 70_000, css  # the whole of Pico and our own sheets came to 86 KB


def test_nginx_keeps_versioned_static_files_a_year_and_serves_the_favicon():
    conf = (ROOT / "deploy" / "nginx-trainer.conf").read_text()
    assert re.search(r'map \$arg_v \$trainer_static_cache \{\s*""\s+"public, max-age=3600";\s*default\s+'
                     r'"public, max-age=31536000, immutable";', conf)
    assert "add_header Cache-Control $trainer_static_cache always;" in conf
    assert "location = /favicon.ico" in conf and "expires 1h" not in conf


def test_the_vendor_files_come_from_the_pinned_packages_by_make_vendor():
    import json

    package = json.loads((ROOT / "static" / "vendor" / "package.json").read_text())
    script = (ROOT / "static" / "vendor" / "copy-assets.sh").read_text()
    assert package["dependencies"]["@picocss/pico"] == "2.1.1" and re.fullmatch(r"\d+\.\d+\.\d+",
                                                                                 package["devDependencies"]["sass"])
    assert "pico-trainer.scss" in script and (ROOT / "static/vendor/pico-2.1.1/pico.trainer.min.css").exists()


@pytest.mark.browser
def test_a_phone_with_noto_downloads_no_font_and_a_repeat_visit_fetches_no_static_file(live_server, browser,
                                                                                        make_programme):
    session = make_programme(modules=1).sessions[0]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(f"{live_server}/sessions/{session.id}", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    # Debian's fonts-noto-core (like Android) has Noto Sans Devanagari: local() takes it, nothing is downloaded.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Devanagari\"', 'क्षेत्र')")
    assert not [url for url in fetched if url.endswith(".woff2")], fetched
    first = [url for url in fetched if "/static/" in url]
    assert first
    fetched.clear()
    page.goto(f"{live_server}/sessions/{session.id}", wait_until="networkidle")
    # The icon is the browser's own fetch, outside the page's cache; the page's files must all come from it.
    sent = page.evaluate("performance.getEntriesByType('resource').filter(e => e.name.includes('/static/')"
                         " && !e.name.includes('favicon')).map(e => [e.name, e.transferSize])")
    assert sent and all(size == 0 for _name, size in sent), sent  # all from the cache, not even a 304
    context.close()
