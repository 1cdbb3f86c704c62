"""A NIfTI has no modality: whether it is a CT is read from its voxels (``core.modality``), and the
window presets, the 3D preset, brain extraction and the model's CT note follow that guess. An MR
phase map (negative values, symmetric around 0) and an MR with a scanner's negative offset used
to be taken for CTs (1 % of the voxels at -500 or below), and a CT cropped to the head, with no
air in view, for an MR."""

from __future__ import annotations

import functools

import nibabel as nib
import numpy as np
import pytest

pytest.importorskip("torch")

from real_ct import real_looking_ct

from neuroview.app.view_presets import CT_PRESETS, auto_window_level, preset_names  # noqa: E402
from neuroview.core.modality import looks_like_ct  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.io import load  # noqa: E402
from tests.ai.ct_head_case import ct_head  # noqa: E402


@functools.lru_cache(maxsize=1)
def phase_radians(mni_path) -> tuple[np.ndarray, np.ndarray]:
    """An MR phase map of the MNI head in -pi..pi: a smooth field wrapped, with noise, in the
    head; uniform noise around it (the phase of noise), as a scanner writes it."""
    image = nib.load(mni_path)
    mni = np.asarray(image.dataobj, dtype=np.float32)
    rng = np.random.default_rng(3)
    i, j, k = np.meshgrid(*[np.linspace(-1, 1, n) for n in mni.shape], indexing="ij")
    field = 6 * i + 4 * j * k + 3 * np.sin(3 * k) + rng.normal(0, 0.2, mni.shape)
    phase = np.where(mni > 20, np.angle(np.exp(1j * field)), rng.uniform(-np.pi, np.pi, mni.shape))
    return phase.astype(np.float32), image.affine


def _nifti(tmp_path, array, affine, name) -> Volume:
    path = tmp_path / name
    nib.save(nib.Nifti1Image(array, affine), path)
    volume = load(path)
    assert volume.modality == ""       # a NIfTI: nothing but the voxels says what it is
    return volume


def _takes_for_ct(volume: Volume) -> bool:
    """What the window does with it: the CT presets and the CT brain window, or neither."""
    offered = set(CT_PRESETS) <= set(preset_names(volume))
    assert offered == (auto_window_level(volume) == CT_PRESETS["Brain"])
    return offered


@pytest.mark.parametrize("scale", ["radians", "siemens"])
def test_an_mr_phase_map_is_not_a_ct(tmp_path, mni_path, scale):
    phase, affine = phase_radians(mni_path)
    if scale == "siemens":    # Siemens stores phase as -4096..4095
        phase = np.clip(np.round(phase / np.pi * 4096), -4096, 4095).astype(np.int16)
    volume = _nifti(tmp_path, phase, affine, f"phase_{scale}.nii.gz")
    assert not looks_like_ct(volume.array)
    assert not _takes_for_ct(volume)


def test_an_mr_with_a_negative_offset_is_not_a_ct(tmp_path, mni_volume):
    """A 12-bit MR written with a rescale intercept of -1024: its background lies at -1024, as a
    CT's air, but its tissue hundreds of units away from soft-tissue HU."""
    rng = np.random.default_rng(5)
    noise = np.abs(rng.normal(0, 8, mni_volume.shape))
    stored = np.round(mni_volume.array / mni_volume.array.max() * 4095 + noise)
    volume = _nifti(tmp_path, (stored - 1024).astype(np.int16), mni_volume.ijk_to_ras, "offset.nii.gz")
    assert not looks_like_ct(volume.array)
    assert not _takes_for_ct(volume)


def test_a_real_looking_ct_is_a_ct(tmp_path):
    """The MNI head in HU with a CT's noise, whole numbers, padded with -3024 outside the
    scanner's field of view."""
    ct = ct_head()
    array = np.pad(real_looking_ct(ct.array), 8, constant_values=-3024)
    volume = _nifti(tmp_path, array, ct.ijk_to_ras, "ct.nii.gz")
    assert looks_like_ct(volume.array)
    assert _takes_for_ct(volume)


def test_a_ct_with_the_air_cropped_away_is_a_ct(tmp_path):
    """Cropped inside the head (140 x 80 x 40 mm: brain, CSF, skull; 0.1 % of the voxels air):
    no air peak to tell it by, but soft tissue at brain HU and some bone."""
    ct = ct_head()
    array = real_looking_ct(ct.array[23:93, 47:87, 27:47])
    assert np.count_nonzero(array < -500) < 0.002 * array.size
    volume = _nifti(tmp_path, array, ct.ijk_to_ras, "ct_cropped.nii.gz")
    assert looks_like_ct(volume.array)
    assert _takes_for_ct(volume)


def test_a_phase_map_gets_no_ct_note_from_an_mr_model(tmp_path, mni_path):
    """The model's note "made for MR ... this image is a CT" and the skipped brain extraction
    follow the same guess: none on a phase map (a slab, so brain extraction is skipped for its
    field of view, quickly)."""
    from neuroview.ai.segment import segment
    from tests.ai.preprocess_models import everywhere_model

    phase, affine = phase_radians(mni_path)
    siemens = np.clip(np.round(phase / np.pi * 4096), -4096, 4095).astype(np.int16)
    slab = Volume(np.ascontiguousarray(siemens[::3, ::3, 80:90]).astype(np.float32),
                  affine @ np.diag([3, 3, 1, 1]))
    result = segment(slab, str(everywhere_model(tmp_path, [{"step": "brain_extraction"}])), device="cpu")
    assert not any("CT" in note for note in result.notes), result.notes
