"""A DICOM person name (PN: ``Family^Given^Middle^Prefix^Suffix``, ``=``-separated alphabetic,
ideographic and phonetic groups) as people read it, with pydicom's :class:`PersonName`::

    readable_name("Smith^Ann")                                  # 'Ann Smith'
    readable_name("Van der Berg-Oliveira^Maria Theresa^^Dr.")   # 'Dr. Maria Theresa Van der Berg-Oliveira'
    readable_name("=山田^太郎")                                  # '山田 太郎' (family first, as written)

The readers' names of *Compare readers* (a SEG's ContentCreatorName) showed as ``Smith^Ann``.

:func:`dicom_name` goes the other way, from a name as a user types it::

    dicom_name("Sam Senior")      # 'Senior^Sam'
    dicom_name("Senior, Sam")     # 'Senior^Sam'
    dicom_name("Dr. Maria Theresa van der Berg")   # 'van der Berg^Maria^Theresa^Dr.'
"""

from __future__ import annotations


def readable_name(value) -> str:
    """``value`` (a PN string or ``PersonName``) as ``Prefix Given Middle Family Suffix``; with no
    alphabetic group, the ideographic (else phonetic) one family first; text without ``^`` or
    ``=`` as it is, trimmed."""
    from pydicom.valuerep import PersonName

    text = str(value if value is not None else "").strip()
    if "^" not in text and "=" not in text:
        return text
    name = PersonName(text)
    parts = (name.name_prefix, name.given_name, name.middle_name, name.family_name, name.name_suffix)
    shown = " ".join(part.strip() for part in parts if part and part.strip())
    if shown:
        return shown
    for group in (name.ideographic, name.phonetic):
        words = [part.strip() for part in str(group or "").split("^") if part.strip()]
        if words:
            return " ".join(words)
    return text.replace("^", " ").replace("=", " ").strip()


PREFIXES = {"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx."}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "md", "m.d.", "phd", "ph.d.", "frcr"}
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "do", "dos", "das", "du",
             "la", "le", "ten", "ter", "bin", "ibn", "al", "el", "st.", "mac"}
"""Words that begin a family name (``van der Berg``, ``de la Cruz``) when they follow the given name."""


def _family_first(text: str) -> bool:
    """Chinese, Japanese or Korean script: the family name is written first."""
    import unicodedata

    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for c in text)


def dicom_name(typed: str) -> str:
    """A name as people type it (``Sam Senior``, ``Senior, Sam``, ``Dr. Ann B Smith PhD``) in DICOM's
    PN form (``Senior^Sam``, ``Smith^Ann^B^Dr.^PhD``): ``Family, Given`` when there is a comma,
    else the given name first and the family name last (from a particle such as ``van`` on);
    Chinese, Japanese or Korean family name first, in PN's ideographic group (``=山田^太郎``).
    Text already in PN form (with ``^`` or ``=``) is kept as it is; one word is a family name."""
    from pydicom.valuerep import PersonName

    text = " ".join(str(typed or "").split())
    if not text or "^" in text or "=" in text:
        return text
    if _family_first(text):
        return "=" + "^".join(text.split(" ", 1))
    before, comma, after = (part.strip() for part in text.partition(","))
    suffix = ""
    if comma and after and all(w.lower() in SUFFIXES for w in after.split()):
        before, comma, suffix = before, "", after   # "Ann Smith, MD": after the comma, a suffix
    if comma:   # Family, Given Middle
        family_words, words = before.split(), after.split()
    else:
        words = before.split()
        while len(words) > 1 and words[-1].lower() in SUFFIXES:
            suffix = " ".join([words.pop(), suffix]).strip()
        first = next((i for i, w in enumerate(words) if w.lower() not in PREFIXES), len(words) - 1)
        start = next((i for i in range(first + 1, len(words)) if words[i].lower() in PARTICLES),
                     max(len(words) - 1, 0))
        words, family_words = words[:start], words[start:]
    prefix = []
    while words and words[0].lower() in PREFIXES:
        prefix.append(words.pop(0))
    name = PersonName.from_named_components(
        family_name=" ".join(family_words), given_name=" ".join(words[:1]),
        middle_name=" ".join(words[1:]), name_prefix=" ".join(prefix), name_suffix=suffix)
    return str(name).rstrip("^")


def pn_value(name: str) -> str:
    """``name`` in PN form as a PN element holds it: a name of one component (a login, ``anna``)
    with a trailing caret, ``anna^``, which says it is a family name alone (PS3.5 6.2.1.2;
    highdicom warned at each SEG save of ``anna``); :func:`stored_name` reads it back."""
    text = str(name or "")
    return f"{text}^" if text and "^" not in text and "=" not in text else text


def stored_name(value) -> str:
    """A PN element's ``value`` (``anna^``) as :func:`pn_value` was given it (``anna``): a name of
    one component loses its trailing carets; any other is kept as it is."""
    text = str(value if value is not None else "")
    bare = text.rstrip("^")
    return bare if "^" not in bare and "=" not in bare else text


def name_key(text) -> str:
    """What two spellings of one person share: ``Ann Smith``, ``Smith, Ann``, ``Smith^Ann`` and
    ``smith^ann^^`` all give ``smith^ann`` (DICOM's form, empty trailing components dropped,
    case and spacing ignored)."""
    groups = dicom_name(str(text if text is not None else "")).split("=")
    return "=".join(" ".join(group.rstrip("^").split()) for group in groups).rstrip("=").casefold()


def shown_names(names) -> dict[str, str]:
    """Each name as people read it (``Smith^Ann`` -> ``Ann Smith``); where two names would read
    the same (``Smith^Ann`` and an older ``Ann Smith``), those keep their stored spelling."""
    names = list(dict.fromkeys(str(n) for n in names))
    readable = {name: readable_name(name) or name for name in names}
    counts: dict[str, int] = {}
    for shown in readable.values():
        counts[shown.casefold()] = counts.get(shown.casefold(), 0) + 1
    return {name: shown if counts[shown.casefold()] == 1 else name for name, shown in readable.items()}


def named(typed: str, names) -> list[str]:
    """The names among ``names`` that ``typed`` names in any spelling (``Ann Smith``, ``Smith,
    Ann``, ``Smith^Ann``): the one spelled exactly so if there is one, else every one that has the
    same :func:`name_key` or reads the same."""
    names = [str(n) for n in names]
    text = " ".join(str(typed or "").split())
    exact = [n for n in names if n == text or shown_names(names)[n] == text]
    if exact:
        return exact[:1]
    key, shown = name_key(text), text.casefold()
    return [n for n in names if name_key(n) == key or readable_name(n).casefold() == shown]
