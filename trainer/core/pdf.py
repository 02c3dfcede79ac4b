"""Hindi PDFs: a template laid out on A4 by WeasyPrint with one of static/css's print stylesheets.

Noto Sans Devanagari comes from the system fonts (Debian's fonts-noto-core) through fontconfig, and Pango
shapes the Devanagari. Every document is drawn offline: only files and data: URIs are fetched, whatever a
template links to. WeasyPrint and pypdfium2 are imported where they are used: they are heavy, and only
documents need them.
"""
import functools
import io
import os
import re
from contextlib import nullcontext
from contextvars import ContextVar

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from trainer.core.i18n import current_language


def render_pdf(template: str, stylesheet: str, *, locale: str | None = None, footer: str | None = None,
               actual_text: bool = False, **context) -> bytes:
    """Render a template (in `locale`, else the page's language) and lay it out as a PDF.

    `footer` goes at the bottom left of every page, with "page n of N" at the right; `actual_text` makes the
    Hindi of every line extractable (see below).
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    with force_locale(locale) if locale else nullcontext():
        html = render_template(template, html_lang="en-IN" if current_language() == "en" else "hi", **context)
        margins = _margin_css(footer) if footer is not None else None
    static = current_app.static_folder
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    stylesheets = [CSS(filename=os.path.join(static, "css", stylesheet), url_fetcher=fetcher)]
    if margins:
        stylesheets.append(CSS(string=margins, url_fetcher=fetcher))
    if actual_text:
        _install_actual_text()
    token = _ACTUAL_TEXT.set(actual_text)
    try:
        return HTML(string=html, base_url=static + os.sep, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
    finally:
        _ACTUAL_TEXT.reset(token)


def pdf_page_png(pdf: bytes, dpi: int = 150, page_number: int = 0) -> bytes:
    """Render one page of a PDF to a PNG at `dpi`."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[page_number].render(scale=dpi / 72)
        image = bitmap.to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, dpi=(dpi, dpi))
    return buffer.getvalue()


def _margin_css(footer: str) -> str:
    """The page footer: `footer` at the left and "page n of N" at the right, in the page's language."""
    page = _("Page %(page)s of %(pages)s", page="\x01", pages="\x02")
    content = " ".join({"\x01": "counter(page)", "\x02": "counter(pages)"}.get(piece) or _css_string(piece)
                       for piece in re.split("(\x01|\x02)", page) if piece)
    return f"@page {{ @bottom-left {{ content: {_css_string(footer)}; }} @bottom-right {{ content: {content}; }} }}"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


# Extractable Hindi
#
# WeasyPrint maps each glyph to text once, by the cluster it first appears in; Devanagari reorders and
# joins glyphs (ि before its consonant, conjuncts such as प्र), so copied or extracted text comes out garbled.
# While a document asking for it is drawn, each line of text is wrapped in a marked-content span whose
# /ActualText is the line's real text (PDF 32000-1 §14.9.4): PDF readers, pdftotext and screen readers then
# read the Hindi exactly.

_ACTUAL_TEXT: ContextVar[bool] = ContextVar("pdf_actual_text", default=False)


def _install_actual_text() -> None:
    """Wrap WeasyPrint's line drawing (once per process) so that lines carry their /ActualText."""
    import pydyf
    from weasyprint.draw import text as drawing

    original = getattr(drawing, "draw_first_line", None)
    if original is None or getattr(original, "adds_actual_text", False):
        return

    @functools.wraps(original)
    def draw_first_line(stream, textbox, *args, **kwargs):
        text = getattr(textbox, "text", "")
        if not _ACTUAL_TEXT.get() or not text.strip():
            return original(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return original(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_first_line.adds_actual_text = True
    drawing.draw_first_line = draw_first_line
