"""A DICOM SEG whose SOP Class UID has one byte changed, its Modality still SEG: the window took it
for a SEG (by its Modality) and highdicom refused it ("not a readable DICOM SEG (Dataset is not a
Segmentation.)"). It reads now when its content is a SEG's, voxel for voxel as written, with one
note naming the file and saying its SOP class is not a SEG's: in the window (the labels' notice
line), and on stderr from ``neuroview convert --labels``. A file that is no SEG inside is still
one error line."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pydicom
import pytest

from neuroview.app.label_files import prepare_label_file
from neuroview.cli.main import main
from neuroview.core.errors import CorruptFileError
from neuroview.io import load
from neuroview.io.seg import load_seg
from neuroview.io.seg_class import seg_class_note
from tests.io.seg_class_damage import damaged_seg


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return damaged_seg(tmp_path_factory.mktemp("segclass"))


def test_a_seg_of_a_damaged_sop_class_reads_with_a_note(saved):
    folder, seg, damaged, mask = saved
    volume = load(folder)
    assert seg_class_note(seg) == ""
    note = seg_class_note(damaged)
    assert note.startswith("damaged.dcm: ") and "(1.2.840.10008.5.1.4.1.1.66.5) is not a DICOM SEG" in note
    read = load_seg(damaged, volume)
    assert np.array_equal(read.array, mask) and read.segments.get(1).name == "lesion"
    prepared = prepare_label_file(damaged, volume)   # what the window's Load labels does
    assert np.array_equal(prepared.array, mask) and prepared.note == note
    assert prepare_label_file(seg, volume).note == ""


def test_convert_labels_says_it_once(saved, tmp_path, capsys):
    folder, _seg, damaged, mask = saved
    out = tmp_path / "ct.nii.gz"
    assert main(["convert", str(folder), str(out), "--labels", str(damaged)]) == 0
    err = capsys.readouterr().err
    assert err.count("damaged.dcm: its SOP Class UID") == 1, err
    written = np.asarray(nib.load(tmp_path / "ct-labels.nii.gz").dataobj)
    assert int(written.sum()) == int(mask.sum())


def test_a_file_that_is_no_seg_inside_is_still_refused(saved, tmp_path):
    folder = saved[0]
    ds = pydicom.dcmread(sorted(folder.iterdir())[0])
    ds.Modality = "SEG"   # a CT slice saying SEG: no segments in it
    path = tmp_path / "slice.dcm"
    ds.save_as(path)
    assert seg_class_note(path) == ""
    with pytest.raises(CorruptFileError, match="slice.dcm"):
        load_seg(path, load(folder))
