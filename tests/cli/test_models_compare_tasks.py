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


def test_dataset_with_a_lesion_and_an_ai_click_model_stops_at_once_measuring_nothing(capsys, tmp_path, rng):
    """``--dataset`` ran the lesion model over the held-out split, printed its Dice, then failed
    on the AI click model ("needs 5 input channel(s) ..., got 1"): now one line, nothing measured."""
    from neuroview.cli.main import main
    from tests.ui.train_data import make_raw_dataset

    dataset = make_raw_dataset(tmp_path, rng)
    json_path = tmp_path / "measured.json"
    for a, b in (("lesionseg", "clickseg"), ("clickseg", "lesionseg")):
        code = main(["models", "compare", a, b, "--dataset", str(dataset), "--device", "cpu",
                     "--json", str(json_path)])
        out, err = capsys.readouterr()
        assert code != 0
        assert out == ""   # not even the cards' lines: nothing measured, nothing half-printed
        lines = err.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("neuroview: error: --dataset measures nothing: ")
        assert lines[0].endswith("the two models do different tasks, so their figures do not compare")
        assert "AI click" in lines[0] and str(tmp_path) not in lines[0]
        assert not json_path.exists()
