"""Siemens images of one series told apart by the scanner's corrections named in ImageType.

A Siemens scanner asked to keep the images before a correction stores both under one series:
distortion-corrected images (ImageType ``...\\DIS2D`` or ``...\\DIS3D``) beside the same slices
not corrected (``...\\ND``), or prescan-normalized ones (``...\\NORM``) beside those without
(its "unfiltered images"). They lie at the same positions: stacked, they made a 4D series of two
"time points" whose second was the other kind of image (dcm2niix 1.0.20260724 stacks them so,
with ``-m n`` too). The scanner's viewer shows them as two series, and a reader asks for one
("the distortion-corrected T1"): each kind is a series of its own, named by what ImageType says,
``T1 (DIS2D)`` and ``T1 (ND)``, with a line saying what the other images are.

A localizer's or a secondary capture's ImageType splits nothing: they go with the series'
largest kind, where grouping keeps them apart.
"""

from __future__ import annotations

from .refs import FrameRef, split_blocks

DISTORTION = ("DIS2D", "DIS3D", "ND")
NORMALIZED = "NORM"
_MEANING = {"DIS2D": "distortion-corrected in 2D", "DIS3D": "distortion-corrected in 3D",
            "ND": "not distortion-corrected", NORMALIZED: "prescan-normalized"}


def correction_words(image_type) -> str:
    """The corrections an ImageType names after its first two values, in one order: the
    distortion correction (``DIS2D``, ``DIS3D``, ``ND``), then ``NORM``; ``"DIS2D NORM"``,
    ``"ND"``, or ``""`` where it names none."""
    if image_type is None:
        return ""
    values = image_type.split("\\") if isinstance(image_type, str) else list(image_type)
    found = {str(value).strip().upper() for value in values[2:]}
    return " ".join(word for word in (*DISTORTION, NORMALIZED) if word in found)


def split_corrections(blocks: list[list[FrameRef]]) -> list[tuple[str, list[list[FrameRef]]]]:
    """(corrections, their blocks) per distinct :func:`correction_words` of ``blocks``
    (:func:`~.refs.split_blocks`)."""
    return split_blocks(blocks, lambda ref: ref.correction)


def _parts(words: str, all_words: list[str]) -> list[str]:
    """What tells ``words`` from the others of ``all_words``: its distortion correction where
    theirs differ (``DIS2D``; ``without DIS2D`` where it names none), ``NORM`` or
    ``without NORM`` where normalization differs."""
    def distortion(text: str) -> str:   # "DIS2D"; a damaged "DIS2D ND" as "DIS2D/ND"
        return "/".join(word for word in text.split() if word in DISTORTION)

    parts = []
    values = {distortion(other) for other in all_words}
    if len(values) > 1:
        mine = distortion(words)
        parts.append(mine or "without " + "/".join(sorted(values - {""})))
    normalized = {NORMALIZED in other.split() for other in all_words}
    if len(normalized) > 1:
        parts.append(NORMALIZED if NORMALIZED in words.split() else "without " + NORMALIZED)
    return parts


def _meaning(parts: list[str]) -> str:
    said = []
    for part in parts:
        if not part.startswith("without "):
            said.append(" and ".join(_MEANING[word] for word in part.split("/")))
        elif part == "without " + NORMALIZED:
            said.append("not prescan-normalized")
        else:
            said.append("no distortion correction named")
    return ", ".join(said)


def _images(count: int, parts: list[str]) -> str:
    """``4 ND images``, ``1 image without NORM``."""
    images = "image" if count == 1 else "images"
    name = ", ".join(parts)
    return f"{count} {images} {name}" if parts[0].startswith("without") else f"{count} {name} {images}"


def correction_name(words: str, all_words: list[str]) -> str:
    """The name added to the series' description: ``DIS2D``, ``ND``, ``NORM``, ``without NORM``,
    ``DIS2D, NORM``..."""
    return ", ".join(_parts(words, all_words))


def correction_note(words: str, counts: tuple[tuple[str, int], ...]) -> str:
    """The line said on the series of one kind of :func:`split_corrections`; ``counts``: every
    kind's words and number of images."""
    all_words = [other for other, _ in counts]
    mine = _parts(words, all_words)
    others = [f"{_images(count, _parts(other, all_words))} ({_meaning(_parts(other, all_words))})"
              for other, count in counts if other != words]
    own = "a series of their own" if len(others) == 1 else "series of their own, one per kind"
    return (f"ImageType {', '.join(mine)} ({_meaning(mine)}); the series' other images, "
            f"{'; '.join(others)}, are {own}")
