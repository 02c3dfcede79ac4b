"""How many SMS parts a text takes: GSM 03.38 texts 160 characters (153 per part when split), any other text
(Devanagari) is sent as UCS-2: 70 characters (67 per part), counted in UTF-16 code units.

static/js/sms-count.js counts the same way while a template is edited; keep the two alike.
"""
from dataclasses import dataclass

# The GSM 03.38 basic character set; the extension characters below count twice (an escape, then the character).
GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsLength:
    unicode: bool
    units: int  # characters (GSM septets, or UTF-16 code units)
    segments: int

    @property
    def per_segment(self) -> int:
        if self.unicode:
            return 70 if self.segments <= 1 else 67
        return 160 if self.segments <= 1 else 153


def sms_length(text: str) -> SmsLength:
    """Count a text's SMS parts as the networks do."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        units = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        return SmsLength(False, units, 1 if units <= 160 else -(-units // 153))
    units = len(text.encode("utf-16-le")) // 2
    return SmsLength(True, units, 1 if units <= 70 else -(-units // 67))
