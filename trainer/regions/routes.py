"""Pages to browse the hierarchy and search it, limited to the viewer's area."""
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.auth import require_in_area, role_required
from trainer.core.database import retry_on_conflict
from trainer.core.files import apply_upload
from trainer.core.forms import one_line
from trainer.core.i18n import current_language
from trainer.core.roles import STAFF_ROLES, Role
from trainer.regions import services
from trainer.regions.forms import RegionImportForm
from trainer.regions.importer import import_regions_csv
from trainer.regions.models import Block, District, Division

bp = Blueprint("regions", __name__, url_prefix="/regions")


def _place_or_404(model, lgd_code: int):
    place = services.get_place_by_code(model, lgd_code)
    if place is None:
        abort(404)
    require_in_area(place)
    return place


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """List the divisions of the viewer's area."""
    area = current_user.area
    return render_template("regions/index.html", rows=services.list_divisions(area, current_language()),
                           totals=services.area_totals(area))


@bp.get("/divisions/<int:division_code>")
@role_required(*STAFF_ROLES)
def division(division_code: int):
    """List a division's districts."""
    place = _place_or_404(Division, division_code)
    return render_template("regions/division.html", division=place,
                           rows=services.list_districts(place, current_user.area, current_language()))


@bp.get("/districts/<int:district_code>")
@role_required(*STAFF_ROLES)
def district(district_code: int):
    """List a district's blocks."""
    place = _place_or_404(District, district_code)
    return render_template("regions/district.html", district=place,
                           rows=services.list_blocks(place, current_user.area, current_language()))


@bp.get("/blocks/<int:block_code>")
@role_required(*STAFF_ROLES)
def block(block_code: int):
    """List a block's gram panchayats."""
    place = _place_or_404(Block, block_code)
    return render_template("regions/block.html", block=place,
                           gram_panchayats=services.list_gram_panchayats(place, current_user.area,
                                                                         current_language()))


@bp.get("/search")
@role_required(*STAFF_ROLES)
def search():
    """Find places by name (either script) or LGD code."""
    query = one_line(request.args.get("q", ""))[:100]  # no NUL, which PostgreSQL refuses
    results = services.search_places(query, current_user.area, current_language())
    return render_template("regions/search.html", query=query, results=results,
                           limit=services.SEARCH_LIMIT)


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@retry_on_conflict
def import_file():
    """Let an admin upload the hierarchy CSV: applied whole or not at all."""
    form = RegionImportForm()
    problems, summary = [], None
    if form.validate_on_submit():
        summary, problems = apply_upload(lambda: import_regions_csv(form.file.data.read()), _("The file was imported."))
        if summary is not None:
            form = RegionImportForm(formdata=None)
    return render_template("regions/import.html", form=form, problems=problems, summary=summary)
