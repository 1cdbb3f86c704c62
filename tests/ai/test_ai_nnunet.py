"""nnU-Net v2 results folders: neuroview's prediction against nnU-Net's own predictor.

The plans in ``data/nnunet_tiny`` are genuine nnU-Net planner output (see its ``make_plans.py``);
the networks get random weights from nnU-Net's own ``get_network_from_plans`` and are saved the
way ``nnUNetTrainer.save_checkpoint`` saves them (optimizer state, numpy floats in the log).
"""

from __future__ import annotations

import json
import pickle
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from neuroview.core.errors import ModelError

torch = pytest.importorskip("torch")
pytest.importorskip("nnunetv2")

from neuroview.ai.package import load_model  # noqa: E402

DATA = Path(__file__).parent / "data" / "nnunet_tiny"
TRAINER_FOLDER = "nnUNetTrainer__nnUNetPlans__3d_fullres"
SPACING_IJK = (1.0, 1.2000000476837158, 2.0)  # the plans' 3d_fullres spacing, reversed


def _checkpoint(plans: dict, dataset: dict, seed: int) -> dict:
    """A checkpoint as nnUNetTrainer.save_checkpoint writes it, with a He-initialised network."""
    from nnunetv2.utilities.get_network_from_plans import get_network_from_plans

    arch = plans["configurations"]["3d_fullres"]["architecture"]
    torch.manual_seed(seed)
    network = get_network_from_plans(arch["network_class_name"], arch["arch_kwargs"],
                                     arch["_kw_requires_import"], 1, 3, allow_init=True,
                                     deep_supervision=True)
    optimizer = torch.optim.SGD(network.parameters(), lr=0.01, momentum=0.99, nesterov=True)
    loss = sum(o.float().mean() for o in network(torch.randn(1, 1, 24, 40, 40)))
    loss.backward()
    optimizer.step()
    dice = [np.float64(0.61), np.float64(0.72)]
    return {
        "network_weights": network.state_dict(),
        "optimizer_state": optimizer.state_dict(),
        "grad_scaler_state": None,
        "logging": {"mean_fg_dice": [np.float64(0.665)], "ema_fg_dice": [np.float64(0.6)],
                    "dice_per_class_or_region": [dice], "train_losses": [0.5], "val_losses": [0.6],
                    "lrs": [0.01], "epoch_start_timestamps": [1.7e9], "epoch_end_timestamps": [1.7e9 + 60]},
        "_best_ema": np.float64(0.6),
        "current_epoch": 1000,
        "init_args": {"plans": plans, "configuration": "3d_fullres", "fold": 0,
                      "dataset_json": dataset, "device": torch.device("cpu")},
        "trainer_name": "nnUNetTrainer",
        "inference_allowed_mirroring_axes": (0, 1, 2),
    }


def make_results_folder(root: Path, folds=(0,)) -> Path:
    folder = root / "Dataset501_TinyBrain" / TRAINER_FOLDER
    folder.mkdir(parents=True)
    shutil.copy(DATA / "dataset.json", folder / "dataset.json")
    # The planner's network is 32..256 features wide; 4..32 keeps these tests fast on a CPU.
    plans = json.loads((DATA / "plans.json").read_text())
    arch = plans["configurations"]["3d_fullres"]["architecture"]
    arch["arch_kwargs"]["features_per_stage"] = [4, 8, 16, 32]
    (folder / "plans.json").write_text(json.dumps(plans, indent=2))
    dataset = json.loads((DATA / "dataset.json").read_text())
    for fold in folds:
        (folder / f"fold_{fold}").mkdir()
        torch.save(_checkpoint(plans, dataset, seed=100 + fold),
                   folder / f"fold_{fold}" / "checkpoint_final.pth")
    return folder


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return make_results_folder(tmp_path_factory.mktemp("nnunet_results"), folds=(0, 1))


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """A RAS NIfTI at the plans' spacing, no zero voxel (so nnU-Net crops nothing), sized so that
    both sliding windows place 2 windows per axis at the same positions."""
    from neuroview.io.nifti import save_nifti

    ijk_to_ras = np.diag(SPACING_IJK + (1.0,))
    ijk_to_ras[:3, 3] = (-20.0, -30.0, 10.0)
    shape = (52, 48, 30)
    ijk = np.indices(shape).astype(np.float32)
    image = 100 + 60 * np.sin(ijk[0] / 5) + 40 * np.cos(ijk[1] / 4) + 3 * ijk[2]
    image += np.random.default_rng(5).normal(0, 15, shape)
    image = np.clip(image, 1, None).astype(np.float32)
    path = save_nifti(image, ijk_to_ras, tmp_path_factory.mktemp("nnunet_case") / "case.nii.gz")
    return path, image, ijk_to_ras


