"""A patient's name as people type it ("Doe Jane", "Jane Doe", "doe, jane", "DOE", "Müller"), made
into what a DICOM server is asked and what its answers must match.

DICOM writes names family^given (``Doe^Jane``) and servers match the whole value with ``*`` and
``?``, some case-sensitively: "Doe Jane", "Jane Doe" or "doe, jane" found nothing as typed.

* The server is asked ``WORD*`` for each word that may be the family name, which a DICOM name
  starts with (``Doe*`` and ``Jane*`` for "Doe Jane" or "doe, jane", in either order; only
  ``Doe*`` for "Doe^Jane", which says the family name first): an archive finds those from its index,
  where ``*Doe*`` (asked until session 45) has it read every name. A word typed with a leading
  ``*`` (``*oe``, ``*^Max``) is looked for anywhere: the server is then asked ``*run*`` for the
  longest run of letters typed.
* Its answers must hold every word typed, at the start of a word of the name, regardless of case,
  accents (``muller`` matches Müller) and order, and the name must start with one of them (or
  with the family name said). Of those, the names holding the most words typed whole are kept:
  "Doe Jane" lists Doe^Jane and not Doerr^Jane, "Doe Ja" Doe^Jane, "Doer Jane" Doerr^Jane.
"""

from __future__ import annotations

import copy
import re
import unicodedata

_TYPED_WORD = re.compile(r"[\w*?]+")
_LITERAL = re.compile(r"[^*?]+")
_ASCII_LITERAL = re.compile(r"[^*?\x80-\U0010ffff]+")
_WILDCARDS = ("*", "?")


def plain(text: str) -> str:
    """``text`` without case and accents (``Müller`` -> ``muller``)."""
    letters = unicodedata.normalize("NFKD", text)
    return "".join(c for c in letters if not unicodedata.combining(c)).casefold()


def _typed(typed: str) -> tuple[list[str], list[str]]:
    """The words typed (as typed: a lone ``*`` left out) and those of them the name may start
    with (none: anywhere)."""
    tokens = _TYPED_WORD.findall(typed)
    words = [token for token in tokens if token.strip("*")]
    if typed.strip().startswith("^"):   # ^Jane: a given name, any family name
        return words, []
    if "^" in typed:   # family^given, as DICOM writes it
        starts = tokens[:1]
    else:
        starts = words
    if any(word.startswith(_WILDCARDS) for word in starts) or any(
            word.startswith(_WILDCARDS) for word in words):
        return words, []
    return words, starts


def _pattern(word: str, whole: bool) -> re.Pattern:
    """``word`` at the start of a word of a name; ``whole``: the word whole."""
    body = re.escape(plain(word)).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(r"(?<!\w)" + body + (r"(?!\w)" if whole else ""), re.DOTALL)


class NameMatch:
    """Does a name (``Doe^Jane``) hold every word typed (``jane doe``)? Has ``match`` as a compiled
    pattern has, so :func:`.query.keep` uses it alike; :meth:`among` keeps the closest names of
    a search's answers."""

    def __init__(self, typed: str):
        words, starts = _typed(typed)
        self.words = [_pattern(word, False) for word in words]
        self.whole = [_pattern(word, True) for word in words if not any(c in word for c in "*?")]
        self.starts = [_pattern(word, False) for word in starts]
        self.best: int | None = None

    def _words_whole(self, name: str) -> int:
        return sum(bool(word.search(name)) for word in self.whole)

    def match(self, name: str) -> bool:
        name = plain(name).strip()
        found = (all(word.search(name) for word in self.words)
                 and (not self.starts or any(start.match(name) for start in self.starts)))
        return found and (self.best is None or self._words_whole(name) == self.best)

    def among(self, names) -> NameMatch:
        """This match keeping, of ``names``, those with the most words typed whole."""
        closest = copy.copy(self)
        closest.best = max((self._words_whole(plain(name).strip()) for name in names if self.match(name)),
                           default=0)
        return closest


def server_names(typed: str, ascii_only: bool = False) -> list[str]:
    """What the server is asked for the name typed, one search each: ``Doe*`` and ``Jane*`` for
    "Doe Jane", ``Doe*`` for "Doe^Jane", ``*oe*`` for "*oe"; none (every name) for ``*``.
    ``ascii_only`` for a server that matches nothing for letters outside ASCII (Orthanc's
    DICOMweb plugin 1.10): ``M*`` for "Müller", ``*ller*`` for "*müller"."""
    literal = _ASCII_LITERAL if ascii_only else _LITERAL
    words, starts = _typed(typed)
    forms: list[str] = []
    for word in starts:
        run = literal.match(word)
        if run is None or not run.group().strip("_"):   # nothing the server can start with
            forms = []
            break
        forms.append(run.group())
    if forms:
        forms.sort(key=len)   # Do* finds every Doe*: asked once
        kept: list[str] = []
        for form in forms:
            if not any(plain(form).startswith(plain(shorter)) for shorter in kept):
                kept.append(form)
        return [f"{form}*" for form in kept]
    runs = [run for word in words for run in literal.findall(word) if run.strip("_")]
    return [f"*{max(runs, key=len)}*"] if runs else []
