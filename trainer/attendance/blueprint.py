"""The /attendance/ blueprint for staff: the officers' pages (trainer.attendance.officers) and the posters and
live QR screen (trainer.attendance.printables)."""
from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
