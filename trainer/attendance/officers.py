"""Officers' attendance pages: the sessions of their area, the block checklist, CSV upload, and live attendance.

Everyone here sees only the gram panchayats of their own area that the session invites (its divisions);
see rules.markable_condition. Officers may record attendance from the opening of the attendance window
onward, without a closing time: they record what happened, often the next day (rules.recording_refusal).
"""
from dataclasses import asdict, dataclass
from datetime import timedelta
from itertools import groupby

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from trainer.attendance import rules, services
from trainer.attendance.blueprint import bp
from trainer.attendance.forms import AttendanceUploadForm, checklist_form
from trainer.attendance.importer import import_attendance_csv
from trainer.attendance.models import ROLE_COLUMNS, Attendance, MarkSource, WatchMode
from trainer.attendance.rules import HeadCount, markable_condition, recording_refusal
from trainer.attendance.services import AttendanceError
from trainer.core import clock
from trainer.core.auth import require_in_area, role_required
from trainer.core.database import retry_on_conflict
from trainer.core.files import apply_upload
from trainer.core.i18n import current_language
from trainer.core.roles import STAFF_ROLES, Role
from trainer.core.urls import int_arg
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, Programme, TrainingSession, session_divisions
from trainer.programmes.share import division_names, time_range
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, GramPanchayat

CHECKLIST_ROLES = (Role.BLOCK_OFFICER, Role.DISTRICT_OFFICER, Role.ADMIN, Role.TRAINER)
UPLOAD_ROLES = (Role.BLOCK_OFFICER, Role.DISTRICT_OFFICER, Role.ADMIN)
LIVE_ROLES = STAFF_ROLES
RECENT_SESSIONS = 30
RECENT_MARKS = 20
# The GPs still to be marked that the live page lists (what officers phone during the session); the count is whole.
NOT_MARKED_SHOWN = 500
LIVE_REFRESH_SECONDS = 30

SOURCE_LABELS = {
    MarkSource.POSTER: _l("printed QR code"),
    MarkSource.LIVE: _l("QR code on the stream"),
    MarkSource.CHECKLIST: _l("block checklist"),
    MarkSource.UPLOAD: _l("CSV file"),
    MarkSource.COMMAND: _l("imported by the administrator"),
    MarkSource.SMS: _l("SMS from the panchayat"),
}


@bp.context_processor
def _helpers() -> dict:
    signed_in = current_user.is_authenticated
    return dict(time_range=time_range, division_names=division_names, source_label=SOURCE_LABELS.get,
                mode_label=WatchMode.label_of,
                may_checklist=signed_in and current_user.has_role(*CHECKLIST_ROLES),
                may_upload=signed_in and current_user.has_role(*UPLOAD_ROLES))


# Which sessions and places a user reaches


def visible_sessions(area: Area):
    """Return a query of the sessions whose attendance a user of `area` may see: markable, in their division."""
    query = select(TrainingSession).where(TrainingSession.status.in_(rules.MARKABLE_STATUSES))
    if not area.is_state:
        query = query.where(TrainingSession.id.in_(
            select(session_divisions.c.session_id).where(session_divisions.c.division_id == area.division_id)))
    return query.options(selectinload(TrainingSession.modules), selectinload(TrainingSession.divisions),
                         selectinload(TrainingSession.programme).selectinload(Programme.modules))


def _session_or_404(session_id: int) -> TrainingSession:
    """Return a session the signed-in user may see: 404 for drafts and cancelled ones, 403 outside their area."""
    session = db.get_or_404(TrainingSession, session_id)
    if not rules.can_be_marked(session):
        abort(404)
    area = current_user.area
    if not area.is_state and area.division_id not in {division.id for division in session.divisions}:
        abort(403)
    return session


def _name_order(model):
    return model.name_en if current_language() == "en" else model.name_hi


def _chosen_block(session: TrainingSession) -> Block | None:
    """Return the block whose checklist is wanted: a block officer's own, else ?block=<LGD code> (or None)."""
    code = int_arg("block")
    if current_user.has_role(Role.BLOCK_OFFICER):
        if code is not None and code != current_user.block.lgd_code:
            abort(403)
        return current_user.block
    if code is None:
        return None
    block = db.session.scalar(select(Block).where(Block.lgd_code == code))
    if block is None:
        abort(404)
    require_in_area(block)
    if block.district.division_id not in {division.id for division in session.divisions}:
        abort(403)
    return block


# Queries behind the pages (SQL aggregates; never a loop over attendance rows)


def marked_counts(session_ids: list[int], area: Area) -> dict[int, int]:
    """Return how many gram panchayats of `area` each session has marked."""
    if not session_ids:
        return {}
    query = (select(Attendance.session_id, func.count(Attendance.id))
             .join(GramPanchayat, Attendance.gram_panchayat_id == GramPanchayat.id)
             .where(Attendance.session_id.in_(session_ids), area.condition(GramPanchayat))
             .group_by(Attendance.session_id))
    return dict(db.session.execute(query).all())


