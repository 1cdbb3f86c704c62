"""A lesion's choice as typed (``neuroview pacs adjudicate --take N=CHOICE``): a reader in any
spelling, ``consensus`` or ``none``; ``reader:NAME`` is always a reader, so that a reader whose
name reads "Consensus" or "None" can be taken (the words alone are the consensus and nothing)."""

from __future__ import annotations

from ..core.errors import DatasetError
from ..dataset.adjudication import Choice, Other
from ..io.dicom.person_name import named, readable_name, shown_names

READER = "reader:"
WORDS = {other.value: other for other in Other}
"""``consensus`` and ``none``, the choices that are not a reader."""


def keyword_readers(readers) -> list[str]:
    """The readers whose name reads as one of :data:`WORDS` (``Consensus``, ``None^``)."""
    return [name for name in readers if readable_name(name).casefold() in WORDS]


def typed_choice(typed: str, readers) -> Choice:
    """What ``typed`` chooses among ``readers`` (as the SEGs store them, ``Smith^Ann``): the one
    reader it names in any spelling (``Ann Smith``, ``Smith, Ann``, ``Smith^Ann``), or one of
    :data:`WORDS` (any case); a :class:`DatasetError` listing the readers when it names none or
    several."""
    readers = list(readers)
    text = typed.strip()
    if text[:len(READER)].lower() == READER:
        text = text[len(READER):].strip()
    elif text.lower() in WORDS:
        return WORDS[text.lower()]
    found = named(text, readers)
    if len(found) == 1:
        return found[0]
    shown = shown_names(readers)
    known = ", ".join(shown[name] for name in readers)
    which = f"names {len(found)} readers" if found else "names none of the readers"
    raise DatasetError(f"{text!r} {which}: {known} (or {', '.join(WORDS)})")
