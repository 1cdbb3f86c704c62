"""*Save labels* writes MetaImage (``.mha``, or ``.mhd`` with its ``.zraw``), as ITK-SNAP saves a
segmentation: it was refused ("can only write .nii, .nii.gz or .seg.nrrd") although such images
open since session 43. ITK reads the file on the grid nibabel reads from the NIfTI of the same
labels, and neuroview loads it back with its segment names."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
import SimpleITK as sitk

from neuroview.app.session import Session
from neuroview.core.errors import SaveError
from neuroview.core.geometry import LPS_TO_RAS
from neuroview.core.volume import Volume

OBLIQUE = np.array([[0.0, -0.9, 0.3, 40.0],
                    [1.1, 0.0, 0.0, -20.0],
                    [0.0, 0.25, 2.0, 7.5],
                    [0.0, 0.0, 0.0, 1.0]])


def _session(tmp_path) -> Session:
    image = np.random.default_rng(0).normal(100, 5, (12, 10, 8)).astype(np.float32)
    session = Session(Volume(image, OBLIQUE), tmp_path / "ws")
    session.segments.add("lesion")
    labels = session.labels.array
    labels[2:5, 3:7, 1:3] = 1
    labels[8, 9, 7] = 1
    return session


def _itk_ras(image) -> np.ndarray:
    lps = np.eye(4)
    lps[:3, :3] = np.array(image.GetDirection()).reshape(3, 3) @ np.diag(image.GetSpacing())
    lps[:3, 3] = image.GetOrigin()
    return LPS_TO_RAS @ lps


@pytest.mark.parametrize("name, files", [("case-labels.mha", {"case-labels.mha"}),
                                         ("case-labels.mhd", {"case-labels.mhd", "case-labels.zraw"})])
def test_metaimage_labels_read_back_as_written(tmp_path, name, files):
    session = _session(tmp_path)
    session.save_labels(tmp_path / "out" / "case-labels.nii.gz")
    session.save_labels(tmp_path / "out" / name)
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert written == {"case-labels.nii.gz", "case-labels.segments.json", *files}   # no temporary left
    nifti = nib.load(tmp_path / "out" / "case-labels.nii.gz")
    image = sitk.ReadImage(str(tmp_path / "out" / name))
    assert image.GetPixelID() == sitk.sitkUInt8
    assert np.array_equal(sitk.GetArrayFromImage(image).transpose(2, 1, 0), np.asarray(nifti.dataobj))
    assert np.allclose(_itk_ras(image), nifti.affine, atol=1e-6)
    again = Session(session.volume, tmp_path / "ws2")
    again.load_labels(tmp_path / "out" / name)
    assert np.array_equal(again.labels.array, session.labels.array)
    assert [s.name for s in again.segments] == ["lesion"]
    assert not again.modified   # the file holds them


def test_other_endings_are_refused_naming_what_is_written(tmp_path):
    with pytest.raises(SaveError) as caught:
        _session(tmp_path).save_labels(tmp_path / "case-labels.mgz")
    assert str(caught.value) == (f"{tmp_path / 'case-labels.mgz'}: can only write .nii, .nii.gz, "
                                 ".seg.nrrd, .mha or .mhd")


def test_a_failed_write_leaves_no_file_and_says_why(tmp_path, monkeypatch):
    """ITK's error (a full disk) is one line, and neither the header, its voxels nor the sidecar
    is left behind, nor the voxels ITK named after the temporary header."""
    session = _session(tmp_path)

    def full_disk(image, name, compress):
        with open(name[:-len(".mhd")] + ".zraw", "wb") as half:
            half.write(b"x" * 10)
        raise RuntimeError("Exception thrown in SimpleITK ImageFileWriter_Execute: itkMetaImageIO.cxx"
                           ":1110:\nITK ERROR: File cannot be written\nReason: No space left on device")

    monkeypatch.setattr(sitk, "WriteImage", full_disk)
    (tmp_path / "out").mkdir()
    with pytest.raises(SaveError) as caught:
        session.save_labels(tmp_path / "out" / "case-labels.mhd")
    assert "ITK could not write the MetaImage (No space left on device)" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert list((tmp_path / "out").iterdir()) == []
