"""A dataset fine-tune's held-out scoring reads and prepares each held-out case once, not at every
epoch, computes no lesion-wise figures the epochs do not use, and takes the card's figures from the
best epoch's predictions (it ran the kept weights once more): the figures are those a fresh
measurement of the saved model gives (Dice to 4 decimals, the lesion-wise summary), as before
session 37. ``bench/held_out_scoring.py`` times it on 1 mm heads."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.ui.train_data import install, make_raw_dataset

torch = pytest.importorskip("torch")


@pytest.fixture
def raw_dataset(tmp_path, rng):
    return make_raw_dataset(tmp_path, rng)


def _counting(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_prepared_cases_score_as_cases_read_anew(raw_dataset, tmp_path, monkeypatch):
    from neuroview.ai import held_out_scoring
    from neuroview.ai.finetune import evaluate_cases, read_dataset

    model = install(tmp_path, "tiny", "1.0.0", 0.5)
    from neuroview.ai.segment import get_model

    loaded, cases = get_model(model.card.ref), read_dataset(raw_dataset).cases
    anew = evaluate_cases(loaded, cases)
    reads = _counting(monkeypatch, held_out_scoring, "load_case")
    prepared = held_out_scoring.PreparedCases()
    kept: list = []
    assert evaluate_cases(loaded, cases, prepared=prepared, lesionwise=False, kept=kept) == (anew[0], None)
    assert evaluate_cases(loaded, cases, prepared=prepared) == anew
    assert len(reads) == len(cases)          # each case read once for both passes
    assert held_out_scoring.score_predictions(kept, 1) == anew
    prepared.forget([cases[0].name])
    evaluate_cases(loaded, cases, prepared=prepared)
    assert len(reads) == len(cases) + 1      # a case named as changed is read again


def test_a_fine_tunes_card_figures_are_a_fresh_measurement_of_its_model(capsys, raw_dataset, monkeypatch):
    from neuroview.ai import held_out_scoring
    from neuroview.ai.finetune import evaluate_cases, read_dataset, split
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    torch.manual_seed(0)
    common = ["--epochs", "2", "--iterations", "2", "--patch", "16", "--spacing", "2",
              "--base-channels", "4", "--batch-size", "2"]
    assert main(["train", "--dataset", str(raw_dataset), "--out", "blobs", *common]) == 0
    capsys.readouterr()
    reads = _counting(monkeypatch, held_out_scoring, "load_case")
    from neuroview.ai import infer

    runs = _counting(monkeypatch, infer, "run_model")
    code = main(["train", "--dataset", str(raw_dataset), "--base", "blobs", "--out", "blobs", "--keep-worse",
                 *common])
    assert code == 0, capsys.readouterr().err
    _, held_out, _ = split(read_dataset(raw_dataset))
    # the base and 2 epochs, each held-out case read once (until session 37: 4 runs, 4 reads each)
    assert len(runs) == 3 * len(held_out) and len(reads) == len(held_out)
    entry = Registry().get("blobs@1.1.0")
    from neuroview.ai.segment import get_model

    dice, lesionwise = evaluate_cases(get_model(entry.card.ref), held_out)
    assert entry.card.metrics["held_out_dice"] == {"lesion": round(dice[0], 4)}
    assert entry.card.metrics["held_out_lesionwise"] == json.loads(json.dumps(lesionwise))
    assert np.isclose(entry.card.training["history"][entry.card.training["best_epoch"] - 1]["val_dice"][0],
                      dice[0], atol=5e-5)


@pytest.mark.parametrize("count", range(2, 10))
def test_a_tiny_datasets_note_names_a_fraction_that_holds_out_enough(count):
    """Datasets of 2-7 cases keep their one-case split (its id, which cards and checkpoints compare
    by: the split is not changed), and the note says why promotion needs --force and which
    --validation-fraction gives 2 held-out cases, as ``split`` reckons it."""
    import hashlib

    from neuroview.ai.finetune import DatasetCase, RawDataset, split
    from neuroview.ai.held_out import MIN_HELD_OUT_CASES, too_few_held_out

    dataset = RawDataset(None, ["T1"], [], [DatasetCase(f"nv_{n:04d}", [], None) for n in range(count)], "")
    _, held, split_id = split(dataset)
    assert split_id == hashlib.sha256("\n".join(c.name for c in held).encode()).hexdigest()[:16]
    note = too_few_held_out(len(held), count)
    if count >= 8:
        assert len(held) >= MIN_HELD_OUT_CASES and note == ""
        return
    assert len(held) == 1 and note.startswith(f"1 held-out case of {count}: too few to tell a better "
                                              "model from luck, so promotion needs --force")
    if count == 2:   # one to train on, one held out: no fraction holds out two
        assert "--validation-fraction" not in note
        return
    share = float(note.rsplit(" ", 1)[1])
    assert note.endswith(f"or from these {count} with --validation-fraction {share:g}")
    assert len(split(dataset, share)[1]) == MIN_HELD_OUT_CASES
    assert len(split(dataset, share - 0.05)[1]) < MIN_HELD_OUT_CASES or share == 0.05