def _nnunet_predictor(folder: Path, folds):
    from nnunetv2.inference.predict_from_raw_data import nnUNetPredictor

    predictor = nnUNetPredictor(tile_step_size=0.5, use_gaussian=True, use_mirroring=False,
                                perform_everything_on_device=False, device=torch.device("cpu"),
                                allow_tqdm=False)
    predictor.initialize_from_trained_model_folder(str(folder), use_folds=folds,
                                                   checkpoint_name="checkpoint_final.pth")
    return predictor


def test_card_made_from_the_plans(results):
    loaded = load_model(results)
    card = loaded.card
    assert loaded.kind == "nnunet" and loaded.window == "nnunet"
    assert card.ref == "Dataset501_TinyBrain@nnunet-3d_fullres-fold0+1"
    assert card.input_channels == ["T1"]
    assert [(lab.value, lab.name) for lab in card.labels] == [(1, "lesion"), (2, "edema")]
    # plans: spacing [2.0, 1.2, 1.0] and patch [24, 40, 40] in nnU-Net's (k, j, i) order
    assert np.allclose(card.target_spacing, SPACING_IJK)
    assert card.patch_size == (40, 40, 24)
    assert card.normalization["channels"][0]["method"] == "ZScoreNormalization"
    assert card.hyperparameters["folds"] == ["0", "1"] and card.overlap == 0.5
    assert card.training["epochs"] == 1000


