"""ONNX models through onnxruntime: same answers as the torch network, clear errors for bad files."""

from __future__ import annotations

import builtins
import shutil

import numpy as np
import pytest

from neuroview.core.errors import ModelError

torch = pytest.importorskip("torch")

from neuroview.ai.package import load_model, read_card  # noqa: E402


def _export(network, target, channels=1):
    """Export with dynamic batch and spatial axes, as a user exporting their own model would."""
    import warnings

    axes = {0: "n", 2: "x", 3: "y", 4: "z"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's deprecation and instance-norm notices
        torch.onnx.export(network, torch.zeros(1, channels, 16, 16, 16), str(target), dynamo=False,
                          input_names=["image"], output_names=["logits"], opset_version=17,
                          dynamic_axes={"image": axes, "logits": axes})
    return target


@pytest.fixture
def onnx_model(tiny_package, tmp_path):
    """The tiny package's U-Net exported to ``model.onnx`` with its card as ``model.onnx.json``."""
    pytest.importorskip("onnxruntime")
    loaded = load_model(tiny_package)
    folder = tmp_path / "onnx"
    folder.mkdir()
    target = _export(loaded.network, folder / "model.onnx")
    card = read_card(tiny_package)
    card.format = "onnx"
    card.version = "1.0.0-onnx"
    (folder / "model.onnx.json").write_text(card.to_json())
    return target, loaded


def test_onnx_logits_equal_the_torch_network(onnx_model):
    target, torch_model = onnx_model
    loaded = load_model(target)
    assert loaded.kind == "onnx" and loaded.card.ref == "tiny@1.0.0-onnx"
    x = torch.randn(2, 1, 24, 16, 32, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = torch_model.network(x)
    got = loaded.network(x)
    assert got.shape == expected.shape and got.dtype == torch.float32
    assert float((got - expected).abs().max()) < 1e-4


def test_onnx_segment_cli_equals_torch(onnx_model, tmp_path, cli, sphere):
    """``neuroview segment --model m.onnx`` writes a mask on the input grid equal to the torch one."""
    import nibabel as nib

    from neuroview.ai.api import SegmentationRequest
    from neuroview.ai.infer import run_model
    from neuroview.ai.segment import get_model
    from neuroview.io.nifti import save_nifti

    target, torch_model = onnx_model
    affine = np.array([[-1.5, 0, 0, 30], [0, 1.5, 0, -20], [0, 0, 2.5, 5], [0, 0, 0, 1]])
    image, _ = sphere((30, 26, 14), affine, (10.0, 0.0, 20.0), 8.0)
    image += np.random.default_rng(3).normal(0, 20, image.shape).astype(np.float32)
    source = save_nifti(image, affine, tmp_path / "case.nii.gz")
    result = cli("segment", source, "-o", tmp_path / "mask.nii.gz", "--model", target,
                 "--device", "cpu")
    assert result.returncode == 0, result.stderr
    assert "tiny@1.0.0-onnx" in result.stdout
    mask = nib.load(tmp_path / "mask.nii.gz")
    assert mask.shape == image.shape and np.allclose(mask.affine, affine)
    request = SegmentationRequest([image], affine, device="cpu")
    reference = run_model(torch_model, request).labels
    through_api = run_model(get_model(str(target)), request).labels
    assert np.array_equal(through_api, reference)
    assert np.array_equal(np.asarray(mask.dataobj), reference)
    # the probabilities themselves, window by window
    from neuroview.ai.sliding_window import sliding_window

    tensor = torch.randn(1, 40, 20, 24, generator=torch.Generator().manual_seed(2))
    onnx_probs = sliding_window(get_model(str(target)).network, tensor, (16, 16, 16), 2)
    torch_probs = sliding_window(torch_model.network, tensor, (16, 16, 16), 2)
    assert float((onnx_probs - torch_probs).abs().max()) < 1e-4


def test_truncated_or_garbage_onnx_is_a_model_error(onnx_model):
    target, _ = onnx_model
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match=r"model\.onnx: not a loadable ONNX file"):
        load_model(target)
    target.write_bytes(b"\x00garbage, not a protobuf" * 10)
    with pytest.raises(ModelError, match=r"model\.onnx: not a loadable ONNX file"):
        load_model(target)


def test_onnx_with_the_wrong_number_of_channels(onnx_model, tmp_path):
    from neuroview.ai.networks import UNet3D

    target, _ = onnx_model
    _export(UNet3D(2, 2, 2, 2).eval(), target, channels=2)
    with pytest.raises(ModelError, match=r"model\.onnx: ONNX model takes 2 input channels but the "
                                         r"card lists 1 \(T1\)"):
        load_model(target)
    _export(UNet3D(1, 3, 2, 2).eval(), target)
    with pytest.raises(ModelError, match=r"model\.onnx: ONNX model gives 3 outputs"):
        load_model(target)


def test_onnx_without_onnxruntime_says_how_to_install(onnx_model, monkeypatch):
    target, _ = onnx_model
    real_import = builtins.__import__

    def no_onnxruntime(name, *args, **kwargs):
        if name == "onnxruntime" or name.startswith("onnxruntime."):
            raise ImportError("No module named 'onnxruntime'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnxruntime)
    with pytest.raises(ModelError, match=r"model\.onnx: ONNX models need the optional onnxruntime "
                                         r"package \(pip install onnxruntime"):
        load_model(target)


def test_onnx_model_is_added_to_the_registry(onnx_model, tmp_path):
    from neuroview.ai.registry import Registry

    target, _ = onnx_model
    registry = Registry(home=tmp_path / "home", bundled=tmp_path / "none")
    entry = registry.add(target)
    assert entry.ref == "tiny@1.0.0-onnx" and (entry.path / "model.onnx").exists()
    assert load_model(entry.path).kind == "onnx"


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_onnx_runs_with_cuda_tensors(onnx_model):
    target, torch_model = onnx_model
    loaded = load_model(target)
    network = loaded.network.to(torch.device("cuda"))
    x = torch.randn(1, 1, 32, 32, 32, device="cuda")
    out = network(x)
    assert out.device.type == "cuda"
    with torch.no_grad():
        expected = torch_model.network.to("cuda")(x)
    assert float((out - expected).abs().max()) < 1e-3


def test_a_forked_copy_that_frees_an_onnx_session_of_its_parent_ends(onnx_model, monkeypatch):
    """A forked copy of a process that ran an ONNX model (the tests' ``run_main_forked``, the
    header scan's worker processes) frees the session it inherited and ends: it hung for good in
    ``pthread_cond_destroy`` (gdb), onnxruntime's teardown waiting for its thread pool, which a
    fork does not copy. Session 40's TorchScript consent test, run after this module left its
    model in ``ai.segment``'s cache, hung there (300 s, rc -14): its ``segment`` cleared the cache
    for the next model."""
    import time

    from tests import durability

    loaded = load_model(onnx_model[0])
    loaded.network(torch.zeros(1, 1, 16, 16, 16))
    time.sleep(0.5)   # the pool's threads done spinning, waiting on their condition variables

    def free_session() -> int:
        loaded.network.session = None   # its last reference, as a cleared cache drops it
        return 0

    monkeypatch.setattr(durability, "FORKED_TIMEOUT_S", 20)
    code, err = durability.fork_killed(free_session)
    assert code == 0, err


def test_an_unloadable_onnx_file_is_named_once_and_its_reason_kept(onnx_model, tmp_path):
    """onnxruntime's text names the model by its full path (``Load model from PATH failed:``): the
    line named the file twice, and a folder 150 characters long pushed the reason ("Protobuf
    parsing failed") past the 200 characters kept. The file is named once, in front."""
    source, _ = onnx_model
    target = tmp_path / ("d" * 150) / "model.onnx"
    target.parent.mkdir()
    shutil.copy(source.with_name(source.name + ".json"), target.with_name("model.onnx.json"))
    target.write_bytes(b"\x00garbage, not a protobuf" * 10)
    with pytest.raises(ModelError) as refused:
        load_model(target)
    text = str(refused.value)
    assert text.startswith(f"{target}: not a loadable ONNX file (") and text.count(str(target.parent)) == 1
    assert "Load model from model.onnx failed" in text and "Protobuf parsing failed" in text, text
