"""Synthetic Madhya Pradesh–sized region hierarchy for demos, tests and benchmarks.

Divisions and districts are real; blocks beyond each district's headquarters and all
gram panchayats are invented. Codes are LGD-style but do not match real LGD codes.
"""
import functools
import itertools
import random

REGION_COLUMNS = ("division_code", "division_name_en", "division_name_hi",
                  "district_code", "district_name_en", "district_name_hi",
                  "block_code", "block_name_en", "block_name_hi",
                  "gp_code", "gp_name_en", "gp_name_hi")

# The 52 districts as they stood before the 2023 additions (Maihar, Mauganj, Pandhurna),
# each division's headquarters district first.
_DIVISIONS = (
    ("Bhopal", "भोपाल", (("Bhopal", "भोपाल"), ("Sehore", "सीहोर"), ("Raisen", "रायसेन"),
                         ("Vidisha", "विदिशा"), ("Rajgarh", "राजगढ़"))),
    ("Indore", "इंदौर", (("Indore", "इंदौर"), ("Dhar", "धार"), ("Jhabua", "झाबुआ"),
                         ("Alirajpur", "अलीराजपुर"), ("Khargone", "खरगोन"), ("Barwani", "बड़वानी"),
                         ("Khandwa", "खंडवा"), ("Burhanpur", "बुरहानपुर"))),
    ("Ujjain", "उज्जैन", (("Ujjain", "उज्जैन"), ("Dewas", "देवास"), ("Ratlam", "रतलाम"),
                          ("Mandsaur", "मंदसौर"), ("Neemuch", "नीमच"), ("Shajapur", "शाजापुर"),
                          ("Agar Malwa", "आगर मालवा"))),
    ("Gwalior", "ग्वालियर", (("Gwalior", "ग्वालियर"), ("Shivpuri", "शिवपुरी"), ("Guna", "गुना"),
                             ("Ashoknagar", "अशोकनगर"), ("Datia", "दतिया"))),
    ("Chambal", "चंबल", (("Morena", "मुरैना"), ("Bhind", "भिंड"), ("Sheopur", "श्योपुर"))),
    ("Jabalpur", "जबलपुर", (("Jabalpur", "जबलपुर"), ("Katni", "कटनी"), ("Narsinghpur", "नरसिंहपुर"),
                            ("Chhindwara", "छिंदवाड़ा"), ("Seoni", "सिवनी"), ("Mandla", "मंडला"),
                            ("Dindori", "डिंडोरी"), ("Balaghat", "बालाघाट"))),
    ("Rewa", "रीवा", (("Rewa", "रीवा"), ("Satna", "सतना"), ("Sidhi", "सीधी"),
                      ("Singrauli", "सिंगरौली"))),
    ("Sagar", "सागर", (("Sagar", "सागर"), ("Damoh", "दमोह"), ("Panna", "पन्ना"),
                       ("Chhatarpur", "छतरपुर"), ("Tikamgarh", "टीकमगढ़"), ("Niwari", "निवाड़ी"))),
    ("Shahdol", "शहडोल", (("Shahdol", "शहडोल"), ("Anuppur", "अनूपपुर"), ("Umaria", "उमरिया"))),
    ("Narmadapuram", "नर्मदापुरम", (("Narmadapuram", "नर्मदापुरम"), ("Harda", "हरदा"),
                                     ("Betul", "बैतूल"))),
)

_BLOCK_TOTAL = 313
_GP_TOTAL = 22_812
_BLOCKS_PER_DISTRICT = (4, 9)
_GPS_PER_BLOCK = (40, 110)

_FIRST_DIVISION_CODE = 1
_FIRST_DISTRICT_CODE = 401
_FIRST_BLOCK_CODE = 5001
_FIRST_GP_CODE = 100001

# Any fixed value works; 1956 is the year the state was formed.
_SEED = 1956

