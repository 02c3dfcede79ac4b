"""The HTTP headers that keep browsers strict with Trainer's pages.

Every response gets a Content-Security-Policy without 'unsafe-inline' (scripts, styles, fonts and images
come from static/ only; the one outside frame is YouTube's privacy-enhanced player on the public session
page), frame protection, no MIME sniffing, a referrer policy and a permissions policy; sites served over
HTTPS also get HSTS.

A module of its own rather than Flask-Talisman (1.1.0, August 2023, its latest release): Talisman rewrites
SESSION_COOKIE_SECURE and SESSION_COOKIE_SAMESITE in the app's config on every request, redirects to https
and sends HSTS on the word of a client-sent X-Forwarded-Proto header, and its CSP defaults would all have
to be replaced. What Trainer needs is a fixed set of headers, which fits in this page.
"""
import logging
from urllib.parse import urlsplit

from flask import Flask, Response, g, request, session

YOUTUBE_PLAYER = "https://www.youtube-nocookie.com"  # trainer.programmes.links embeds from here

# Libraries that log secrets in clear at DEBUG: requests-oauthlib writes the whole token exchange (the
# authorization code, the client's credentials, the access and refresh tokens). google-auth hashes them itself.
TOKEN_LOGGERS = ("requests_oauthlib",)


def content_security_policy(config) -> str:
    """Return the Content-Security-Policy of Trainer's pages."""
    form_targets = ["'self'"]
    # Connecting the YouTube channel posts a form whose answer redirects to Google's consent page;
    # form-action governs that redirect too.
    google = _origin(config.get("YOUTUBE_AUTH_URI"))
    if google:
        form_targets.append(google)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Pico draws the marks of checkboxes and selects as data: SVG
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [YOUTUBE_PLAYER],
        "form-action": form_targets,
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def security_headers(config) -> dict[str, str]:
    """Return the headers every response carries (HSTS apart)."""
    return {
        "Content-Security-Policy": content_security_policy(config),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        # The origin only, and only over HTTPS: scan tokens in /a/<token> never leave the site, and
        # YouTube's embedded player still learns which site embeds it (it refuses to play without).
        "Referrer-Policy": "strict-origin-when-cross-origin",
        # Nothing in Trainer asks for these; the player's own needs (fullscreen, autoplay ...) stay allowed.
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


# Blueprints whose pages are the same for every signed-out visitor (in one language): programmes, sessions, home.
PUBLIC_BLUEPRINTS = frozenset({"public", "home"})


def set_cache_control(response: Response, public_max_age: int) -> None:
    """Keep what a signed-in user or the API gets out of shared caches; let them keep public pages briefly.

    A signed-in user's answers (pages, JSON, files) are `private, no-store`; so is the JSON API and any answer
    that sets a cookie. A public page (programmes, sessions) for a signed-out visitor may be kept `public_max_age`
    seconds, per language cookie; every other page is `no-cache` (kept, but asked again each time). Static files
    and answers that chose their own (the calendar feeds) are left alone.
    """
    if request.endpoint == "static" or "Cache-Control" in response.headers:
        return
    # The user as this request loaded it; not loaded (a health check), what the cookie claims: no query is made here.
    user = g.get("_login_user")
    signed_in = user.is_authenticated if user is not None else "_user_id" in session
    if signed_in or request.path.startswith("/api/") or "Set-Cookie" in response.headers:
        response.headers["Cache-Control"] = "private, no-store"
    elif (request.blueprint in PUBLIC_BLUEPRINTS and request.method == "GET" and response.status_code == 200
          and public_max_age and request.endpoint != "home.healthz"):
        response.headers["Cache-Control"] = f"public, max-age={public_max_age}"
        response.vary.add("Cookie")
    else:
        response.headers["Cache-Control"] = "no-cache"


def register_security(app: Flask) -> None:
    """Send the security headers with every response and keep OAuth tokens out of library debug logs."""
    headers = security_headers(app.config)
    hsts_seconds = app.config.get("HSTS_SECONDS", 0)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            # Chromium's PDF viewer is a page of its own that a strict CSP would leave blank.
            if name == "Content-Security-Policy" and response.mimetype == "application/pdf":
                continue
            response.headers.setdefault(name, value)
        # Browsers ignore HSTS over plain http; behind a proxy, SESSION_COOKIE_SECURE says the site is HTTPS.
        if hsts_seconds and (request.is_secure or app.config["SESSION_COOKIE_SECURE"]):
            response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts_seconds}")
        set_cache_control(response, app.config.get("PUBLIC_PAGE_MAX_AGE", 0))
        return response

    for name in TOKEN_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