def _marks_of_gps(session: TrainingSession, area: Area, *columns):
    """Select columns over the GPs a user of `area` may mark for the session, each joined to its block and
    district and, where there is one, to its mark."""
    return (select(*columns).select_from(GramPanchayat)
            .join(Block, GramPanchayat.block_id == Block.id)
            .join(District, Block.district_id == District.id)
            .outerjoin(Attendance, and_(Attendance.gram_panchayat_id == GramPanchayat.id,
                                        Attendance.session_id == session.id))
            .where(markable_condition(session, area)))


def block_progress(session: TrainingSession, area: Area) -> list:
    """Return the blocks a user of `area` may mark for the session, each with its GPs and those marked."""
    query = (_marks_of_gps(session, area, Block, District, func.count(GramPanchayat.id).label("invited"),
                           func.count(Attendance.id).label("marked"))
             .group_by(Block.id, District.id)
             .order_by(_name_order(District), _name_order(Block)))
    return db.session.execute(query).all()


@dataclass
class PlaceCount:
    """Attendance of one district or block so far."""

    lgd_code: int
    name_hi: str
    name_en: str
    invited: int
    marked: int
    participants: int


@dataclass
class LiveCount:
    """A session's attendance so far within an area: overall, by district, by block, and the latest marks."""

    invited: int
    marked: int
    participants: int
    roles: dict[str, int | None]  # None: no mark gave this role's count (not the same as zero)
    roles_given: int  # marks that gave at least one role count
    modes: dict[str, int]
    districts: list[PlaceCount]
    blocks: list[PlaceCount] | None
    recent: list
    not_marked: list  # (gram panchayat, block), by block and name, at most NOT_MARKED_SHOWN

    @property
    def not_marked_count(self) -> int:
        return self.invited - self.marked

    def not_marked_by_block(self) -> list[tuple[Block, list[GramPanchayat]]]:
        """Return the listed GPs not marked yet under their blocks, in the list's order."""
        return [(block, [gp for gp, _block in rows]) for block, rows in groupby(self.not_marked, key=lambda r: r[1])]


def _by_place(session: TrainingSession, area: Area, model) -> list[PlaceCount]:
    """Count invited and marked gram panchayats and participants, grouped by district or by block."""
    query = (_marks_of_gps(session, area, model.lgd_code, model.name_hi, model.name_en,
                           func.count(GramPanchayat.id), func.count(Attendance.id),
                           func.coalesce(func.sum(Attendance.participants), 0))
             .group_by(model.id, model.lgd_code, model.name_hi, model.name_en)
             .order_by(_name_order(model), model.lgd_code))
    return [PlaceCount(*row) for row in db.session.execute(query)]


def live_count(session: TrainingSession, area: Area) -> LiveCount:
    """Return the session's attendance so far among the gram panchayats a user of `area` sees."""
    in_scope = (select(Attendance).join(GramPanchayat, Attendance.gram_panchayat_id == GramPanchayat.id)
                .where(Attendance.session_id == session.id, markable_condition(session, area)))
    marks = in_scope.subquery()
    # SUM over no given count is NULL: the page shows "—" for a role nobody counted, 0 for a counted zero.
    totals = db.session.execute(select(
        func.count(marks.c.id), func.coalesce(func.sum(marks.c.participants), 0),
        *(func.sum(marks.c[column]) for column in ROLE_COLUMNS.values()),
        func.count(case((or_(*(marks.c[column].is_not(None) for column in ROLE_COLUMNS.values())), 1))),
    )).one()
    modes = dict(db.session.execute(select(marks.c.mode, func.count(marks.c.id)).group_by(marks.c.mode)).all())
    invited = db.session.scalar(select(func.count(GramPanchayat.id)).where(markable_condition(session, area)))
    recent = db.session.execute(
        select(Attendance, GramPanchayat, Block)
        .join(GramPanchayat, Attendance.gram_panchayat_id == GramPanchayat.id)
        .join(Block, GramPanchayat.block_id == Block.id)
        .where(Attendance.session_id == session.id, markable_condition(session, area))
        .order_by(Attendance.marked_at.desc(), Attendance.id.desc()).limit(RECENT_MARKS)).all()
    return LiveCount(
        invited=invited, marked=totals[0], participants=totals[1],
        roles={role.value: totals[2 + i] for i, role in enumerate(ROLE_COLUMNS)},
        roles_given=totals[2 + len(ROLE_COLUMNS)],
        modes={mode.value: modes.get(mode.value, 0) for mode in WatchMode} | {"unknown": modes.get(None, 0)},
        districts=_by_place(session, area, District),
        blocks=_by_place(session, area, Block) if area.district_id else None,
        recent=recent,
        not_marked=not_marked(session, area),
    )


