"""A CT NIfTI padded at -3024 outside its circular field of view (dcm2niix keeps the number a
DICOM series names in PixelPaddingValue) is drawn as air: the lung window (1500/-600) drew the
corners black around air drawn dark grey, a ring around the field of view. The file written back
keeps -3024; an MR phase map, whose values reach far below -1000 too, is left as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.view_presets import AUTO, preset_window_level
from neuroview.io import load
from neuroview.io.nifti import save_volume
from tests.io import nrrd_ct
from tests.io.nrrd_ct import AIR, N

PADDING = -3024
SLICES = 10


def padded_ct(padding: int = PADDING):
    """[i, j, k] int16 HU of a head in air, ``padding`` outside a round field of view
    (``tests.io.nrrd_ct``, 10 slices)."""
    return nrrd_ct.padded_ct(padding, slices=SLICES)


def _write(tmp_path, image: np.ndarray, name: str = "ct.nii.gz"):
    path = tmp_path / name
    nib.save(nib.Nifti1Image(image, np.diag([0.8, 0.8, 2.5, 1.0])), path)
    return path


def test_padding_is_drawn_as_the_air_inside_the_field_of_view_in_the_lung_window(tmp_path):
    volume = load(_write(tmp_path, padded_ct()))
    nrrd_ct.check_padding_drawn_as_air(volume)


@pytest.mark.parametrize("name", ["ct.nii.gz", "ct.nii"])   # .nii: memory-mapped, file untouched
def test_padding_is_left_out_of_auto_and_written_back_as_the_files_number(tmp_path, name):
    image = padded_ct()
    path = _write(tmp_path, image, name)
    volume = load(path)
    assert volume.frame(0).min() == AIR                     # read as air, as a DICOM's padding
    width, level = preset_window_level(AUTO, volume)
    assert level - width / 2 >= AIR
    out = save_volume(volume, tmp_path / "again.nii.gz")
    np.testing.assert_array_equal(np.asanyarray(nib.load(out).dataobj), image)
    assert volume.frame(0).min() == AIR                     # the view keeps its air
    np.testing.assert_array_equal(np.asanyarray(nib.load(path).dataobj), image)


def test_an_mr_phase_map_reaching_minus_4096_is_not_changed(tmp_path):
    noise = np.random.default_rng(4).integers(-4096, 4096, (N, N, SLICES)).astype(np.int16)
    volume = load(_write(tmp_path, noise, "phase.nii.gz"))
    assert volume.padding is None
    np.testing.assert_array_equal(volume.frame(0), noise)


def test_a_ct_whose_darkest_value_is_inside_the_body_keeps_it(tmp_path):
    image = padded_ct(padding=AIR)                           # no padding: a full field of view
    image[40:44, 40:44, :] = -2000                           # a dark artefact inside the head
    volume = load(_write(tmp_path, image))
    assert volume.padding is None and volume.frame(0).min() == -2000


def test_convert_and_a_training_set_write_the_files_padding_back(tmp_path):
    from neuroview.dataset.layout import init_dataset
    from neuroview.dataset.provenance import Provenance
    from neuroview.dataset.store import add_case
    from tests.dataset.label_maps import lesion_map

    image = padded_ct()
    path = _write(tmp_path, image)
    done = subprocess.run([sys.executable, "-m", "neuroview", "convert", str(path),
                           str(tmp_path / "out.nii.gz")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    np.testing.assert_array_equal(np.asanyarray(nib.load(tmp_path / "out.nii.gz").dataobj), image)
    volume = load(path)
    folder = init_dataset(tmp_path / "raw", "Heads", ["background", "lesion"], channels=["CT"])
    add_case(folder, volume, lesion_map(volume), Provenance(annotator="a"))
    stored = nib.load(folder / "imagesTr" / "nv_0001_0000.nii.gz")
    np.testing.assert_array_equal(np.asanyarray(stored.dataobj), image)


def test_dcm2niix_nifti_of_a_real_padded_ct_reads_as_its_dicom_does(tmp_path):
    # pydicom's 693_UNCR.dcm: a 512x512 CT slice, PixelPaddingValue -2000 stored; dcm2niix
    # writes its 55,772 padded voxels as -3024 HU
    import shutil

    from pydicom.data import get_testdata_file

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
    from series_maker import compare_in_world, run_dcm2niix

    (tmp_path / "in").mkdir()
    shutil.copy(get_testdata_file("693_UNCR.dcm"), tmp_path / "in")
    path = run_dcm2niix(tmp_path / "in", tmp_path / "out")[0]
    assert np.asanyarray(nib.load(path).dataobj).min() == PADDING
    nifti, dicom = load(path), load(tmp_path / "in")
    assert nifti.padding is not None and nifti.padding.count == 55772
    compare_in_world(dicom.array, dicom.ijk_to_ras, nifti.array, nifti.ijk_to_ras, tolerance_mm=0.01)
