"""The files of a run read as their differences from a template (neuroview.io.dicom.templates)
must give what their full reading gives, wherever they differ from the template, and a 4D run
must load with each file's own values, times and scales."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
import pytest
from enhanced_maker import EnhancedSpec, WrittenVolume, write_enhanced
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid
from quick_check import pydicom_record, quick_record, record
from series_maker import compare_in_world

from neuroview.io import load
from neuroview.io.dicom import scan, templates


def _template(path: Path, mni_volume) -> WrittenVolume:
    """A one-volume Enhanced MR file as Siemens XA writes a run's files, with each frame's
    plane orientation, rescale and echo time in its own functional groups."""
    written = write_enhanced(path, mni_volume, EnhancedSpec(series_uid=generate_uid(),
                                                            n_slices=4, orientation_per_frame=True))
    ds = pydicom.dcmread(path)
    for item in ds.PerFrameFunctionalGroupsSequence:
        transform, echo = Dataset(), Dataset()
        transform.RescaleSlope, transform.RescaleIntercept = "1", "0"
        echo.EffectiveEchoTime = 30.0
        item.PixelValueTransformationSequence = Sequence([transform])
        item.MREchoSequence = Sequence([echo])
    ds.save_as(path, enforce_file_format=True)
    return written


def _other_digit(text: str) -> str:
    """``text`` with its last digit changed: a value of the same length."""
    return text[:-1] + ("1" if text[-1] != "1" else "2")


def _frame(ds, k: int = 2) -> Dataset:
    return ds.PerFrameFunctionalGroupsSequence[k]


def _blank_position(ds):  # a per-frame value missing in place (spaces of the same length)
    plane = _frame(ds).PlanePositionSequence[0]
    text = "\\".join(str(value) for value in plane.ImagePositionPatient)
    plane["ImagePositionPatient"].value = " " * len(text)


def _edited_after_its_template(tmp_path: Path, mni_volume, name: str, edit):
    """(a copy of the template file changed by ``edit``, the template's scan), the template
    read first (so kept as the only template)."""
    template = _template(tmp_path / "t.dcm", mni_volume).path
    ds = pydicom.dcmread(template)
    edit(ds)
    path = tmp_path / f"{name}.dcm"
    ds.save_as(path, enforce_file_format=True)
    templates.forget()
    return path, scan.read_file(str(template))


EDITS = {  # name: (what differs from the template, read as the template's differences?)
    "orientation": (lambda ds: setattr(_frame(ds).PlaneOrientationSequence[0],
                                       "ImageOrientationPatient", ["0", "1", "0", "1", "0", "0"]),
                    True),
    "rescale": (lambda ds: setattr(_frame(ds).PixelValueTransformationSequence[0],
                                   "RescaleSlope", "4"), True),
    "echo": (lambda ds: setattr(_frame(ds).MREchoSequence[0], "EffectiveEchoTime", 45.0), True),
    "frame_time": (lambda ds: setattr(_frame(ds).FrameContentSequence[0],
                                      "FrameAcquisitionDateTime", "20240102101011.00"), True),
    "temporal_index": (lambda ds: setattr(_frame(ds).FrameContentSequence[0],
                                          "TemporalPositionIndex", 7), True),
    "frame_type": (lambda ds: setattr(_frame(ds).MRImageFrameTypeSequence[0],
                                      "ComplexImageComponent", "PHASE    "), True),
    "position": (lambda ds: setattr(_frame(ds).PlanePositionSequence[0], "ImagePositionPatient",
                                    [f"{v + 1:.6f}" if v >= 0 else f"{v - 1:.6f}"
                                     for v in _frame(ds).PlanePositionSequence[0]
                                     .ImagePositionPatient]), True),
    "blank_position": (_blank_position, True),
    "instance": (lambda ds: setattr(ds, "InstanceNumber", 2), True),
    "series": (lambda ds: (setattr(ds, "SeriesInstanceUID", _other_digit(ds.SeriesInstanceUID)),
                           setattr(ds, "SeriesNumber", 6)), True),
    "acquisition_time": (lambda ds: setattr(ds, "AcquisitionDateTime", "20240102101011.00"),
                         True),
    "sop_uid": (lambda ds: setattr(ds, "SOPInstanceUID", _other_digit(ds.SOPInstanceUID)), True),
    # a value in the shared groups: read in full
    "shared_spacing": (lambda ds: setattr(ds.SharedFunctionalGroupsSequence[0]
                                          .PixelMeasuresSequence[0], "PixelSpacing", ["4", "3.5"]),
                       False),
    # another layout: read in full
    "missing_time": (lambda ds: delattr(_frame(ds).FrameContentSequence[0],
                                        "FrameAcquisitionDateTime"), False),
    "missing_echo": (lambda ds: delattr(_frame(ds), "MREchoSequence"), False),
    "longer_slope": (lambda ds: setattr(_frame(ds).PixelValueTransformationSequence[0],
                                        "RescaleSlope", "2.5"), False),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_file_that_differs_from_its_template_reads_as_in_full(tmp_path, mni_volume, name,
                                                                 monkeypatch):
    """Each kind of difference from the template: the file's frames are its full reading's
    (neuroview's own reader and pydicom's), and the template's layout is used exactly where
    nothing but values differ."""
    edit, same_layout = EDITS[name]
    path, base = _edited_after_its_template(tmp_path, mni_volume, name, edit)
    like = templates.read_like_template(str(path))
    assert (like is not None) == same_layout
    result = scan.read_file(str(path))
    full = quick_record(str(path))
    assert full is not None and record(result) == full[0] == pydicom_record(str(path), False)[0]
    assert record(result) != record(base) or name == "sop_uid"
    frames = result.frames
    if name == "rescale":
        assert [f.slope for f in frames] == [1.0, 1.0, 4.0, 1.0]
    if name == "orientation":
        assert frames[2].orientation == (0, 1, 0, 1, 0, 0) != frames[1].orientation
    if name == "echo":
        assert [f.echo_time for f in frames] == [30.0, 30.0, 45.0, 30.0]
    if name == "blank_position":
        assert frames[2].position is None and frames[1].position is not None


def test_a_4d_run_read_as_differences_loads_each_files_values(tmp_path, mni_volume, monkeypatch):
    """Three one-volume files of one run made from the first by changing values only (so the
    later ones are read as its differences): each has its own per-frame rescale slope, its own
    pixels and acquisition times out of the files' name order. The 4D volume holds them in
    acquisition order, each at its own scale, at the right place in the world."""
    written = _template(tmp_path / "run" / "v0.dcm", mni_volume)
    first = written.path
    times, slopes = ("101030.00", "101010.00", "101020.00"), ("1", "3", "2")
    base = pydicom.dcmread(first)
    for index, (time, slope) in enumerate(zip(times, slopes)):
        ds = pydicom.dcmread(first)
        ds.SOPInstanceUID = base.SOPInstanceUID[:-1] + str(index)
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber, ds.AcquisitionDateTime = index + 1, "20240102" + time
        for k, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
            item.FrameContentSequence[0].FrameAcquisitionDateTime = f"20240102{time[:5]}{k}.00"
            item.PixelValueTransformationSequence[0].RescaleSlope = slope
        ds.PixelData = (base.pixel_array + 100 * index).astype(np.int16).tobytes()
        ds.save_as(tmp_path / "run" / f"v{index}.dcm", enforce_file_format=True)
    templates.forget()
    used = []
    original = templates.read_like_template
    monkeypatch.setattr(templates, "read_like_template",
                        lambda path: used.append(original(path) is not None) or original(path))
    volume = load(tmp_path / "run")
    assert used.count(True) >= 2  # the files after the first: as its differences
    assert volume.array.shape == (36, 40, 4, 3)
    order = sorted(range(3), key=lambda index: times[index])  # acquisition order: v1, v2, v0
    for t, index in enumerate(order):
        expected = (written.values + 100 * index) * float(slopes[index])
        compare_in_world(volume.frame(t), volume.ijk_to_ras, expected, written.ijk_to_ras)


def test_a_fast_path_that_fails_leaves_the_file_to_its_full_reading(tmp_path, mni_volume,
                                                                   monkeypatch):
    """Whatever goes wrong while a file is read as a template's differences (here: reading a
    frame's new item raises), the file is read in full, with its own values."""
    from neuroview.io.dicom.frame_fields import FrameFields

    template = _template(tmp_path / "t.dcm", mni_volume).path
    ds = pydicom.dcmread(template)
    EDITS["rescale"][0](ds)
    path = tmp_path / "rescale.dcm"
    ds.save_as(path, enforce_file_format=True)
    templates.forget()
    scan.read_file(str(template))

    def broken(self, n_frames, reads):
        raise IndexError("a frame past the file's frames")

    monkeypatch.setattr(FrameFields, "with_reads", broken)
    result = scan.read_file(str(path))
    assert record(result) == quick_record(str(path))[0]
    assert [f.slope for f in result.frames] == [1.0, 1.0, 4.0, 1.0]


def _each_frame(edit):
    """An edit of every frame's content item: ``edit(content item, frame index)``."""
    def apply(ds):
        for k, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
            edit(item.FrameContentSequence[0], k)
    return apply


def _frame_time(text):
    return _each_frame(lambda content, k: setattr(content, "FrameAcquisitionDateTime",
                                                  text(k)))


RUN_EDITS = {  # name: (the next file of a run, its frames' content read by numpy at once?)
    # every frame's time (and temporal index; times of an even length: no padding): the numpy
    # reading
    "times": (_frame_time(lambda k: f"2024010210{k}{k + 1}11.{k}25"), True),
    "times_and_indices": (lambda ds: (
        _frame_time(lambda k: f"2024010210{k}{k + 1}11.{k}25")(ds),
        _each_frame(lambda content, k: setattr(content, "TemporalPositionIndex", 7 + k))(ds)),
        True),
    "times_and_unread_values": (lambda ds: (
        _frame_time(lambda k: f"2024010210{k}{k + 1}11.{k}25")(ds),
        _each_frame(lambda content, k: setattr(content, "DimensionIndexValues", [2, 9 - k]))(ds)),
        True),
    "unread_values_only": (_each_frame(lambda content, k: setattr(content, "StackID", "2")),
                           True),
    # times numpy does not read as the scan does: each item read again
    "time_with_offset": (_frame_time(lambda k: f"2024010210{k}1+0100"), False),
    "blank_time": (_frame_time(lambda k: " " * 17 if k == 1 else f"2024010210{k}{k}11.{k}5"),
                   False),
    "time_with_inner_space": (_frame_time(lambda k: f"2024010210{k} 11.{k}5"), False),
    "time_with_sign": (_frame_time(lambda k: f"-024010210{k}{k}11.{k}5"), False),  # (float's)
    "index_without_time": (_each_frame(lambda content, k: setattr(
        content, "TemporalPositionIndex", 3) if k == 2 else None), False),
}


@pytest.mark.parametrize("name", sorted(RUN_EDITS))
def test_a_runs_next_file_reads_its_frames_content_as_in_full(tmp_path, mni_volume, name,
                                                               monkeypatch):
    """The next file of a run changes each frame's content item (time, temporal index, values
    the scan does not read): read as the template's differences, its frames are its full
    reading's (neuroview's reader and pydicom's), whether numpy reads the items' times at once
    or each item is read again."""
    edit, at_once = RUN_EDITS[name]
    path, base = _edited_after_its_template(tmp_path, mni_volume, name, edit)
    assert templates.read_like_template(str(path)) is not None
    at_once_reads = []
    original = templates._FrameTimes.read
    monkeypatch.setattr(templates._FrameTimes, "read", lambda self, data, columns: (
        at_once_reads.append(original(self, data, columns)) or at_once_reads[-1]))
    result = scan.read_file(str(path))
    assert bool(at_once_reads) == at_once
    full = quick_record(str(path))
    assert full is not None and record(result) == full[0] == pydicom_record(str(path), False)[0]
    assert record(result) != record(base) or name == "unread_values_only"
    orders = [frame.order for frame in result.frames]
    if name == "times_and_indices":
        assert [order[0] for order in orders] == [7, 8, 9, 10]
    if name.startswith("times"):
        assert [order[1] for order in orders] == [
            float(f"2024010210{k}{k + 1}11.{k}25") for k in range(4)]
    if name == "time_with_offset":
        assert [order[1] for order in orders] == [float(f"2024010210{k}1") for k in range(4)]
