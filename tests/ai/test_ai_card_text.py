"""What a card makes ``segment`` do around the network, in words (``models show``, the Models
dialog): the numbers are the card's own, and each rule that post-processing applies is named."""

from __future__ import annotations

import dataclasses

from neuroview.ai.card_text import processing_lines, rules_text
from neuroview.ai.registry import Registry

CLI_FORKED = "what `models show` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_the_bundled_lesion_model_is_described_with_its_cards_numbers():
    card = Registry().get("lesionseg").card
    lines = processing_lines(card)
    step = card.preprocessing[0]
    assert lines[0].startswith("before: brain extraction first")
    assert f"within {float(step['margin_mm']):g} mm" in lines[0]
    assert f"further than {float(step['report_margin_mm']):g} mm" in lines[0]
    rules = card.postprocessing
    after = lines[1]
    assert after.startswith("after: ")
    assert f"above probability {rules['extent_probability']:g}" in after
    assert f"peak probability {rules['min_component_probability']:g} or more" in after
    assert (f"a contrast of {rules['strong_contrast']:g} z or more with a peak of "
            f"{rules['strong_contrast_probability']:g}") in after


def test_thick_slice_rules_get_a_line_of_their_own():
    card = Registry().get("lesionseg").card
    thick = {"min_component_probability": 0.999, "extent_probability": 0.3,
             "min_component_mm3": 65}
    lines = processing_lines(dataclasses.replace(card, postprocessing_thick=thick))
    assert len(lines) == 3 and lines[2].startswith("after, on thick-slice images")
    assert "above probability 0.3" in lines[2] and "peak probability 0.999" in lines[2]
    assert "none under 65 mm3" in lines[2]
    assert "thick" not in "".join(processing_lines(card)[:2])


def test_rules_without_post_processing_and_with_a_plain_contrast_rule():
    assert rules_text({}) == "every voxel the network labels (no post-processing)"
    text = rules_text({"min_component_probability": 0.9, "min_component_contrast": 0.25})
    assert text == ("regions of the voxels the network labels, kept when they reach peak "
                    "probability 0.9 or more and a contrast of 0.25 z or more")


def test_a_promptable_model_says_so():
    card = Registry().get("clickseg").card
    assert processing_lines(card)[0].startswith("promptable (AI click)")


def test_models_show(cli):
    shown = cli("models", "show", "lesionseg")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "lesionseg@" in out and "before: brain extraction first" in out and "after: " in out
    assert "lesion-wise" in out
    missing = cli("models", "show", "no-such-model")
    assert missing.returncode == 1 and "no model 'no-such-model'" in missing.stderr