# (English, Hindi) halves of village names; every prefix × suffix pair is distinct in both scripts.
_PREFIXES = (
    ("Ram", "राम"), ("Son", "सोन"), ("Bad", "बड़"), ("Kund", "कुंड"), ("Shyam", "श्याम"),
    ("Krishna", "कृष्ण"), ("Hari", "हरि"), ("Shiv", "शिव"), ("Lakshman", "लक्ष्मण"),
    ("Govind", "गोविंद"), ("Chandra", "चंद्र"), ("Indra", "इंद्र"), ("Dharam", "धर्म"),
    ("Prem", "प्रेम"), ("Sundar", "सुंदर"), ("Mohan", "मोहन"), ("Pipal", "पीपल"),
    ("Neem", "नीम"), ("Aam", "आम"), ("Bel", "बेल"), ("Pahad", "पहाड़"), ("Ganga", "गंगा"),
    ("Narmada", "नर्मदा"), ("Amar", "अमर"), ("Suraj", "सूरज"), ("Bhairon", "भैरों"),
    ("Dev", "देव"), ("Hanuman", "हनुमान"), ("Jamun", "जामुन"), ("Kesar", "केसर"),
    ("Ratan", "रतन"), ("Sita", "सीता"), ("Gopal", "गोपाल"), ("Khajur", "खजूर"),
    ("Bans", "बांस"), ("Shri", "श्री"),
)
_SUFFIXES = (
    ("pur", "पुर"), ("pura", "पुरा"), ("kheda", "खेड़ा"), ("khedi", "खेड़ी"), ("gaon", "गांव"),
    ("nagar", "नगर"), ("tola", "टोला"), ("garh", "गढ़"), ("gram", "ग्राम"), ("wada", "वाड़ा"),
    ("badi", "बाड़ी"), ("ghat", "घाट"), ("pali", "पाली"), ("dih", "डीह"), ("mau", "मऊ"),
    ("tal", "ताल"), ("kuan", "कुआं"), ("tekri", "टेकरी"),
)
_VILLAGE_NAMES = tuple((p_en + s_en, p_hi + s_hi) for p_en, p_hi in _PREFIXES for s_en, s_hi in _SUFFIXES)


def demo_region_rows() -> list[dict[str, str]]:
    """Return the synthetic state's hierarchy as CSV-style rows (one per gram panchayat)."""
    # Fresh dicts each call so callers may mutate them without corrupting the cache.
    return [dict(zip(REGION_COLUMNS, values, strict=True)) for values in _region_tuples()]


@functools.cache
def _region_tuples() -> tuple[tuple[str, ...], ...]:
    rng = random.Random(_SEED)
    district_total = sum(len(districts) for *_, districts in _DIVISIONS)
    block_counts = iter(_split(rng, _BLOCK_TOTAL, district_total, *_BLOCKS_PER_DISTRICT))
    gp_counts = iter(_split(rng, _GP_TOTAL, _BLOCK_TOTAL, *_GPS_PER_BLOCK))
    district_codes = itertools.count(_FIRST_DISTRICT_CODE)
    block_codes = itertools.count(_FIRST_BLOCK_CODE)
    gp_codes = itertools.count(_FIRST_GP_CODE)

    rows = []
    for division_code, (division_en, division_hi, districts) in enumerate(_DIVISIONS, _FIRST_DIVISION_CODE):
        division = (str(division_code), division_en, division_hi)
        for headquarters in districts:
            district = (str(next(district_codes)), *headquarters)
            # The headquarters janpad usually shares the district's name.
            block_names = [headquarters, *_village_names(rng, next(block_counts) - 1, exclude=(headquarters,))]
            for block_name in block_names:
                block = (str(next(block_codes)), *block_name)
                for gp_name in _village_names(rng, next(gp_counts)):
                    rows.append((*division, *district, *block, str(next(gp_codes)), *gp_name))
    return tuple(rows)


def _randint(rng: random.Random, lo: int, hi: int) -> int:
    # Only Random.random() is guaranteed to repeat across Python versions; randint() and sample() are not.
    return lo + int(rng.random() * (hi - lo + 1))


def _split(rng: random.Random, total: int, parts: int, lo: int, hi: int) -> list[int]:
    if not lo * parts <= total <= hi * parts:
        raise ValueError(f"cannot split {total} into {parts} parts of {lo}..{hi}")
    sizes = [_randint(rng, lo, hi) for _ in range(parts)]
    excess = sum(sizes) - total
    while excess:
        step = 1 if excess > 0 else -1
        i = _randint(rng, 0, parts - 1)
        if lo <= sizes[i] - step <= hi:
            sizes[i] -= step
            excess -= step
    return sizes


def _village_names(rng: random.Random, count: int, exclude: tuple[tuple[str, str], ...] = ()) -> list[tuple[str, str]]:
    if count > len(_VILLAGE_NAMES) - len(exclude):
        raise ValueError(f"only {len(_VILLAGE_NAMES)} village names available")
    chosen: dict[tuple[str, str], None] = {}
    while len(chosen) < count:
        name = _VILLAGE_NAMES[_randint(rng, 0, len(_VILLAGE_NAMES) - 1)]
        if name not in exclude:
            chosen[name] = None
    return list(chosen)
