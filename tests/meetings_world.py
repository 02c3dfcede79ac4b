"""Review meetings' objects for the worlds of the cross-cutting tests (access, security, query strings): a series
chaired by a given office, one public meeting starting now with an invitee, an agenda item with minutes, a presence and a
directive. Returns the URL parameters that name them."""
from datetime import timedelta

from trainer.core import clock
from trainer.meetings import directives, services


def add_meeting_objects(office, place=None) -> dict:
    """Create the objects (without committing) and return {parameter: value} for the meetings' routes."""
    series = services.save_series(services.SeriesValues(code="WLD", chair_office_id=office.id,
                                                        title_hi="मासिक समीक्षा", place=place,
                                                        member_office_ids=(office.id,)), None)
    start = clock.now()
    meeting = services.create_meeting(series, services.MeetingValues(
        starts_at=start, ends_at=start + timedelta(hours=2), venue="सभागार", public=True), None)
    invitee = services.invite_person(meeting, services.PersonValues("श्री क", "प्रबंधक", "बैंक", "9876500099"))
    item = services.add_agenda_item(meeting, "प्रगति की समीक्षा", presenting_office_id=office.id)
    services.write_minutes(item, None, services.MinutesValues(decisions_hi="निर्णय"))
    attendance = services.mark_by_qr(meeting, person=services.PersonValues("श्रीमती ख", "अधिकारी", "विभाग"))
    directives.create_directive(meeting, directives.DirectiveValues(owner_office_id=office.id, text_hi="निर्देश",
                                                                    within_days=7, agenda_item_id=item.id), None)
    return {"series_id": series.id, "meeting_id": meeting.id, "invitee_id": invitee.id, "item_id": item.id,
            "attendance_id": attendance.id, "meeting_token": meeting.attendance_token}
