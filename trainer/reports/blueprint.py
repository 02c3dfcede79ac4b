"""The /reports/ blueprint: its pages are in trainer.reports.routes, its files in trainer.reports.downloads."""
from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
