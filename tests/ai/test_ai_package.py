"""Model packages: round trip, and clear errors (never a crash, never unpickling) for bad files."""

from __future__ import annotations

import json
import pickle
import shutil

import numpy as np
import pytest

from neuroview.core.errors import CodeConsentError, ModelError

torch = pytest.importorskip("torch")

from neuroview.ai.api import ModelCard  # noqa: E402
from neuroview.ai.consent import trust  # noqa: E402
from neuroview.ai.package import load_model, read_card  # noqa: E402


def test_round_trip_gives_the_same_network(tiny_package):
    from neuroview.ai.networks import build_network

    loaded = load_model(tiny_package)
    assert loaded.kind == "safetensors" and loaded.card.ref == "tiny@1.0.0"
    torch.manual_seed(0)
    original = build_network("unet3d", loaded.card.hyperparameters).eval()
    x = torch.randn(1, 1, 16, 16, 16)
    with torch.no_grad():
        assert torch.equal(loaded.network(x), original(x))
    card = json.loads((tiny_package / "model.json").read_text())
    assert len(card["training"]["weights_sha256"]) == 64
    assert ModelCard.from_dict(card).labels[0].name == "lesion"


def test_corrupt_weights_are_a_model_error(tiny_package):
    weights = tiny_package / "weights.safetensors"
    weights.write_bytes(weights.read_bytes()[:300])
    with pytest.raises(ModelError, match="weights.safetensors: weights file is corrupt"):
        load_model(tiny_package)
    weights.write_bytes(b"\x00" * 10)
    with pytest.raises(ModelError, match="corrupt"):
        load_model(tiny_package)


class _Evil:
    def __reduce__(self):
        import pathlib

        return (pathlib.Path.touch, (pathlib.Path(_Evil.marker),))


def test_pickled_weights_are_never_unpickled(tiny_package, tmp_path):
    _Evil.marker = str(tmp_path / "pwned")
    (tiny_package / "weights.safetensors").write_bytes(pickle.dumps({"w": _Evil()}))
    with pytest.raises(ModelError, match="corrupt or not safetensors"):
        load_model(tiny_package)
    assert not (tmp_path / "pwned").exists()


