"""What a model card makes ``segment`` do before and after the network, in words.

Shown by ``neuroview models show`` and the Models dialog, so that a user can see which images a
model strips to the brain first and which regions it keeps (a card's ``preprocessing``,
``postprocessing`` and ``postprocessing_thick``, read as :mod:`.preprocess` and
:mod:`.postprocess` apply them).
"""

from __future__ import annotations

from collections.abc import Mapping


def _mm(value) -> str:
    return f"{float(value):g} mm"


def preprocessing_lines(steps, skipped: str = "") -> list[str]:
    """A card's steps before its network, one line each; a brain extraction that will not run on
    the image at hand says why (``skipped``, ``domain.extraction_skipped``'s words)."""
    lines = []
    for step in steps or []:
        if step.get("step") == "brain_extraction" and skipped:
            lines.append(f"brain extraction, skipped on this image ({skipped}): the network reads "
                         "the whole image")
        elif step.get("step") == "brain_extraction":
            margin = step.get("margin_mm", 3)
            report = step.get("report_margin_mm", margin)
            lines.append(f"brain extraction first: the network sees the head within {_mm(margin)} "
                         f"of the brain mask, and nothing further than {_mm(report)} from it is "
                         "reported")
        else:
            lines.append(f"{step.get('step')}")
    return lines


def rules_text(rules: Mapping) -> str:
    """One sentence for a card's post-processing rules (:func:`.postprocess.postprocess`)."""
    if not rules:
        return "every voxel the network labels (no post-processing)"
    parts = []
    extent = rules.get("extent_probability")
    parts.append(f"regions of voxels above probability {float(extent):g}" if extent
                 else "regions of the voxels the network labels")
    seed = rules.get("min_component_probability")
    contrast = rules.get("min_component_contrast")
    strong = rules.get("strong_contrast")
    sure = f"peak probability {float(seed):g} or more" if seed else ""
    if contrast:
        sure = " and ".join(filter(None, (sure, f"a contrast of {float(contrast):g} z or more")))
    if strong:
        floor = rules.get("strong_contrast_probability")
        strong_text = (f"a contrast of {float(strong):g} z or more with a peak of "
                       f"{float(floor or 0):g} or more")
        parts.append(f"kept when they reach {sure} or {strong_text}" if sure
                     else f"kept when they reach {strong_text}")
    elif sure:
        parts.append(f"kept when they reach {sure}")
    smallest = rules.get("min_component_mm3")
    if smallest:
        parts.append(f"none under {float(smallest):g} mm3")
    return ", ".join(parts)


def processing_lines(card) -> list[str]:
    """The card's steps around the network, one line each."""
    if card.training.get("task") == "interactive":
        return ["promptable (AI click): segments one object from clicks, boxes and scribbles, on "
                "a region around them; the network's answer is cut at probability 0.5"]
    lines = [f"before: {text}" for text in preprocessing_lines(card.preprocessing)]
    lines.append(f"after: {rules_text(card.postprocessing)}")
    if card.postprocessing_thick:
        lines.append("after, on thick-slice images (one voxel side at least twice another): "
                     f"{rules_text(card.postprocessing_thick)}")
    return lines
