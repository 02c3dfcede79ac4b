"""The sentences reports publish, built from the figures in the page's language."""
from flask_babel import force_locale, ngettext

from trainer.core.i18n import format_number
from trainer.reports.queries import ProgrammeReport


def programme_sentence(report: ProgrammeReport) -> str:
    """«अब तक 19 जिलों एवं 115 जनपदों की 7,883 ग्राम पंचायतें प्रशिक्षण प्राप्त कर चुकी हैं; 78,830 प्रतिभागी जुड़े।»"""
    # %(count)s, not %(num)s: ngettext fills num itself, without Indian digit grouping.
    districts = ngettext("%(count)s district", "%(count)s districts", report.districts_reached,
                         count=format_number(report.districts_reached))
    blocks = ngettext("%(count)s janpad", "%(count)s janpads", report.blocks_reached,
                      count=format_number(report.blocks_reached))
    participants = ngettext("%(count)s participant joined", "%(count)s participants joined", report.participants,
                            count=format_number(report.participants))
    return ngettext(
        "So far %(count)s gram panchayat of %(blocks)s in %(districts)s has been trained; %(participants)s.",
        "So far %(count)s gram panchayats of %(blocks)s in %(districts)s have been trained; %(participants)s.",
        report.trained_gps, count=format_number(report.trained_gps), blocks=blocks, districts=districts,
        participants=participants)


def programme_sentences(report: ProgrammeReport) -> dict[str, str]:
    """The sentence in both languages, as the department publishes it."""
    sentences = {}
    for language, locale in (("hi", "hi"), ("en", "en_IN")):
        with force_locale(locale):
            sentences[language] = programme_sentence(report)
    return sentences
