"""A CT NRRD padded outside its circular field of view (-3024 as dcm2niix writes GE's padding,
-2000 as GE stores it; Slicer saves a DICOM series' numbers as they are) reads as a CT NIfTI
does since session 33: the padding is air, -1024 HU, for the window's *Auto*, the Threshold
tool's histogram (Otsu) and the lung window; a file written from it (``convert``, a training
set's copy) holds the file's numbers, and the NRRD itself is never changed. Until session 34 a
NRRD's padding was read as it is: *Auto* ran from -3024 and the lung window drew a black ring."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nibabel as nib
import nrrd
import numpy as np
import pytest

from neuroview.app.view_presets import AUTO, preset_window_level
from neuroview.core.edit.threshold import default_range
from neuroview.io import load

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nrrd_ct import AIR, N, check_padding_drawn_as_air, padded_ct, write_nrrd  # noqa: E402

CASES = [(-3024, "ct.nrrd", "raw"), (-2000, "ct.nrrd", "gzip"), (-3024, "ct.nhdr", "gzip"),
         (-2000, "ct.nhdr", "raw")]


@pytest.mark.parametrize("padding, name, encoding", CASES)
def test_padding_reads_as_air_for_auto_and_the_histogram(tmp_path, padding, name, encoding):
    image = padded_ct(padding)
    volume = load(write_nrrd(tmp_path / name, image, encoding))
    assert volume.padding is not None and volume.padding.value == padding
    assert volume.array.min() == AIR and np.count_nonzero(volume.array == padding) == 0
    np.testing.assert_array_equal(volume.array[image != padding], image[image != padding])
    width, level = preset_window_level(AUTO, volume)
    assert level - width / 2 >= AIR                     # was the padding's number
    as_air = np.where(image == padding, AIR, image)
    assert default_range(volume.array) == default_range(as_air)


def test_padding_is_drawn_as_the_air_inside_the_field_of_view_in_the_lung_window(tmp_path):
    volume = load(write_nrrd(tmp_path / "ct.nrrd", padded_ct(-3024)))
    check_padding_drawn_as_air(volume)


@pytest.mark.parametrize("padding, encoding", [(-3024, "gzip"), (-2000, "raw")])
def test_convert_and_a_training_set_write_the_files_numbers(tmp_path, padding, encoding):
    from neuroview.dataset.layout import init_dataset
    from neuroview.dataset.provenance import Provenance
    from neuroview.dataset.store import add_case
    from tests.dataset.label_maps import lesion_map

    image = padded_ct(padding)
    path = write_nrrd(tmp_path / "ct.nrrd", image, encoding)
    done = subprocess.run([sys.executable, "-m", "neuroview", "convert", str(path),
                           str(tmp_path / "out.nii.gz")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = np.asanyarray(nib.load(tmp_path / "out.nii.gz").dataobj)
    np.testing.assert_array_equal(written, image)       # was -1024 outside the circle
    volume = load(path)
    folder = init_dataset(tmp_path / "raw", "Heads", ["background", "lesion"], channels=["CT"])
    add_case(folder, volume, lesion_map(volume), Provenance(annotator="a"))
    stored = nib.load(folder / "imagesTr" / "nv_0001_0000.nii.gz")
    np.testing.assert_array_equal(np.asanyarray(stored.dataobj), image)
    assert volume.array.min() == AIR                    # the open image keeps its air
    np.testing.assert_array_equal(nrrd.read(str(path), index_order="F")[0], image)


def test_a_ct_nrrd_without_padding_and_an_mr_nrrd_keep_their_values(tmp_path):
    ct = padded_ct(AIR)
    ct[40:44, 40:44, :] = -2000                          # a dark artefact inside the head
    mr = np.random.default_rng(4).integers(-4096, 4096, (N, N, 10)).astype(np.int16)
    for name, image in (("ct.nrrd", ct), ("phase.nrrd", mr)):
        volume = load(write_nrrd(tmp_path / name, image))
        assert volume.padding is None
        np.testing.assert_array_equal(volume.array, image)
