"""ONNX files as other tools export them (session 46's hostile campaign,
``bench/hostile_campaign.py``): a fixed batch of 1 (``torch.onnx.export`` without dynamic axes)
ran into onnxruntime's ``INVALID_ARGUMENT`` as an internal error at the first batch of patches; a
model that refuses its patches is one line naming the file; and a file whose weights lie in a
file beside it (ONNX external data) was added, then refused at every use, the weights left
behind. Graphs of one 1x1x1 convolution, built with onnx's helpers (no export: milliseconds)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.errors import ModelError

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

from onnx_graphs import conv_model as _model  # noqa: E402

from neuroview.ai.package import load_model  # noqa: E402


def test_a_batch_of_one_model_takes_the_patches_one_at_a_time(tmp_path):
    network = load_model(_model(tmp_path / "m")).network
    x = torch.randn(3, 1, 4, 5, 6, generator=torch.Generator().manual_seed(0))
    out = network(x)
    assert out.shape == (3, 2, 4, 5, 6)
    assert torch.equal(out[:, 0], x[:, 0]) and torch.equal(out[:, 1], -x[:, 0])


def test_a_model_refusing_its_patches_is_one_line_naming_it(tmp_path, capsys):
    import nibabel as nib

    from neuroview.cli.main import main

    path = _model(tmp_path / "m", spatial=(8, 8, 8))   # the card's patches are 16^3
    image = tmp_path / "case.nii.gz"
    data = np.random.default_rng(0).random((20, 20, 12)) * 300
    nib.save(nib.Nifti1Image(data.astype(np.int16), np.diag([2.0, 2.0, 3.0, 1.0])), image)
    assert main(["segment", str(image), "-o", str(tmp_path / "mask.nii.gz"), "--model", str(path),
                 "--device", "cpu"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "internal error" not in err
    assert err.startswith(f"neuroview: error: {path}: the ONNX model failed on a patch of shape "
                          "[1, 1, 16, 16, 16] ([ONNXRuntimeError]")
    assert not (tmp_path / "mask.nii.gz").exists()


def test_weights_in_a_file_beside_it_are_refused_at_add(tmp_path):
    from neuroview.ai.registry import Registry

    path = _model(tmp_path / "m", external={"location": "w.bin"})
    assert load_model(path).kind == "onnx"   # where it is, it loads
    registry = Registry(home=tmp_path / "home", bundled=tmp_path / "none")
    with pytest.raises(ModelError) as refused:
        registry.add(path)
    assert str(refused.value) == (
        f"{path}: the ONNX file keeps weights in other files beside it (external data), which are "
        "not copied: save the model as one file (onnx's save_model with save_as_external_data="
        "False) and add that")
    assert [e.ref for e in registry.entries() if not e.bundled] == []
    assert not any((tmp_path / "home").rglob("model.onnx"))
