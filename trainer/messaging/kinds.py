"""What Trainer sends: the kinds of message, the channels, and the variables each kind fills in."""
import enum

from flask_babel import lazy_gettext as _l


class Channel(enum.StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"

    @property
    def label(self):
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {Channel.WHATSAPP: _l("WhatsApp"), Channel.SMS: _l("SMS"), Channel.EMAIL: _l("E-mail")}


class MessageKind(enum.StrEnum):
    SESSION_TOMORROW = "session_tomorrow"
    SESSION_STARTING = "session_starting"
    SESSION_MISSED = "session_missed"
    FEEDBACK_REMINDER = "feedback_reminder"
    CERTIFICATE_READY = "certificate_ready"
    ACCESS_CODE_REISSUED = "access_code_reissued"
    SMS_MARK_RECORDED = "sms_mark_recorded"
    SMS_MARK_REFUSED = "sms_mark_refused"
    APPLICATION_INFORMATION_ASKED = "application_info_asked"
    APPLICATION_DECIDED = "application_decided"
    PARTNER_INVITED = "partner_invited"
    PARTNER_CERTIFICATE_READY = "partner_certificate_ready"
    CAMPAIGN_VALUE_DUE = "campaign_value_due"
    DIRECTIVE_DUE = "directive_due"

    MEETING_NOTICE = "meeting_notice"

    @property
    def label(self):
        return KIND_LABELS[self]

    @property
    def variables(self) -> tuple[str, ...]:
        """The variables Trainer fills in for this kind; a template may use any of them, and no other."""
        return KIND_VARIABLES[self]


KIND_LABELS = {
    MessageKind.SESSION_TOMORROW: _l("Session tomorrow"),
    MessageKind.SESSION_STARTING: _l("Session starting now, with its link"),
    MessageKind.SESSION_MISSED: _l("Session missed: the next one for the division"),
    MessageKind.FEEDBACK_REMINDER: _l("Feedback reminder"),
    MessageKind.CERTIFICATE_READY: _l("Certificate ready"),
    MessageKind.ACCESS_CODE_REISSUED: _l("Access code reissued"),
    MessageKind.SMS_MARK_RECORDED: _l("Reply: attendance recorded by SMS"),
    MessageKind.SMS_MARK_REFUSED: _l("Reply: attendance by SMS not recorded"),
    MessageKind.APPLICATION_INFORMATION_ASKED: _l("Application: more information asked"),
    MessageKind.APPLICATION_DECIDED: _l("Application: decision published"),
    MessageKind.PARTNER_INVITED: _l("Partner organisation invited to a session"),
    MessageKind.PARTNER_CERTIFICATE_READY: _l("Partner organisation's certificate ready"),
    MessageKind.CAMPAIGN_VALUE_DUE: _l("Campaign values due from the field"),
    MessageKind.DIRECTIVE_DUE: _l("Directive due: a reminder to its owner office"),

    MessageKind.MEETING_NOTICE: _l("Notice of a review meeting"),
}

KIND_VARIABLES = {
    MessageKind.SESSION_TOMORROW: ("gp", "programme", "date", "time", "link"),
    MessageKind.SESSION_STARTING: ("gp", "programme", "time", "link"),
    MessageKind.SESSION_MISSED: ("gp", "programme", "date", "time", "link"),
    MessageKind.FEEDBACK_REMINDER: ("gp", "programme", "link"),
    MessageKind.CERTIFICATE_READY: ("gp", "programme", "link"),
    MessageKind.ACCESS_CODE_REISSUED: ("gp", "code"),
    MessageKind.SMS_MARK_RECORDED: ("gp", "participants", "session"),
    MessageKind.SMS_MARK_REFUSED: ("reason",),
    MessageKind.APPLICATION_INFORMATION_ASKED: ("reference", "call", "link"),
    MessageKind.APPLICATION_DECIDED: ("reference", "call", "decision", "link"),
    MessageKind.PARTNER_INVITED: ("organisation", "programme", "date", "time", "link", "code"),
    MessageKind.PARTNER_CERTIFICATE_READY: ("organisation", "programme", "link"),
    MessageKind.CAMPAIGN_VALUE_DUE: ("campaign", "period", "places", "link"),
    MessageKind.DIRECTIVE_DUE: ("reference", "directive", "due", "days", "link"),

    MessageKind.MEETING_NOTICE: ("series", "number", "date", "time", "venue", "link"),
}

# The kinds a trainer or officer may send to a chosen audience from the broadcast page.
BROADCAST_KINDS = (MessageKind.SESSION_TOMORROW, MessageKind.SESSION_STARTING, MessageKind.SESSION_MISSED,
                   MessageKind.FEEDBACK_REMINDER)
# Replies go by SMS only, to the number that wrote.
REPLY_KINDS = (MessageKind.SMS_MARK_RECORDED, MessageKind.SMS_MARK_REFUSED)
