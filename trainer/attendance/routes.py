"""The secretary's flow: scan, (first time: GP and access code), head-count, confirmation."""
from flask import Blueprint

bp = Blueprint("attend", __name__)
