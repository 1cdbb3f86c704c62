"""A DICOM person name (PN: ``Family^Given^Middle^Prefix^Suffix``, ``=``-separated alphabetic,
ideographic and phonetic groups) as people read it, with pydicom's :class:`PersonName`::

    readable_name("Smith^Ann")                                  # 'Ann Smith'
    readable_name("Van der Berg-Oliveira^Maria Theresa^^Dr.")   # 'Dr. Maria Theresa Van der Berg-Oliveira'
    readable_name("=山田^太郎")                                  # '山田 太郎' (family first, as written)

The readers' names of *Compare readers* (a SEG's ContentCreatorName) showed as ``Smith^Ann``."""

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
