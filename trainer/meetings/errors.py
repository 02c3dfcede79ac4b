"""The one exception of review meetings' rules."""


class MeetingError(Exception):
    """A change to a meeting series, meeting, its minutes or a directive that the rules refuse; `message` says why,
    in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
