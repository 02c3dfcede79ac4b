"""Names as people type them: a Hindi place name typed in Latin letters ("haridih" for हरिडीह), or in Devanagari
with another vowel length, finds the place.

Both sides are reduced to one spelling-blind key: Devanagari is romanised (IAST, by indic-transliteration), and
then the differences that Hindi written in Latin letters does not keep are dropped — vowel length and marks,
aspiration, doubled letters, the inherent "a" that speech drops (राम·नगर is "Ramnagar"), sh/s, w/v, and an
anusvara written m or n. Gram panchayats keep the key of their names (`GramPanchayat.search_key`), made when
the hierarchy is imported.
"""
import re
import unicodedata

MINIMUM = 3  # a shorter key matches half the state: below it, only the name itself is searched

_CONSONANT = "bcdfgjklmnprstvz"
_REPLACEMENTS = (("ksh", "ks"), ("x", "ks"), ("sh", "s"), ("ph", "f"), ("w", "v"), ("z", "j"), ("q", "k"),
                 ("ee", "i"), ("oo", "u"))


def romanised(text: str) -> str:
    """Write Devanagari in Latin letters (IAST); other text is returned as it is."""
    if not any("\u0900" <= ch <= "\u097f" for ch in text):
        return text
    from indic_transliteration import sanscript  # heavy to import (about half a second): only when needed

    return sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.IAST)


def search_key(text: str) -> str:
    """Reduce a name, in either script, to the key that spellings of the same Hindi sound share."""
    plain = unicodedata.normalize("NFD", romanised(text or "").lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = re.sub(r"[^a-z0-9]+", " ", plain).strip()
    for old, new in _REPLACEMENTS:
        plain = plain.replace(old, new)
    plain = re.sub(rf"([{_CONSONANT}])h+", r"\1", plain)  # aspiration: bh, dh, kh, chh …
    plain = re.sub(r"\Ba", "", plain)  # the inherent "a" inside a word, written or not
    plain = plain.replace(" ", "")  # "Ram Nagar", रामनगर
    plain = re.sub(rf"m(?=[{_CONSONANT}])", "n", plain)  # an anusvara before a consonant, as m or n
    plain = re.sub(r"([a-z])\1+", r"\1", plain)  # doubled letters (and the long vowels aa, ii, uu)
    return plain


def place_key(name_hi: str, name_en: str) -> str:
    """The key of a place: its Hindi name's and its English name's, side by side."""
    return " | ".join(dict.fromkeys(key for key in (search_key(name_hi), search_key(name_en)) if key))