def test_network_axes_match_nnunet(results):
    """One window, no sliding: neuroview's RAS-ordered call gives nnU-Net's logits, transposed."""
    predictor = _nnunet_predictor(results, (0,))
    loaded = load_model(results)
    x_ras = torch.randn(1, 1, 40, 40, 24, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        ours = loaded.network.members[0](x_ras.permute(0, 1, 4, 3, 2)).permute(0, 1, 4, 3, 2)
        theirs = predictor.network.eval()(x_ras.permute(0, 1, 4, 3, 2)).permute(0, 1, 4, 3, 2)
        both = loaded.network(x_ras)
    assert float((ours - theirs).abs().max()) < 1e-4
    fold1 = loaded.network.members[1](x_ras.permute(0, 1, 4, 3, 2)).permute(0, 1, 4, 3, 2)
    assert torch.allclose(both, (ours + fold1) / 2, atol=1e-5)


def test_segment_cli_agrees_with_nnunet_predictor(results, case, cli, tmp_path):
    """``neuroview segment --model RESULTS_FOLDER`` against nnUNetPredictor on the same file."""
    import nibabel as nib
    from nnunetv2.imageio.simpleitk_reader_writer import SimpleITKIO

    path, image, ijk_to_ras = case
    out = tmp_path / "mask.nii.gz"
    result = cli("segment", path, "-o", out, "--model", results, "--device", "cpu")
    assert result.returncode == 0, result.stderr
    assert "Dataset501_TinyBrain@nnunet-3d_fullres-fold0+1" in result.stdout
    mask = nib.load(out)
    assert mask.shape == image.shape and np.allclose(mask.affine, ijk_to_ras)
    ours = np.asarray(mask.dataobj)

    predictor = _nnunet_predictor(results, (0, 1))
    data, properties = SimpleITKIO().read_images([str(path)])
    theirs, probabilities = predictor.predict_single_npy_array(data, properties, None, None, True)
    theirs = np.transpose(theirs, (2, 1, 0))  # nnU-Net's (z, y, x) back to the file's (i, j, k)
    assert theirs.shape == ours.shape
    counts = np.bincount(theirs.ravel(), minlength=3)
    assert (counts > 0.02 * theirs.size).sum() >= 2, counts  # the comparison is not trivial
    agreement = float((ours == theirs).mean())
    # nnU-Net sums the windows in float16 (neuroview in float32): on these random networks, whose
    # class margins are small, that moves 0.3 % of the voxels (measured 0.99712); summing in
    # float16 too reproduces its labels to 0.9999 for one fold (see the README).
    assert agreement >= 0.995, agreement
    print(f"agreement with nnUNetPredictor: {agreement:.5f}, classes {counts}")

    from neuroview.ai.normalize import normalize
    from neuroview.ai.segment import get_model
    from neuroview.ai.sliding_window import sliding_window

    loaded = get_model(str(results))
    tensor = torch.from_numpy(normalize(image, loaded.card.normalization)[None])
    logits = sliding_window(loaded.network, tensor, loaded.card.patch_size, 3, 0.5, softmax=False,
                            style="nnunet")
    assert np.array_equal(logits.argmax(0).numpy(), ours)  # the CLI ran this very computation
    ours_p = torch.softmax(logits, 0).numpy()
    theirs_p = np.transpose(probabilities, (0, 3, 2, 1))
    print("probabilities: mean |diff|", float(np.abs(ours_p - theirs_p).mean()))
    assert float(np.abs(ours_p - theirs_p).mean()) < 2e-3


def test_normalisation_schemes_match_nnunet(results):
    from nnunetv2.preprocessing.cropping.cropping import crop_to_nonzero
    from nnunetv2.preprocessing.normalization import default_normalization_schemes as schemes

    from neuroview.ai.normalize import nnunet_normalize

    plans = json.loads((results / "plans.json").read_text())
    props = plans["foreground_intensity_properties_per_channel"]["0"]
    rng = np.random.default_rng(0)
    image = rng.normal(200, 40, (30, 28, 20)).astype(np.float32)
    image[:4] = 0  # a zero border that nnU-Net crops away
    image[10:14, 10:14, 5:8] = 0  # a hole inside: part of the nonzero mask after filling
    cropped, seg, bbox = crop_to_nonzero(image[None].copy())
    inside = tuple(slice(a, b) for a, b in bbox)
    for method, use_mask in (("ZScoreNormalization", False), ("ZScoreNormalization", True),
                             ("CTNormalization", False), ("RescaleTo01Normalization", False),
                             ("NoNormalization", False)):
        reference = getattr(schemes, method)(use_mask_for_norm=use_mask, intensityproperties=props)
        expected = reference.run(cropped[0].copy(), seg[0])
        got = nnunet_normalize(image, {"method": method, "use_mask_for_norm": use_mask, "intensity": props})
        assert np.allclose(got[inside], expected, atol=1e-5), method


class _Planted:
    marker = ""

    def __reduce__(self):
        import pathlib

        return (pathlib.Path.touch, (pathlib.Path(_Planted.marker),))


def test_checkpoint_with_code_is_refused_and_not_run(tmp_path):
    folder = make_results_folder(tmp_path, folds=(0,))
    checkpoint = folder / "fold_0" / "checkpoint_final.pth"
    state = torch.load(checkpoint, weights_only=False)
    _Planted.marker = str(tmp_path / "planted_code_ran")
    state["logging"]["extra"] = _Planted()
    torch.save(state, checkpoint)
    with pytest.raises(ModelError, match=r"checkpoint_final\.pth: checkpoint cannot be read safely"):
        load_model(folder)
    assert not (tmp_path / "planted_code_ran").exists()
    # A plain pickle (not a torch zip) is refused the same way
    checkpoint.write_bytes(pickle.dumps({"network_weights": _Planted()}))
    with pytest.raises(ModelError, match="cannot be read safely"):
        load_model(folder)
    assert not (tmp_path / "planted_code_ran").exists()


def test_broken_folders_are_clear_errors(tmp_path):
    folder = make_results_folder(tmp_path, folds=(0,))
    checkpoint = folder / "fold_0" / "checkpoint_final.pth"
    data = checkpoint.read_bytes()
    checkpoint.write_bytes(data[: len(data) // 3])
    with pytest.raises(ModelError, match=r"checkpoint_final\.pth: checkpoint cannot be read safely"):
        load_model(folder)
    checkpoint.write_bytes(data)
    plans = json.loads((folder / "plans.json").read_text())
    arch = plans["configurations"]["3d_fullres"]["architecture"]
    arch["network_class_name"] = "os.system"
    (folder / "plans.json").write_text(json.dumps(plans))
    with pytest.raises(ModelError, match=r"plans\.json: unknown architecture part 'os\.system'"):
        load_model(folder)
    arch["network_class_name"] = "dynamic_network_architectures.architectures.unet.NoSuchUNet"
    (folder / "plans.json").write_text(json.dumps(plans))
    with pytest.raises(ModelError, match="unknown architecture"):
        load_model(folder)
    arch["network_class_name"] = "dynamic_network_architectures.architectures.unet.PlainConvUNet"
    arch["arch_kwargs"]["features_per_stage"] = [8, 16, 32, 64]
    (folder / "plans.json").write_text(json.dumps(plans))
    with pytest.raises(ModelError, match=r"checkpoint_final\.pth: checkpoint weights do not fit"):
        load_model(folder)
    arch["arch_kwargs"]["features_per_stage"] = [4, 8, 16, 32]
    (folder / "plans.json").write_text(json.dumps(plans))
    dataset = json.loads((DATA / "dataset.json").read_text())
    dataset["channel_names"] = {"0": "T1", "1": "FLAIR"}
    (folder / "dataset.json").write_text(json.dumps(dataset))
    with pytest.raises(ModelError, match=r"plans\.json: plans.json normalises 1 channels but "
                                         r"dataset\.json lists 2"):
        load_model(folder)
    (folder / "dataset.json").write_text("{broken")
    with pytest.raises(ModelError, match=r"dataset\.json: cannot read nnU-Net dataset\.json"):
        load_model(folder)
    shutil.copy(DATA / "dataset.json", folder / "dataset.json")
    shutil.rmtree(folder / "fold_0")
    with pytest.raises(ModelError, match="has no fold_N/checkpoint_final.pth"):
        load_model(folder)


def test_without_nnunetv2_says_how_to_install(results, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_nnunet(name, *args, **kwargs):
        if name == "nnunetv2" or name.startswith("nnunetv2."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_nnunet)
    with pytest.raises(ModelError, match=r"3d_fullres: nnU-Net results folders need the optional "
                                         r"nnunetv2 package \(pip install nnunetv2"):
        load_model(results)


def test_registry_imports_a_results_folder(results, tmp_path):
    from neuroview.ai.registry import Registry

    registry = Registry(home=tmp_path / "home", bundled=tmp_path / "none")
    entry = registry.add(results)
    assert entry.ref == "Dataset501_TinyBrain@nnunet-3d_fullres-fold0+1"
    assert (entry.path / "fold_1" / "checkpoint_final.pth").exists()
    again = load_model(registry.resolve_path("Dataset501_TinyBrain"))
    original = load_model(results)
    x = torch.randn(1, 1, 40, 40, 24)
    with torch.no_grad():
        assert torch.equal(again.network(x), original.network(x))
    assert again.card.ref == entry.ref
    with pytest.raises(ModelError, match="already installed"):
        registry.add(results)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_nnunet_on_cuda_matches_cpu(results, case):
    from neuroview.ai.api import SegmentationRequest
    from neuroview.ai.infer import run_model

    _, image, ijk_to_ras = case
    loaded = load_model(results)
    cpu = run_model(loaded, SegmentationRequest([image], ijk_to_ras, device="cpu")).labels
    gpu = run_model(loaded, SegmentationRequest([image], ijk_to_ras, device="cuda")).labels
    loaded.network.to("cpu")
    assert float((cpu == gpu).mean()) > 0.99


def test_a_checkpoint_symlinked_out_of_the_results_folder_is_not_copied_in(tmp_path):
    """``models add`` of an nnU-Net folder copied ``fold_N/checkpoint_final.pth`` through a
    symlink to wherever it pointed (another user's file); now refused, and nothing is left."""
    from neuroview.ai.registry import Registry

    folder = make_results_folder(tmp_path / "given", folds=(0,))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checkpoint = folder / "fold_0" / "checkpoint_final.pth"
    shutil.move(checkpoint, elsewhere / "theirs.pth")
    checkpoint.symlink_to(elsewhere / "theirs.pth")
    registry = Registry(home=tmp_path / "home", bundled=tmp_path / "none")
    with pytest.raises(ModelError, match=r"checkpoint 'fold_0/checkpoint_final\.pth' points outside"):
        registry.add(folder)
    assert not any(registry.models_dir.iterdir())


def test_dataset_json_labels_of_the_wrong_shape_are_one_line(tmp_path):
    """labels of null, a list, a string or 1e999 were internal AttributeErrors and an
    OverflowError inside nnU-Net's LabelManager (found by bench/folder_fuzz.py)."""
    folder = make_results_folder(tmp_path, folds=(0,))
    dataset = json.loads((folder / "dataset.json").read_text())
    for labels in ("null", "[1, 2]", '"lesion"', '{"background": 0, "lesion": 1e999}',
                   '{"background": 0, "lesion": true}', "{}"):
        dataset["labels"] = "LABELS"
        (folder / "dataset.json").write_text(json.dumps(dataset).replace('"LABELS"', labels))
        with pytest.raises(ModelError) as raised:
            load_model(folder)
        assert str(raised.value) == (f"{folder / 'dataset.json'}: dataset.json's labels must map "
                                     'label names to integers (e.g. {"background": 0, "lesion": 1})')


def test_plans_asking_for_a_giant_network_are_refused_before_it_is_built(tmp_path):
    """plans.json widened to 3000 features (the checkpoint holds 32) made ``models add`` build
    that network, 1.3 GB resident, before finding the checkpoint did not fit; the network is now
    laid out on torch's meta device and compared first (found by bench/folder_fuzz.py)."""
    from tests.io.limited_cli import run_limited

    folder = make_results_folder(tmp_path / "given", folds=(0,))
    plans = json.loads((folder / "plans.json").read_text())
    plans["configurations"]["3d_fullres"]["architecture"]["arch_kwargs"]["features_per_stage"] = \
        [4, 8, 16, 3000]
    (folder / "plans.json").write_text(json.dumps(plans))
    result = run_limited([["models", "add", str(folder)]], seconds=120,
                         env={"NEUROVIEW_HOME": str(tmp_path / "home")})[0]
    assert result["rc"] == 1
    # importing torch and nnU-Net raises the peak ~370 MB; the 3000-wide network was 1.3 GB more
    assert result["peak_rss"] < 600 << 20, result["peak_rss"] >> 20
    assert result["stderr"].strip() == (
        f"neuroview: error: {folder / 'fold_0' / 'checkpoint_final.pth'}: checkpoint weights do "
        "not fit the plans' network (33 tensors missing or of another shape, e.g. "
        "decoder.encoder.stages.3.0.convs.0.all_modules.0.bias: plans [3000], checkpoint [32])")


def test_plans_transpose_that_is_no_axis_order_is_one_line(tmp_path):
    """transpose_forward [[0.0, 0.0, 0.0], 1, 2] was an internal TypeError (found by
    bench/folder_fuzz.py)."""
    folder = make_results_folder(tmp_path, folds=(0,))
    plans = json.loads((folder / "plans.json").read_text())
    for order in ([[0.0, 0.0, 0.0], 1, 2], [0, 0, 1], "012", [0, 1, 2, 3], [0.0, 1, 2]):
        (folder / "plans.json").write_text(json.dumps({**plans, "transpose_forward": order}))
        with pytest.raises(ModelError) as raised:
            load_model(folder)
        assert str(raised.value).startswith(f"{folder / 'plans.json'}: plans.json's "
                                            "transpose_forward must order the axes 0, 1, 2")


def test_plans_without_the_network_class_are_one_line(tmp_path):
    """plans.json whose architecture lacks network_class_name was an internal KeyError (found by
    bench/folder_fuzz.py, seed 2)."""
    folder = make_results_folder(tmp_path, folds=(0,))
    plans = json.loads((folder / "plans.json").read_text())
    arch = plans["configurations"]["3d_fullres"]["architecture"]
    for change in ({"network_class_name": None}, {"_kw_requires_import": [["conv_op"]]}):
        broken = {k: v for k, v in arch.items() if k not in change or change[k] is not None}
        broken.update({k: v for k, v in change.items() if v is not None})
        plans["configurations"]["3d_fullres"]["architecture"] = broken
        (folder / "plans.json").write_text(json.dumps(plans))
        with pytest.raises(ModelError) as raised:
            load_model(folder)
        assert str(raised.value).startswith(f"{folder / 'plans.json'}: plans.json's architecture "
                                            "is incomplete ("), str(raised.value)


def test_plans_arch_kwargs_without_convolutions_are_one_line(tmp_path):
    """arch_kwargs n_conv_per_stage_decoder of 0 was an internal IndexError inside
    dynamic_network_architectures (found by bench/folder_fuzz.py, seed 2)."""
    folder = make_results_folder(tmp_path, folds=(0,))
    plans = json.loads((folder / "plans.json").read_text())
    kwargs = plans["configurations"]["3d_fullres"]["architecture"]["arch_kwargs"]
    kwargs["n_conv_per_stage_decoder"] = 0   # nnU-Net repeats a number per stage: 0 convs
    (folder / "plans.json").write_text(json.dumps(plans))
    with pytest.raises(ModelError) as raised:
        load_model(folder)
    assert str(raised.value).startswith(f"{folder / 'plans.json'}: cannot build PlainConvUNet from "
                                        "plans.json ("), str(raised.value)


def test_a_checkpoint_with_a_compressed_member_is_refused_before_torch_inflates_it(tmp_path):
    """torch inflates a zip member whole before reading its tensor: a 3.8 MB checkpoint whose
    member deflated 3 GB of zeros made ``models add`` allocate 3 GB (under a 4 GiB limit:
    torch's `DefaultCPUAllocator: can't allocate memory` as the reason; session 41). torch.save
    compresses no member, so any compressed one is refused from the zip's directory (here one
    member of 110 kB, deflated: the rule, without a slow bomb)."""
    import zipfile

    folder = make_results_folder(tmp_path / "given", folds=(0,))
    checkpoint = folder / "fold_0" / "checkpoint_final.pth"
    with zipfile.ZipFile(checkpoint) as given:
        members = [(item.filename, given.read(item)) for item in given.infolist()]
    biggest = max(members, key=lambda member: len(member[1]))[0]
    with zipfile.ZipFile(checkpoint, "w") as repacked:
        for name, data in members:
            repacked.writestr(name, data, zipfile.ZIP_DEFLATED if name == biggest else zipfile.ZIP_STORED)
    with pytest.raises(ModelError) as raised:
        load_model(folder)
    assert str(raised.value) == (
        f"{checkpoint}: checkpoint cannot be read safely (its zip holds 1 compressed member, "
        "108.0 kB inflated, where torch.save compresses none: repacked, or a zip bomb)")


def test_plans_with_a_stride_of_false_are_one_line_without_torch_warnings(tmp_path):
    """A stage's strides written as false made a layer of no weights: the refusal was right, but
    torch's 'UserWarning: Initializing zero-element tensors is a no-op' and its source line were
    printed above it (bench/mutate_readers.py --only nnunet, seed 51, case 11)."""
    folder = make_results_folder(tmp_path, folds=(0,))
    plans = json.loads((folder / "plans.json").read_text())
    plans["configurations"]["3d_fullres"]["architecture"]["arch_kwargs"]["strides"][2] = False
    (folder / "plans.json").write_text(json.dumps(plans))
    with warnings.catch_warnings(record=True) as printed, pytest.raises(ModelError) as raised:
        warnings.simplefilter("always")
        load_model(folder)
    assert str(raised.value).startswith(f"{folder / 'fold_0' / 'checkpoint_final.pth'}: checkpoint weights "
                                        "do not fit the plans' network (1 tensor missing or of another shape")
    assert [str(w.message) for w in printed] == []


@pytest.mark.parametrize("key, value, said", [
    ("use_mask_for_norm", [], "IndexError: list index out of range"),
    ("use_mask_for_norm", False, "TypeError: 'bool' object is not subscriptable"),
    ("spacing", [[1.0], 1.0, 1.0],
     "TypeError: float() argument must be a string or a real number, not 'list'")])
def test_plans_configuration_values_of_another_type_are_one_line(tmp_path, key, value, said):
    """A configuration's use_mask_for_norm shorter than its channels or not a list, or a spacing
    holding a list, were internal IndexError and TypeError as the card was made from the plans
    (bench/mutate_readers.py --only nnunet, seed 53, cases 7, 38 and 41)."""
    folder = make_results_folder(tmp_path, folds=(0,))
    plans = json.loads((folder / "plans.json").read_text())
    plans["configurations"]["3d_fullres"][key] = value
    (folder / "plans.json").write_text(json.dumps(plans))
    with pytest.raises(ModelError) as raised:
        load_model(folder)
    assert str(raised.value) == (f"{folder / 'plans.json'}: plans.json's 3d_fullres configuration cannot be "
                                 f"read ({said})")
