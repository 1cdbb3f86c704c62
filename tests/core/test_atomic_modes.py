"""Files neuroview writes get the mode the user's umask asks for (as any tool's would); only
private files (link files, consent records) are 0600, from their first byte."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from neuroview.core.atomic import atomic_path, write_text_atomic


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_writes_follow_the_umask(tmp_path, umask):
    write_text_atomic(tmp_path / "a.json", "{}")
    assert _mode(tmp_path / "a.json") == 0o644
    umask(0o077)
    write_text_atomic(tmp_path / "b.json", "{}")
    assert _mode(tmp_path / "b.json") == 0o600
    umask(0o002)
    with atomic_path(tmp_path / "c.nii.gz") as tmp:
        assert _mode(tmp) == 0o600  # private while it is written
        tmp.write_bytes(b"x")
    assert _mode(tmp_path / "c.nii.gz") == 0o664
    write_text_atomic(tmp_path / "private.json", "{}", mode=0o600)
    assert _mode(tmp_path / "private.json") == 0o600


def test_cli_outputs_follow_the_umask(tmp_path, umask, cli):
    from neuroview.io.nifti import save_nifti

    source = save_nifti(np.zeros((4, 4, 4), np.int16), np.eye(4), tmp_path / "in.nii")
    assert _mode(source) == 0o644
    result = cli("convert", source, tmp_path / "out.nii.gz")
    assert result.returncode == 0, result.stderr
    assert _mode(tmp_path / "out.nii.gz") == 0o644  # the child inherits the umask 022


def test_model_package_follows_the_umask(tmp_path, umask):
    pytest.importorskip("torch")
    from neuroview.ai.api import LabelInfo, ModelCard
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package

    card = ModelCard(name="tiny", version="1.0.0", architecture="unet3d",
                     hyperparameters={"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2},
                     input_channels=["T1"], target_spacing=(2.0, 2.0, 2.0), patch_size=(16, 16, 16),
                     labels=[LabelInfo(1, "lesion", (255, 0, 0))])
    umask(0o027)
    folder = save_package(tmp_path / "tiny", card, build_network("unet3d", card.hyperparameters).state_dict())
    assert _mode(folder) == 0o750
    assert {p.name: _mode(p) for p in folder.iterdir()} == {"model.json": 0o640,
                                                             "weights.safetensors": 0o640}


def test_labels_and_sidecar_saved_together_follow_the_umask(tmp_path, umask):
    """File > Save labels and ``segment``'s masks write the pair with ``core.commit``: both were
    0600 (the temporaries' mode, never changed before the rename), unreadable by colleagues."""
    from neuroview.app.session import Session
    from neuroview.core.volume import Volume

    session = Session(Volume(np.zeros((6, 6, 6), np.float32), np.eye(4)))
    session.segments.add("lesion")
    session.save_labels(tmp_path / "labels.nii.gz")
    assert _mode(tmp_path / "labels.nii.gz") == 0o644
    assert _mode(tmp_path / "labels.segments.json") == 0o644
    umask(0o077)
    session.save_labels(tmp_path / "private.nii.gz")
    assert _mode(tmp_path / "private.nii.gz") == 0o600
