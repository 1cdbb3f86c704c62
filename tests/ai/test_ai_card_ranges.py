"""Model cards that lie (#16.5): every field is checked against sane ranges and against the
weights before a network is built, so `models add` gives one line naming the card, under a
4 GiB address-space limit, instead of building a 7.8 GB network or sliding one voxel at a time."""

from __future__ import annotations

import json
import math

import pytest

from neuroview.core.errors import ModelError
from tests.io.limited_cli import run_limited

torch = pytest.importorskip("torch")


HOSTILE_FIELDS = {
    "levels_400": ("hyperparameters", {"in_channels": 1, "out_channels": 2, "base_channels": 2,
                                       "levels": 400}, "levels=400"),
    "overlap_1": ("overlap", 1.0, "overlap 1.0"),
    "spacing_nan": ("target_spacing", [math.nan, 2.0, 2.0], "target_spacing"),
    "spacing_tiny": ("target_spacing", [1e-6, 2.0, 2.0], "target_spacing"),
    "patch_huge": ("patch_size", [100000, 16, 16], "patch_size"),
    "patch_many_voxels": ("patch_size", [1024, 1024, 1024], "patch_size"),
    "mirror_axis_3": ("mirror_axes", [0, 3], "mirror_axes"),
    "mirror_axes_twice": ("mirror_axes", [1, 1], "mirror_axes"),
    # wrong JSON types (found by mutating the bundled card, session 16): internal TypeErrors
    "weights_file_number": ("weights_file", -1, "weights_file must be text, not int"),
    "architecture_list": ("architecture", ["unet3d"], "architecture must be text, not list"),
    "training_text": ("training", "x", "training must be a JSON object, not str"),
    "overlap_bool": ("overlap", True, "overlap must be a number, not bool"),
    "name_null": ("name", None, "model card lacks name"),
    # found by bench/editor_fuzz.py (session 22): accepted, then an internal AttributeError in
    # 'models compare --dataset', and a line naming no file
    "postprocessing_zero": ("postprocessing", 0, "postprocessing is not a JSON object"),
    "normalization_nan": ("normalization", {"scheme": math.nan}, "normalization scheme 'nan' is none of"),
    "normalization_unknown": ("normalization", {"scheme": "percentile"}, "normalization scheme"),
    # bench/fuzz_readers.py --only package (session 39): Python's words as the reason, naming no
    # field ("'int' object is not iterable", "list indices must be integers or slices, not str",
    # "cannot convert float NaN to integer"), an internal TypeError of None * int at the build,
    # and a 5000-character architecture printed whole
    "labels_nested": ("labels", [[]], "labels must be a list of labels, each "),
    "labels_number": ("labels", 5, "labels must be a list of labels, each "),
    "color_infinite": ("labels", [{"value": 1, "name": "lesion", "color": [1e999, 0, 0]}],
                       "labels must be a list of labels, each "),
    "patch_number": ("patch_size", -1, "patch_size must be 3 whole numbers of voxels, not -1"),
    "patch_nan": ("patch_size", [16, math.nan, 16], "patch_size must be 3 whole numbers of voxels, "
                                                    "not [16, NaN, 16]"),
    "channels_number": ("input_channels", 0, "input_channels must be a list of channel names, not 0"),
    "base_channels_null": ("hyperparameters", {"in_channels": 1, "out_channels": 2, "base_channels": None,
                                               "levels": 2}, "base_channels=None must be an integer"),
    "architecture_long": ("architecture", "x" * 5000, "unknown architecture 'xxxxxxxxxx"),
}


def test_hostile_card_fields_are_refused_by_models_add(tiny_package, tmp_path):
    card_path = tiny_package / "model.json"
    good = json.loads(card_path.read_text())
    commands, expected = [], []
    for name, (key, value, match) in HOSTILE_FIELDS.items():
        package = tmp_path / name
        package.mkdir()
        (package / "weights.safetensors").write_bytes((tiny_package / "weights.safetensors").read_bytes())
        (package / "model.json").write_text(json.dumps({**good, key: value}))  # NaN as JSON allows
        commands.append(["models", "add", str(package)])
        expected.append((package / "model.json", match))
    results = run_limited(commands, env={"NEUROVIEW_HOME": str(tmp_path / "home")})
    for (card, match), result in zip(expected, results):
        lines = result["stderr"].strip().splitlines()
        assert result["rc"] == 1 and len(lines) == 1, result
        assert lines[0].startswith(f"neuroview: error: {card}: ") and match in lines[0], lines
        assert len(lines[0]) < len(str(card)) + 240, lines
    assert not (tmp_path / "home" / "models").exists() or not any((tmp_path / "home" / "models").iterdir())


def test_network_is_checked_against_the_weights_before_it_is_built(tiny_package, monkeypatch):
    """A card within the ranges but asking for a bigger network than its weights: refused after
    a shapes-only build on torch's meta device, never a real one."""
    from neuroview.ai import networks
    from neuroview.ai.package import load_model

    card_path = tiny_package / "model.json"
    card = json.loads(card_path.read_text())
    card["hyperparameters"].update(levels=8, base_channels=320)  # ~330 MB of float32 if built
    card_path.write_text(json.dumps(card))
    devices = []
    real = networks.build_network

    def spy(architecture, hyperparameters):
        network = real(architecture, hyperparameters)
        devices.append(next(network.parameters()).device.type)
        return network

    monkeypatch.setattr(networks, "build_network", spy)
    with pytest.raises(ModelError, match=r"weights do not fit architecture unet3d \(missing \d+ tensor"):
        load_model(tiny_package)
    assert devices == ["meta"]


@pytest.mark.parametrize("overlap,format_,ok", [(0.9, "safetensors", True), (0.95, "safetensors", False),
                                                (1.0, "nnunet", True), (0.05, "nnunet", False)])
def test_overlap_range_follows_the_format(card_factory, overlap, format_, ok):
    card = card_factory(overlap=overlap, format=format_)
    if ok:
        card.check_ranges()
    else:
        with pytest.raises(ModelError, match="must be between"):
            card.check_ranges()


def test_card_mirror_axes_are_the_flips_inference_averages(tiny_package, monkeypatch):
    """A card's ``mirror_axes`` is what ``segment`` averages over; ``mirror=True`` flips all."""
    import numpy as np

    from neuroview.ai import infer
    from neuroview.ai.segment import segment
    from neuroview.core.volume import Volume

    card_path = tiny_package / "model.json"
    card = json.loads(card_path.read_text())
    card_path.write_text(json.dumps({**card, "mirror_axes": [0, 2]}))
    seen = []
    original = infer.sliding_window
    monkeypatch.setattr(infer, "sliding_window",
                        lambda *a, **k: seen.append(tuple(k["mirror_axes"])) or original(*a, **k))
    volume = Volume(np.random.default_rng(0).random((20, 20, 20), np.float32), np.eye(4))
    segment(volume, str(tiny_package), "cpu")
    segment(volume, str(tiny_package), "cpu", mirror=True)
    assert seen == [(0, 2), (0, 1, 2)]
