"""Officers' attendance pages: the block checklist, CSV upload, and live attendance."""
from flask import Blueprint

bp = Blueprint("officers", __name__)