def test_wrong_number_of_channels_is_a_model_error(tiny_package):
    card = json.loads((tiny_package / "model.json").read_text())
    card["input_channels"] = ["T1", "FLAIR"]
    (tiny_package / "model.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="takes 1 input channels but the card lists 2"):
        load_model(tiny_package)


def test_unknown_architecture_and_bad_cards(tiny_package):
    card_path = tiny_package / "model.json"
    card = json.loads(card_path.read_text())
    card_path.write_text(json.dumps(dict(card, architecture="transformer9000")))
    with pytest.raises(ModelError, match="unknown architecture 'transformer9000'"):
        load_model(tiny_package)
    card_path.write_text(json.dumps(dict(card, hyperparameters={"levels": 2, "dropout": 0.3})))
    with pytest.raises(ModelError, match="bad hyperparameters"):
        load_model(tiny_package)
    card_path.write_text("{not json")
    with pytest.raises(ModelError, match="model.json: model card is not valid JSON"):
        load_model(tiny_package)
    card_path.write_text(json.dumps({k: v for k, v in card.items() if k != "labels"}))
    with pytest.raises(ModelError, match="lacks labels"):
        load_model(tiny_package)
    for key in ("postprocessing", "postprocessing_thick"):   # read with .get() when it runs
        card_path.write_text(json.dumps(dict(card, **{key: ["seed", 0.9]})))
        with pytest.raises(ModelError, match=f"model.json: model card's {key} is not a JSON object"):
            load_model(tiny_package)
    card_path.unlink()
    with pytest.raises(ModelError, match="no model card"):
        load_model(tiny_package)


def test_weights_of_another_architecture_size(tiny_package):
    card_path = tiny_package / "model.json"
    card = json.loads(card_path.read_text())
    card["hyperparameters"]["base_channels"] = 4
    card_path.write_text(json.dumps(card))
    with pytest.raises(ModelError, match="weights do not fit architecture unet3d"):
        load_model(tiny_package)


@pytest.mark.filterwarnings("ignore::torch.jit.TracerWarning", "ignore::DeprecationWarning")
def test_torchscript_loads_once_trusted(tiny_package, tmp_path):
    loaded = load_model(tiny_package)
    scripted = torch.jit.trace(loaded.network, torch.zeros(1, 1, 16, 16, 16))
    target = tmp_path / "scripted.pt"
    scripted.save(str(target))
    card = read_card(tiny_package)
    card.format = "torchscript"
    (tmp_path / "scripted.pt.json").write_text(card.to_json())
    with pytest.raises(CodeConsentError, match="--trust-code"):
        load_model(target)
    trust(target)
    again = load_model(target)
    assert again.kind == "torchscript"
    x = torch.randn(1, 1, 16, 16, 16)
    with torch.no_grad():
        assert torch.allclose(again.network(x), loaded.network(x), atol=1e-5)
    target.write_bytes(b"PK\x03\x04 broken zip")
    trust(target)
    with pytest.raises(ModelError, match="not a loadable TorchScript file"):
        load_model(target)



def test_missing_paths(tmp_path):
    with pytest.raises(ModelError, match="no such model"):
        load_model(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="no model card"):
        load_model(tmp_path / "empty")


def test_copy_of_a_package_still_loads(tiny_package, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(tiny_package, copy)
    assert load_model(copy).card.ref == "tiny@1.0.0"
    assert np.isclose(read_card(copy).target_spacing[0], 2.0)


def test_model_segmenter_is_a_segmenter(tiny_package):
    from neuroview.ai.api import SegmentationRequest, Segmenter
    from neuroview.ai.segment import ModelSegmenter

    segmenter = ModelSegmenter(str(tiny_package))
    assert isinstance(segmenter, Segmenter)
    image = np.random.default_rng(0).random((20, 18, 16), dtype=np.float32)
    result = segmenter.segment(SegmentationRequest([image], np.diag([2.0, 2.0, 2.0, 1.0])))
    assert result.labels.shape == (20, 18, 16) and result.model == "tiny@1.0.0"
    table = result.segment_table()
    assert table.get(1).origin == "model" and table.get(1).model == "tiny@1.0.0"


def test_api_imports_without_torch():
    import subprocess
    import sys

    code = ("import sys, neuroview.ai, neuroview.ai.api, neuroview.ai.registry; "
            "assert 'torch' not in sys.modules, 'torch imported'")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_bundled_packages_are_named_as_their_folders():
    """A package trained with ``--out /tmp/NAME-VERSION`` takes that folder's name; copied into
    resources/models/NAME it must be renamed, or the registry lists it under another name and no
    bundled default is found (clickseg 1.3.0 shipped as ``clickseg-1.3.0``)."""
    import json
    from pathlib import Path

    models = Path(__file__).resolve().parents[2] / "resources" / "models"
    for folder in sorted(p for p in models.iterdir() if (p / "model.json").exists()):
        card = json.loads((folder / "model.json").read_text())
        assert card["name"] == folder.name, folder
        assert card.get("parent") is None or card["parent"].startswith(folder.name + "@"), folder


def test_bundled_cards_name_no_local_path_and_match_their_weights():
    """The bundled cards' recipes named the engineers' working folders (``--base
    /work/train24/clickseg-1.8.0 --out /work/train24/clickseg-1.9.0``): a card travels with its
    model, and a path can name a person or an institution. They were cleaned as ``neuroview
    train`` now writes them (``--base clickseg@1.8.0 --out OUT``), the weights untouched."""
    import json
    import re
    from pathlib import Path

    from neuroview.ai.consent import file_sha256

    absolute = re.compile(r"(?:^|[\s=(`'\"])(?:/[\w.-]+/|~/|[A-Za-z]:\\)")

    def strings(value):
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            return [text for item in value for text in strings(item)]
        return [value] if isinstance(value, str) else []

    models = Path(__file__).resolve().parents[2] / "resources" / "models"
    folders = sorted(p for p in models.iterdir() if (p / "model.json").exists())
    assert len(folders) >= 2
    for folder in folders:
        card = json.loads((folder / "model.json").read_text())
        found = [text for text in strings(card) if absolute.search(text)]
        assert found == [], (folder.name, [absolute.search(text).group(0) for text in found])
        assert card["training"]["weights_sha256"] == file_sha256(folder / "weights.safetensors")


def test_the_same_tensors_give_the_same_weights_file_and_sha(tiny_package, tmp_path):
    """weights_sha256 names the weights: a package saved again from the same tensors (twice, or
    under another name and version, as `train --finish-only` does) gives the same file and hash,
    and the card's hash is that of the file it loads."""
    from safetensors.torch import load_file

    from neuroview.ai.consent import file_sha256
    from neuroview.ai.package import save_package

    state = load_file(str(tiny_package / "weights.safetensors"))
    shas = []
    for folder, name, version in (("a", "tiny", "1.0.0"), ("b", "tiny", "1.0.0"),
                                  ("c", "tiny-copy", "2.0.0")):
        card = read_card(tiny_package)
        card.name, card.version = name, version
        save_package(tmp_path / folder, card, dict(reversed(list(state.items()))))
        saved = json.loads((tmp_path / folder / "model.json").read_text())["training"]["weights_sha256"]
        assert saved == file_sha256(tmp_path / folder / "weights.safetensors")
        assert load_model(tmp_path / folder).card.ref == f"{name}@{version}"
        shas.append(saved)
    assert shas[0] == shas[1] == shas[2]
    first, third = ((tmp_path / f / "weights.safetensors").read_bytes() for f in "ac")
    assert first == third


def test_bundled_cards_count_every_lesion_wise_figure_with_the_current_rule():
    """Every figure on the card is counted as `models compare` and promotion count today: the
    lesion card kept its post-processing tuning records (found, false regions per head) under
    the any-overlap rule after its other figures were counted again with MSSEG-2016's."""
    import json
    from pathlib import Path

    from neuroview.ai.metrics import LESION_RULE, lesion_rule

    def records(value, where):
        if isinstance(value, dict):
            if "false_positives_per_case" in value and "found" in value:
                yield where, value
            for key, item in value.items():
                yield from records(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from records(item, f"{where}[{index}]")

    models = Path(__file__).resolve().parents[2] / "resources" / "models"
    card = json.loads((models / "lesionseg" / "model.json").read_text())
    found = list(records(card["metrics"], "metrics"))
    assert any(where.startswith("metrics.postprocessing_tuning") for where, _ in found)
    assert [where for where, record in found if lesion_rule(record) != LESION_RULE] == []