def not_marked(session: TrainingSession, area: Area, limit: int = NOT_MARKED_SHOWN) -> list:
    """Return the invited gram panchayats of `area` not marked yet, with their blocks, by block and name."""
    return db.session.execute(
        _marks_of_gps(session, area, GramPanchayat, Block).where(Attendance.id.is_(None))
        .order_by(_name_order(District), _name_order(Block), Block.lgd_code, _name_order(GramPanchayat),
                  GramPanchayat.lgd_code)
        .limit(limit)).all()


# Pages


@bp.get("/")
@role_required(*LIVE_ROLES)
def sessions():
    """List the sessions of the viewer's area: today's first, then the recent ones, then the coming ones."""
    area = current_user.area
    today_starts = clock.now().astimezone(clock.IST).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow_starts = today_starts + timedelta(days=1)
    query = visible_sessions(area)
    today = db.session.scalars(query.where(TrainingSession.starts_at >= today_starts,
                                           TrainingSession.starts_at < tomorrow_starts)
                               .order_by(TrainingSession.starts_at)).all()
    earlier = db.session.scalars(query.where(TrainingSession.starts_at < today_starts)
                                 .order_by(TrainingSession.starts_at.desc()).limit(RECENT_SESSIONS)).all()
    later = db.session.scalars(query.where(TrainingSession.starts_at >= tomorrow_starts)
                               .order_by(TrainingSession.starts_at).limit(RECENT_SESSIONS)).all()
    counts = marked_counts([s.id for s in (*today, *earlier, *later)], area)
    return render_template("attendance/officer_sessions.html", groups=[
        (_("Today"), today), (_("Recent sessions"), earlier), (_("Coming sessions"), later)], counts=counts)


@bp.route("/sessions/<int:session_id>/checklist", methods=["GET", "POST"])
@role_required(*CHECKLIST_ROLES)
@retry_on_conflict
def checklist(session_id: int):
    """Mark a block's gram panchayats at once (those that watched together at the block office, say)."""
    session = _session_or_404(session_id)
    block = _chosen_block(session)
    if block is None:
        return render_template("attendance/officer_blocks.html", session=session,
                               blocks=block_progress(session, current_user.area))
    gram_panchayats = db.session.scalars(select(GramPanchayat).where(GramPanchayat.block_id == block.id)
                                         .order_by(_name_order(GramPanchayat), GramPanchayat.lgd_code)).all()
    marked = {attendance.gram_panchayat_id: attendance for attendance in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id,
                                 Attendance.gram_panchayat_id.in_([gp.id for gp in gram_panchayats])))}
    form = checklist_form(gram_panchayats)
    refusal = recording_refusal(session, clock.now())
    replacing = []
    if request.method == "POST" and "replace" not in request.form:
        # A fresh submit says by its button what it marks; the confirmation keeps what was asked first.
        form.action.data = "all" if request.form.get("mark_all") else "rows"
    if form.validate_on_submit():
        chosen = form.chosen(set(marked))
        replacing = [(gram_panchayat, marked[gram_panchayat.id], participants) for gram_panchayat, participants in chosen
                     if _replaces_anothers_mark(marked.get(gram_panchayat.id))]
        answer = request.form.get("replace")
        if answer == "no":
            kept = {gram_panchayat.id for gram_panchayat, _attendance, _new in replacing}
            chosen, replacing = [(gp, n) for gp, n in chosen if gp.id not in kept], []
        if refusal:
            flash(refusal, "error")
        elif not chosen:
            flash(_("Nothing was saved: every gram panchayat chosen is already marked."), "error")
        elif replacing and answer != "yes":
            pass  # the page below names what would be replaced and asks first
        else:
            mode = WatchMode(form.mode.data)
            try:
                services.mark_many(session, [(gram_panchayat.id, _head_count(participants, mode,
                                                                             marked.get(gram_panchayat.id)))
                                             for gram_panchayat, participants in chosen],
                                   MarkSource.CHECKLIST, current_user.id, clock.now())
            except AttendanceError as exc:
                db.session.rollback()
                flash(_("Nothing was saved: %(reason)s", reason=exc.message), "error")
            else:
                db.session.commit()
                flash(ngettext("%(num)s gram panchayat was marked.", "%(num)s gram panchayats were marked.",
                               len(chosen)), "success")
                return redirect(url_for(".checklist", session_id=session.id, block=block.lgd_code))
    elif request.method == "POST":
        flash(_("Nothing was saved: correct the gram panchayats shown below and submit again."), "error")
    return render_template("attendance/officer_checklist.html", session=session, block=block, form=form,
                           gram_panchayats=gram_panchayats, marked=marked, refusal=refusal, replacing=replacing,
                           unmarked=sum(gp.id not in marked for gp in gram_panchayats))


