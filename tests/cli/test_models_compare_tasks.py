"""``neuroview models compare lesionseg clickseg`` puts a lesion model beside an AI click model:
it printed their figures side by side with no word that they do different tasks (whole-image
lesion Dice against one object's Dice after clicks). It now says so in one line."""

from __future__ import annotations


def _compare(capsys, a, b) -> list[str]:
    from neuroview.cli.main import main

    assert main(["models", "compare", a, b]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_lesion_model_and_an_ai_click_model_are_said_not_to_compare(capsys):
    out = _compare(capsys, "lesionseg", "clickseg")
    lesion = next(line.split(":")[0] for line in out if line.startswith("lesionseg@"))
    click = next(line.split(":")[0] for line in out if line.startswith("clickseg@"))
    notes = [line for line in out if line.startswith("note:")]
    assert notes == [f"note: {lesion} segments whole images (labels lesion), {click} is a "
                     "promptable (AI click) model that segments one object from clicks: the two "
                     "models do different tasks, so their figures do not compare"]
    assert out[-1] == notes[0]
    swapped = _compare(capsys, "clickseg", "lesionseg")
    assert swapped[-1].startswith(f"note: {click} is a promptable (AI click) model")


def test_two_lesion_models_get_no_word_of_tasks(capsys):
    out = _compare(capsys, "lesionseg", "lesionseg")
    assert not any("different tasks" in line for line in out), out
