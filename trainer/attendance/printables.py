"""Posters with the session's QR code, the live rotating QR screen, and GP access-code sheets."""
from flask import Blueprint

bp = Blueprint("printables", __name__)