def _replaces_anothers_mark(attendance: Attendance | None) -> bool:
    """Say whether saving would replace a mark someone else made (the secretary's scan, another officer's)."""
    return services.replaces_anothers_mark(attendance, current_user.id)


def _head_count(participants: int, mode: WatchMode, existing: Attendance | None) -> HeadCount:
    """Return the officer's number for a gram panchayat, keeping what an earlier mark said and the officer does
    not: the role counts (while they fit the new number) and how they watched."""
    if existing is None or not _replaces_anothers_mark(existing):
        return HeadCount(participants, {}, mode)
    roles = {role: count for role, count in existing.role_counts().items() if count is not None}
    if sum(roles.values()) > participants:
        roles = {}
    return HeadCount(participants, roles, existing.mode or mode)


@bp.route("/sessions/<int:session_id>/upload", methods=["GET", "POST"])
@role_required(*UPLOAD_ROLES)
@retry_on_conflict
def upload(session_id: int):
    """Take a CSV file of gram panchayats and head-counts: applied whole, or not at all."""
    session = _session_or_404(session_id)
    form = AttendanceUploadForm()
    refusal = recording_refusal(session, clock.now())
    problems, summary = [], None
    if form.validate_on_submit():
        if refusal:
            flash(refusal, "error")
        else:
            summary, problems = apply_upload(
                lambda: import_attendance_csv(form.file.data.read(), session, current_user.area, MarkSource.UPLOAD,
                                              current_user.id, clock.now()), _("The file was imported."))
            if summary is not None:
                form = AttendanceUploadForm(formdata=None)
    return render_template("attendance/officer_upload.html", session=session, form=form, problems=problems,
                           summary=summary, refusal=refusal, roles=list(ParticipantRole), modes=list(WatchMode))


@bp.get("/sessions/<int:session_id>/live")
@role_required(*LIVE_ROLES)
def live(session_id: int):
    """Show the session's attendance so far in the viewer's area; the page refreshes itself."""
    session = _session_or_404(session_id)
    return render_template("attendance/officer_live.html", session=session,
                           count=live_count(session, current_user.area), as_of=clock.now(), refresh=LIVE_REFRESH_SECONDS,
                           roles=list(ParticipantRole), modes=list(WatchMode))


@bp.get("/sessions/<int:session_id>/gps/<int:gp_code>/history")
@role_required(*LIVE_ROLES)
def history(session_id: int, gp_code: int):
    """Show every mark of one gram panchayat at a session: the counts, how and by whom, when it was made on the
    phone (if it was kept there without network) and when it was received."""
    session = _session_or_404(session_id)
    gram_panchayat = db.first_or_404(select(GramPanchayat).where(GramPanchayat.lgd_code == gp_code))
    require_in_area(gram_panchayat)
    if not rules.is_invited(session, gram_panchayat):
        abort(404)
    return render_template("attendance/officer_history.html", session=session, gp=gram_panchayat,
                           marks=services.history_of(session.id, gram_panchayat.id), roles=list(ParticipantRole))


@bp.get("/sessions/<int:session_id>/live.json")
@role_required(*LIVE_ROLES)
def live_json(session_id: int):
    """Return the live page's numbers as JSON."""
    session = _session_or_404(session_id)
    count = live_count(session, current_user.area)
    return jsonify(
        session_id=session.id,
        as_of=clock.now().isoformat(),
        gram_panchayats_invited=count.invited,
        gram_panchayats_marked=count.marked,
        participants=count.participants,
        roles=count.roles,
        modes=count.modes,
        districts=[asdict(place) for place in count.districts],
        blocks=None if count.blocks is None else [asdict(place) for place in count.blocks],
        recent=[{"gp_code": gp.lgd_code, "gp_name_hi": gp.name_hi, "gp_name_en": gp.name_en,
                 "block_code": block.lgd_code, "participants": attendance.participants,
                 "mode": attendance.mode.value if attendance.mode else None, "source": attendance.source.value,
                 "revision": attendance.revision, "marked_at": attendance.marked_at.isoformat(),
                 "made_at": attendance.made_at.isoformat() if attendance.made_at else None}
                for attendance, gp, block in count.recent],
        roles_given=count.roles_given,
        not_marked_count=count.not_marked_count,
        not_marked=[{"gp_code": gp.lgd_code, "gp_name_hi": gp.name_hi, "gp_name_en": gp.name_en,
                     "block_code": block.lgd_code, "block_name_hi": block.name_hi, "block_name_en": block.name_en}
                    for gp, block in count.not_marked],
    )
