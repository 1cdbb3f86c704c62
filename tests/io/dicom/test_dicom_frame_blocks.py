"""Frames of a file that differ only in place and time (a run's one-volume files) are made as
copies of the file's first frame and grouped as one block: each must be exactly what the
frame-by-frame path gives, and any other difference between frames must leave that path."""

from __future__ import annotations

import dataclasses

import pydicom
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.uid import generate_uid
from series_maker import compare_in_world

from neuroview.io import scan as scan_study
from neuroview.io.dicom import dataset_frames, scan
from neuroview.io.dicom.grouping import group_frames
from neuroview.io.dicom.scan import read_file

FIELDS = [f.name for f in dataclasses.fields(scan.FrameRef) if f.name != "header"]


def _one_frame_differs(path, what: str, volume: int) -> None:
    """Give each frame its own acquisition time, as scanners write them, and frame 2 its own
    value of one functional group (``what``; "run": none)."""
    ds = pydicom.dcmread(path)
    for k, frame in enumerate(ds.PerFrameFunctionalGroupsSequence):
        frame.FrameContentSequence[0].FrameAcquisitionDateTime = \
            f"202401021010{10 + 2 * volume:02d}.{k * 100000:06d}"
    item = ds.PerFrameFunctionalGroupsSequence[2]
    value = pydicom.Dataset()
    if what == "rescale":
        value.RescaleSlope, value.RescaleIntercept = "2", "-3"
        item.PixelValueTransformationSequence = pydicom.Sequence([value])
    elif what == "echo_time":
        value.EffectiveEchoTime = 45.0
        item.MREchoSequence = pydicom.Sequence([value])
    elif what == "orientation":  # past the grouping tolerance: its own geometry part
        value.ImageOrientationPatient = ["1", "0", "0", "0", "0.99", "0.141067"]
        item.PlaneOrientationSequence = pydicom.Sequence([value])
    elif what == "spacing":
        value.PixelSpacing, value.SliceThickness = ["2", "2"], "4"
        item.PixelMeasuresSequence = pydicom.Sequence([value])
    elif what == "phase":
        value.FrameType, value.ComplexImageComponent = ["ORIGINAL", "PRIMARY", "P", "NONE"], "PHASE"
        item.MRImageFrameTypeSequence = pydicom.Sequence([value])
    ds.save_as(path, enforce_file_format=True)


VARIANTS = ["run", "rescale", "echo_time", "orientation", "spacing", "phase", "philips"]


def _write(folder, mni_volume, name: str, uid: str, volume: int):
    spec = EnhancedSpec(series_uid=uid, n_slices=6, rows=20, cols=18, orientation_per_frame=True,
                        instance=volume + 1, temporal_index=volume + 1,
                        acquisition_time=f"1010{10 + 2 * volume:02d}.00")
    if name == "philips":
        spec.manufacturer, spec.philips_scale, spec.rescale = "Philips", (0.25, 0.0), (2.0, -7.0)
    written = write_enhanced(folder / f"{name}{volume}.dcm", mni_volume, spec)
    _one_frame_differs(written.path, name, volume)
    return written


@pytest.mark.parametrize("name", VARIANTS)
def test_a_files_frames_are_what_the_frame_by_frame_path_makes(tmp_path, mni_volume,
                                                               monkeypatch, name):
    path = _write(tmp_path, mni_volume, name, generate_uid(), 0).path
    fast = read_file(str(path)).frames
    # every group read as if it differed per frame: no frame is a copy of the first
    monkeypatch.setattr(dataset_frames, "_SAME_IN_ALIKE_FRAMES", dataset_frames._SAME_IN_ALIKE_FRAMES
                        + ("PlanePositionSequence",))
    slow = read_file(str(path)).frames
    assert fast[0].header.alike == (name == "run")  # Philips: per-frame private scales
    assert not slow[0].header.alike
    assert len(fast) == len(slow) == 6
    for a, b in zip(fast, slow):
        assert [getattr(a, k) for k in FIELDS] == [getattr(b, k) for k in FIELDS]
    assert len({f.position for f in fast}) == 6 and [f.frame for f in fast] == list(range(6))
    assert [f.order[-1] for f in fast] == list(range(6))
    assert len({f.order[1] for f in fast}) == 6  # each frame's own time


def test_blocks_of_frames_group_as_their_frames_one_by_one(tmp_path, mni_volume):
    """A run of one-volume files of one series, among them files whose frames differ in
    rescale, echo time, orientation, spacing and frame type: the same groups, each holding
    the same frames in the same order, as frame by frame; the run loads as a 4D volume."""
    uid = generate_uid()
    written = [_write(tmp_path, mni_volume, "run", uid, volume) for volume in range(3)]
    for volume, name in enumerate(VARIANTS[1:-1], start=3):
        _write(tmp_path, mni_volume, name, uid, volume)
    frames = [ref for path in sorted(tmp_path.iterdir())
              for ref in read_file(str(path)).frames]
    assert sum(ref.header.alike for ref in frames) == 3 * 6
    blocks = group_frames(frames)
    for ref in frames:
        ref.header.alike = False
    one_by_one = group_frames(frames)
    assert [(g.key, g.part, g.n_parts, g.suffix, g.partial) for g in blocks] == \
        [(g.key, g.part, g.n_parts, g.suffix, g.partial) for g in one_by_one]
    assert [[id(ref) for ref in g.refs] for g in blocks] == \
        [[id(ref) for ref in g.refs] for g in one_by_one]
    assert len(blocks) >= 4 and len({g.suffix for g in blocks}) >= 3  # _e45, _ph, _e30...

    # the three-file run on its own: one 4D series in acquisition order
    for path in sorted(tmp_path.iterdir()):
        if not path.name.startswith("run"):
            path.unlink()
    result = scan_study(tmp_path)
    assert len(result.candidates) == 1
    volume = result.candidates[0].load()
    assert volume.array.shape == (18, 20, 6, 3)
    for t, one in enumerate(written):
        compare_in_world(volume.array[..., t], volume.ijk_to_ras, one.values, one.ijk_to_ras)
