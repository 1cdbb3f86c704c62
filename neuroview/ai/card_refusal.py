"""Whether the model that proposed a training case's mask (else the default model) refuses the
case's image: the one line ``neuroview dataset add`` prints and *Send to training set* shows.

The case is added all the same (the person's label is the truth, whatever the model reads); the
line says that a model refusing it leaves it out of its held-out figures. The header alone is
read (its body part, its modality): brain extraction of an untagged knee takes seconds, and runs
when the held-out cases are scored. Qt-free.
"""

from __future__ import annotations

from ..core.errors import NeuroviewError
from ..core.modality import is_ct
from .domain import out_of_domain
from .package import read_card
from .registry import Registry


def refused_by_model(model: str, volume) -> str:
    """The refusal (:func:`~neuroview.ai.domain.out_of_domain`) of ``volume`` by the card of
    ``model`` (a ref or path), else of the default model ("" when it may run, or no such model
    is installed or has no card)."""
    try:
        card = read_card(Registry().resolve_path(model))
    except (NeuroviewError, OSError, ValueError):   # not installed, or no card: nothing to say
        return ""
    image = volume.frame_as_shown()
    return out_of_domain(card, volume, is_ct(image, volume.modality))


def refused_note(case: str, model: str, volume, segments=()) -> str:
    """``case``'s note when the model refuses ``volume`` or a segment of it is a mask the model
    made although its card refused the image (``Segment.outside_domain``), else ""."""
    refused = refused_by_model(model, volume) or next(
        (segment.outside_domain for segment in segments if segment.outside_domain), "")
    if not refused:
        return ""
    return (f"{case}: {refused.removesuffix(': not run on it')}: added; training uses it, and a "
            "model that refuses it leaves it out of its held-out figures (train, models compare)")


__all__ = ["refused_by_model", "refused_note"]
