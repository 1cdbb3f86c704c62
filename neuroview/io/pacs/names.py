"""A patient's name as people type it ("Doe Jane", "Jane Doe", "doe, jane", "DOE", "Müller"), made
into what a DICOM server is asked and what its answers must match.

DICOM writes names family^given (``Doe^Jane``) and servers match the whole value with ``*`` and
``?``, some case-sensitively: "Doe Jane", "Jane Doe" or "doe, jane" found nothing. The server is
asked here for the longest run of typed letters anywhere in the name (``*Doe*``; Orthanc matches
names regardless of case and accents), and each typed word must begin a word of the name in the
answers, regardless of case, accents and order (``DOE*`` still finds every Doe, ``*oe`` any name
with "oe" in it).
"""

from __future__ import annotations

import re
import unicodedata

_TYPED_WORD = re.compile(r"[\w*?]+")
_LITERAL = re.compile(r"[^*?]+")
_ASCII_LITERAL = re.compile(r"[^*?\x80-\U0010ffff]+")


def plain(text: str) -> str:
    """``text`` without case and accents (``Müller`` -> ``muller``)."""
    letters = unicodedata.normalize("NFKD", text)
    return "".join(c for c in letters if not unicodedata.combining(c)).casefold()


class NameMatch:
    """Does a name (``Doe^Jane``) hold every word typed (``jane doe``)? Has ``match`` as a compiled
    pattern has, so :func:`.query.keep` uses it alike."""

    def __init__(self, typed: str):
        words = _TYPED_WORD.findall(plain(typed))
        self.words = [re.compile(r"(?<!\w)" + re.escape(w).replace(r"\*", ".*").replace(r"\?", "."),
                                 re.DOTALL) for w in words if w.strip("*")]

    def match(self, name: str) -> bool:
        name = plain(name)
        return all(word.search(name) for word in self.words)


def server_name(typed: str, ascii_only: bool = False) -> str:
    """What the server is asked for the name typed: ``*run*`` for its longest run of letters
    (``Doe Jane`` -> ``*Doe*``); empty (every name) when it has none (``*``). ``ascii_only`` for
    a server that matches nothing for letters outside ASCII (Orthanc's DICOMweb plugin 1.10)."""
    literal = _ASCII_LITERAL if ascii_only else _LITERAL
    runs = [run for word in _TYPED_WORD.findall(typed) for run in literal.findall(word)]
    runs = [run for run in runs if run.strip("_")]
    return f"*{max(runs, key=len)}*" if runs else ""
