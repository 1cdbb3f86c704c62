"""A card fine-tuned with ``neuroview train --dataset D --base MODEL`` kept its base's description:
``models show lesionseg@2.6.0`` said "Trained only on synthetic lesions..." of a model fine-tuned on
the user's cases. Its description now says what it was fine-tuned from and on, and keeps the
base's description and training data as the base's (a fine-tune's lineage, as MONAI bundles and
nnU-Net keep it)."""

from __future__ import annotations

import pytest

from tests.ui.train_data import install, make_raw_dataset

pytest.importorskip("torch")

TINY = ["--epochs", "1", "--iterations", "1", "--patch", "16", "--spacing", "2",
        "--base-channels", "2", "--batch-size", "1", "--device", "cpu", "--threads", "1"]
BASE_TEXT = "Bright blobs. Trained only on synthetic blobs: a demonstration."
BASE_DATA = "synthetic blobs from seeds 1-40"


def test_a_fine_tunes_card_says_what_it_was_fine_tuned_from_and_on(tmp_path, rng, capsys):
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    dataset = make_raw_dataset(tmp_path, rng)   # Dataset001_Blobs: 5 cases trained on, 1 held out
    install(tmp_path, "blobs", "1.0.0", 0.5, description=BASE_TEXT, training={"data": BASE_DATA})
    assert main(["train", "--dataset", str(dataset), "--base", "blobs", "--out", "blobs", *TINY]) == 0
    capsys.readouterr()
    assert main(["models", "show", "blobs@1.1.0"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == ("blobs@1.1.0: Fine-tuned from blobs@1.0.0 on 5 cases of dataset "
                     "Dataset001_Blobs (1 more held out for its figures). The base, blobs@1.0.0: "
                     + BASE_TEXT)
    card = Registry().get("blobs@1.1.0").card
    assert card.training["data"] == "nnU-Net v2 raw dataset Dataset001_Blobs: 5 training cases"
    assert card.training["base_data"] == f"blobs@1.0.0: {BASE_DATA}"

    # a fine-tune of the fine-tune: its lineage goes back to the first base
    assert main(["train", "--dataset", str(dataset), "--base", "blobs@1.1.0", "--out", "blobs",
                 *TINY]) == 0
    card = Registry().get("blobs@1.2.0").card
    assert card.description.startswith("Fine-tuned from blobs@1.1.0 on 5 cases of dataset "
                                       "Dataset001_Blobs (1 more held out for its figures). The "
                                       "base, blobs@1.1.0: Fine-tuned from blobs@1.0.0 on 5 cases")
    assert card.description.endswith(BASE_TEXT)
    assert card.training["base_data"] == ("blobs@1.1.0: nnU-Net v2 raw dataset Dataset001_Blobs: 5 "
                                          f"training cases; blobs@1.0.0: {BASE_DATA}")
