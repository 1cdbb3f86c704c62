"""``neuroview convert SERIES OUT --labels seg.dcm``: a DICOM SEG saved in the window (*Save labels
as DICOM SEG*) of that series is written beside OUT as OUT-labels.nii.gz, voxel for voxel and named
as in the SEG, also onto the grid ``--tilt resample`` writes. It was refused for every SEG ("SEG
segmentation (open it as a mask) is not an image") though the window opens the same file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.io import load
from tests.checkout import REPO
from tests.io.ct_seg import series_with_seg

CHILD = Path(__file__).with_name("convert_seg_ctrl_c_child.py")


def _labels_in_world(path):
    """Each label's voxel centres in RAS mm as nibabel reads the file, rounded to 0.01 mm."""
    image = nib.load(path)
    data = np.asarray(image.dataobj)
    out = {}
    for value in (1, 2):
        ijk = np.argwhere(data == value)
        xyz = nib.affines.apply_affine(image.affine, ijk)
        out[value] = {tuple(p) for p in np.round(xyz, 2)}
    return out


def _truth_in_world(mask, ijk_to_ras):
    return {value: {tuple(p) for p in np.round(nib.affines.apply_affine(
        ijk_to_ras, np.argwhere(mask == value)), 2)} for value in (1, 2)}


def test_a_dicom_seg_of_the_series_is_written_as_its_label_map(tmp_path, capsys):
    folder, seg, mask, ijk_to_ras = series_with_seg(tmp_path, (1, 0, 0, 0, 1, 0))
    out = tmp_path / "out" / "ct.nii.gz"
    assert main(["convert", str(folder), str(out), "--labels", str(seg)]) == 0
    written = out.parent / "ct-labels.nii.gz"
    assert _labels_in_world(written) == _truth_in_world(mask, ijk_to_ras)
    names = json.loads((out.parent / "ct-labels.segments.json").read_text())
    segments = names["segments"] if isinstance(names, dict) else names
    assert sorted(s["name"] for s in segments) == ["lesion", "oedema"]


def test_a_tilted_series_seg_follows_the_resampled_grid(tmp_path):
    c, s = np.cos(np.radians(12)), np.sin(np.radians(12))
    folder, seg, mask, _ijk_to_ras = series_with_seg(tmp_path, (1, 0, 0, 0, c, s))
    out = tmp_path / "out" / "ct.nii.gz"
    assert main(["convert", str(folder), str(out), "--tilt", "resample", "--labels", str(seg)]) == 0
    image = load(out)
    labels = nib.load(out.parent / "ct-labels.nii.gz")
    assert np.allclose(labels.affine, nib.load(out).affine, atol=1e-4)
    counts = np.bincount(np.asarray(labels.dataobj).ravel(), minlength=3)
    # nearest neighbour onto a grid of about the same voxel size: each label keeps roughly its count
    assert counts[1] == pytest.approx((mask == 1).sum(), rel=0.25)
    assert counts[2] == pytest.approx((mask == 2).sum(), rel=0.4)
    assert image.shape[:3] == labels.shape


def test_ctrl_c_while_the_seg_is_read_ends_at_once_and_writes_nothing(tmp_path):
    """The SEG's header parse runs on a thread of its own (``io.seg.load_seg_placed``), so Ctrl+C
    ends ``convert --labels seg.dcm`` at once, with its one line and exit 130, not after the
    parse (one call of 1.7 s and more for a CT's SEG, session 43); nothing is written."""
    folder, seg, _mask, _ijk_to_ras = series_with_seg(tmp_path, (1, 0, 0, 0, 1, 0))
    out, ended = tmp_path / "out" / "ct.nii.gz", tmp_path / "read-ended"
    out.parent.mkdir()
    process = subprocess.Popen([sys.executable, str(CHILD), "convert", str(folder), str(out),
                                "--labels", str(seg), str(ended)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                               env=dict(os.environ, PYTHONPATH=str(REPO)))
    lines = []
    while not lines or lines[-1] != "seg read running\n":
        line = process.stderr.readline()
        assert line, f"ended before the SEG's read: {''.join(lines)}"
        lines.append(line)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (130, "neuroview: interrupted\n")
    assert not ended.exists()                 # it did not wait for the read to end
    assert os.listdir(out.parent) == []       # no image, no labels, no temporary
