"""A name for each reader's SEG that names no reader (no ContentCreatorName), so that several such
SEGs of one series are compared as readers of their own, told apart as a user tells them apart in
a PACS browser: ``unnamed: Resident draft``, ``unnamed: 2026-12-01 14:30``.

The name holds the SEG's series description; where two would read the same, what tells them apart
instead (the description they share left out, so that a narrow column still tells them apart): its
series number, the day and minute it was made, the second, and last a number (``#2``) in the order
they were made. Never a UID, nor the patient's name (the description left out where it holds it).
"""

from __future__ import annotations

import re
from dataclasses import replace

UNNAMED = "unnamed"


def _when(created: str, seconds: bool) -> str:
    """ContentDate + ContentTime (``20261201143015.123``) as ``2026-12-01 14:30`` (``:15``)."""
    if len(created) < 8 or not created[:8].isdigit():
        return ""
    day = f"{created[:4]}-{created[4:6]}-{created[6:8]}"
    if not created[8:12].isdigit():
        return day
    minute = f"{day} {created[8:10]}:{created[10:12]}"
    return f"{minute}:{created[12:14]}" if seconds and created[12:14].isdigit() else minute


def _plain(text: str) -> str:
    """One line, no ``^`` or ``=`` (which would read as DICOM's person-name form)."""
    return " ".join(str(text).replace("^", " ").replace("=", " ").split())


def _words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"\w+", text) if len(word) > 1}


def _parts(version, private: set[str]) -> list[str]:
    """What may tell the SEG apart, in the order it is added to its name."""
    description = _plain(version.description)
    if not description or _words(description) & private:
        description = "no description"
    return [description, f"series {version.series_number}" if version.series_number else "",
            _when(version.created, seconds=False), _when(version.created, seconds=True)]


def _add(kept: list[str], part: str) -> None:
    """``part`` added to a name's parts; the time to the second replaces the same minute."""
    if part and part not in kept:
        if kept[-1] and part.startswith(kept[-1]) and len(kept) > 1:
            kept[-1] = part
        else:
            kept.append(part)


def _groups(names: list[str]) -> list[list[int]]:
    """The indices of names shared by several (case ignored)."""
    found: dict[str, list[int]] = {}
    for n, name in enumerate(names):
        found.setdefault(name.casefold(), []).append(n)
    return [group for group in found.values() if len(group) > 1]


def unnamed_names(versions, taken=(), private=()) -> list[str]:
    """A name for each of ``versions`` (SEGs with no reader), none the same as another nor as one
    of ``taken`` (the named readers); ``private``: words the names must not hold (the patient's
    name)."""
    private = _words(" ".join(private))
    parts = [_parts(v, private) for v in versions]
    kept = [[p[0]] for p in parts]
    taken = {name.casefold() for name in taken}

    def names() -> list[str]:
        return [f"{UNNAMED}: {', '.join(k)}" for k in kept]

    for level in range(1, len(parts[0]) if parts else 0):
        for group in _groups(names()):
            values = {parts[n][level] for n in group}
            if len(values) > 1:   # a part the same in all of them tells none apart
                for n in group:
                    _add(kept[n], parts[n][level])
    for k in dict.fromkeys(tuple(k) for k in kept if len(k) > 1):   # the description they share left out
        shorter = f"{UNNAMED}: {', '.join(k[1:])}".casefold()   # (a narrow column shows the rest)
        if shorter not in {m.casefold() for m in names()}:
            kept = [list(k[1:]) if tuple(other) == k else other for other in kept]
    result = names()
    for group in _groups(result) + [[n] for n, name in enumerate(result) if name.casefold() in taken]:
        for count, n in enumerate(group, start=1):   # in the order they were made
            result[n] = f"{result[n]}, #{count}"
    return result


def patient_words(volume) -> list[str]:
    """The words of the patient's name in the image's header (``Doe^John`` -> Doe, John)."""
    name = str((getattr(volume, "source_metadata", None) or {}).get("PatientName", "") or "")
    return name.replace("^", " ").replace("=", " ").split()


def name_unnamed(versions, private=()) -> list:
    """``versions`` with each one naming no reader given a name of its own (:func:`unnamed_names`)."""
    versions = list(versions)
    unnamed = [n for n, v in enumerate(versions) if not v.reader.strip()]
    taken = [v.reader for v in versions if v.reader.strip()]
    for n, name in zip(unnamed, unnamed_names([versions[n] for n in unnamed], taken, private)):
        versions[n] = replace(versions[n], reader=name)
    return versions
