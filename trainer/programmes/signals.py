"""What programmes tell the features built on them, without knowing those features.

`sessions_changed` is sent after a commit that published, changed or cancelled sessions that people can see
(YouTube keeps each broadcast in step). A receiver gets the app and `session_ids`, and returns a list of
(message, category) for the planner, or None.

`publishing` is sent before a programme's drafts are published: a receiver gets the app and `programme`, and
returns a list of warnings (what people will miss, such as a feedback form), or None. The planner sees them
and may publish anyway.
"""
from blinker import Namespace
from flask import current_app

_signals = Namespace()
sessions_changed = _signals.signal("sessions-changed")
publishing = _signals.signal("publishing")


def announce_changes(session_ids) -> list[tuple[str, str]]:
    """Tell every receiver that these sessions changed; return what they have to say to the planner."""
    results = sessions_changed.send(current_app._get_current_object(), session_ids=list(session_ids))
    return [message for _receiver, messages in results for message in (messages or [])]


def publishing_warnings(programme) -> list[str]:
    """Ask every receiver what the planner should know before publishing this programme."""
    results = publishing.send(current_app._get_current_object(), programme=programme)
    return [str(message) for _receiver, messages in results for message in (messages or [])]
