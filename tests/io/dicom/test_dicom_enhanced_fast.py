"""The fast paths for enhanced (multi-frame) files: functional groups read from raw bytes, frames
read straight into the volume. Both must give exactly what the pydicom paths give."""

from __future__ import annotations

import struct

import numpy as np
import pydicom
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.uid import ImplicitVRLittleEndian, generate_uid
from series_maker import compare_in_world

from neuroview.io import load
from neuroview.io.dicom import frame_groups, templates

# the raw functional-group reader is pydicom's path's (neuroview's own header reader is
# tested in test_dicom_quick_read.py)
from neuroview.io.dicom.scan import read_with_pydicom as read_file

FIELDS = ("position", "orientation", "pixel_spacing", "slice_thickness", "slope", "intercept",
          "order", "echo_number", "echo_time", "component", "derived", "philips_scale",
          "stored_slope", "stored_intercept", "rows", "cols", "n_frames_in_file")


def _implicit_item(elements) -> bytes:
    """One sequence item, implicit VR little endian, of (tag, value bytes) elements."""
    body = b"".join(struct.pack("<HHI", tag >> 16, tag & 0xFFFF, len(value) + len(value) % 2)
                    + value + b" " * (len(value) % 2) for tag, value in elements)
    return struct.pack("<HHI", 0xFFFE, 0xE000, len(body)) + body


def _variant(path, mni_volume, name):
    spec = EnhancedSpec(series_uid=generate_uid(), n_slices=5)
    if name in ("philips", "philips_un"):
        spec.manufacturer, spec.philips_scale, spec.rescale = "Philips", (0.25, 0.0), (2.0, -7.0)
    if name == "phase":
        spec.image_type, spec.complex_component = ("ORIGINAL", "PRIMARY", "P", "NONE"), "PHASE"
    written = write_enhanced(path, mni_volume, spec)
    ds = pydicom.dcmread(path)
    if name == "implicit":
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
    if name == "per_frame_rescale":  # per-frame values override the shared ones
        for k, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
            transform = pydicom.Dataset()
            transform.RescaleSlope, transform.RescaleIntercept = f"{1 + k}", f"{-k}"
            item.PixelValueTransformationSequence = pydicom.Sequence([transform])
    if name == "undefined_items":  # nested items of undefined length, inside a defined sequence
        for item in ds.PerFrameFunctionalGroupsSequence:
            item["PlanePositionSequence"].is_undefined_length = True
            item.PlanePositionSequence[0].is_undefined_length_sequence_item = True
    if name == "philips_un":  # the private per-frame sequence stored as UN (implicit VR inside)
        for item in ds.PerFrameFunctionalGroupsSequence:
            item.add_new(0x2005140F, "UN", _implicit_item([
                (0x20050010, b"Philips Imaging DD 001"), (0x2005100E, struct.pack("<f", 0.5))]))
    if name == "undefined_sequence":  # pydicom parses these itself: the raw reader steps aside
        ds["PerFrameFunctionalGroupsSequence"].is_undefined_length = True
    ds.save_as(path, enforce_file_format=True)
    if name.startswith("undefined"):  # the delimiters are really in the file
        assert b"\xfe\xff\xdd\xe0" in path.read_bytes()
    return written


@pytest.mark.parametrize("name", ["explicit", "implicit", "philips", "philips_un", "phase",
                                  "per_frame_rescale", "undefined_items", "undefined_sequence"])
def test_raw_functional_groups_give_pydicom_frames(tmp_path, mni_volume, monkeypatch, name):
    path = tmp_path / f"{name}.dcm"
    _variant(path, mni_volume, name)
    used = []
    original = frame_groups.raw_items

    def spy(ds, file, tag=frame_groups.PER_FRAME_SEQUENCE):
        items = original(ds, file, tag)
        if tag == frame_groups.PER_FRAME_SEQUENCE:
            used.append(items is not None)
        return items

    monkeypatch.setattr(frame_groups, "raw_items", spy)
    fast = read_file(str(path)).frames
    monkeypatch.setattr(frame_groups, "raw_items", lambda *a, **k: None)
    slow = read_file(str(path)).frames
    assert used == [name != "undefined_sequence"]
    assert len(fast) == len(slow) == 5
    # pydicom leaves a UN private sequence as bytes (the scale falls back to the top-level one);
    # the raw reader reads it, as dcm2niix does: the one field where the two paths differ
    fields = [k for k in FIELDS if not (name == "philips_un" and k == "philips_scale")]
    for a, b in zip(fast, slow):
        assert [getattr(a, k) for k in fields] == [getattr(b, k) for k in fields]
    if name.startswith("philips"):  # the per-frame scale (0.5 in the UN one), not the top one
        assert fast[0].philips_scale == (0.5 if name == "philips_un" else 0.25)
        assert fast[0].stored_slope == 2.0
    if name == "per_frame_rescale":
        assert [f.slope for f in fast] == [1, 2, 3, 4, 5]
    if name == "phase":
        assert {f.component for f in fast} == {"ph"}


def test_bytes_that_do_not_add_up_fall_back_to_pydicom(tmp_path, mni_volume):
    path = tmp_path / "cut.dcm"
    _variant(path, mni_volume, "explicit")
    ds = pydicom.dcmread(path, defer_size=4096)
    raw = ds.get_item(frame_groups.PER_FRAME_SEQUENCE, keep_deferred=True)
    assert frame_groups.raw_items(ds, str(path)) is not None
    data = bytearray(raw.value)
    data[12:16] = (0xFFFF).to_bytes(4, "little")  # an element length past the item's end
    ds[frame_groups.PER_FRAME_SEQUENCE] = raw._replace(value=bytes(data))
    assert frame_groups.raw_items(ds, str(path)) is None
    frames = read_file(str(path)).frames  # the file itself is intact: read as before
    assert len(frames) == 5 and frames[0].position is not None


def test_enhanced_files_are_read_without_decoding_each_frame(tmp_path, mni_volume, monkeypatch):
    """One read per one-volume file: pydicom's decoder is called for the first frame only."""
    from neuroview.io.dicom.decode import Decoder

    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    truth = [write_enhanced(tmp_path / f"v{t}.dcm", mni_volume,
                            EnhancedSpec(**uids, instance=t + 1, temporal_index=t + 1,
                                         acquisition_time=f"10101{t}.00", value_scale=1 + t))
             for t in range(3)]
    calls = []
    original = Decoder.decode
    monkeypatch.setattr(Decoder, "decode", lambda self, ref: calls.append(ref) or original(self,
                                                                                          ref))
    volume = load(tmp_path)
    assert len(calls) == 1
    assert volume.array.dtype == np.int16 and volume.array.shape == (36, 40, 12, 3)
    for t, written in enumerate(truth):
        compare_in_world(volume.frame(t), volume.ijk_to_ras, written.values, written.ijk_to_ras)


def test_frames_after_the_first_are_whole_frame_refs(tmp_path, mni_volume):
    """Frames 2.. of a file are copied from the first and given their own values
    (``scan._frame_like``): each is the FrameRef its constructor makes from its fields, with
    nothing missing, nothing extra, and its own position, frame index and slope."""
    from dataclasses import fields

    from neuroview.io.dicom.refs import FrameRef
    from neuroview.io.dicom.scan import read_file as read_quick

    path = tmp_path / "frames.dcm"
    _variant(path, mni_volume, "per_frame_rescale")
    frames = read_quick(str(path), {}).frames
    names = {f.name for f in fields(FrameRef)}
    for ref in frames:
        assert type(ref) is FrameRef and set(vars(ref)) == names
        assert ref == FrameRef(**{name: getattr(ref, name) for name in names})
    assert [f.frame for f in frames] == [0, 1, 2, 3, 4] and [f.slope for f in frames] == [1, 2, 3, 4, 5]
    assert len({f.position for f in frames}) == 5 and frames[1].header is frames[0].header


def test_a_slice_position_repeated_by_every_volume_file_is_read_once(tmp_path, mni_volume,
                                                                    monkeypatch):
    """Three one-volume files of a run repeat each slice's plane position byte for byte: the
    scan parses each distinct group once and converts its position once (12 slices, 12 reads,
    not 36), and every frame still gets its own slice's position."""
    from neuroview.io.dicom import frame_fields
    from neuroview.io.dicom.scan import read_file as read_quick

    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    paths = [write_enhanced(tmp_path / f"v{t}.dcm", mni_volume,
                            EnhancedSpec(**uids, instance=t + 1, temporal_index=t + 1)).path
             for t in range(3)]
    frame_groups._parsed.clear()
    templates.forget()  # the first file is read in full, the others as its differences
    reads = []
    original = frame_fields._read_position
    monkeypatch.setattr(frame_fields, "_read_position", lambda item: reads.append(1) or original(item))
    monkeypatch.setattr(frame_fields, "GROUP_READERS", tuple(
        (name, frame_fields._read_position if name == "PlanePositionSequence" else read)
        for name, read in frame_fields.GROUP_READERS))
    scans = [read_quick(str(path), {}).frames for path in paths]
    assert len(reads) == 12
    truth = [ref.position for ref in read_file(str(paths[0])).frames]
    for frames in scans:
        assert [ref.position for ref in frames] == truth


def test_enhanced_frames_from_worker_processes_equal_a_plain_scan(tmp_path, mni_volume):
    """A worker process sends an enhanced file's frames back as the first frame's fields and,
    for each other frame, only what differs (``FileScan.__getstate__``): the parent gets the same
    frames as a scan in one process, each a whole FrameRef with its own position and slope."""
    from dataclasses import fields

    from neuroview.io.dicom.headers import _scan_in_processes, scan_paths
    from neuroview.io.dicom.refs import FrameRef

    paths = []
    for name in ("per_frame_rescale", "philips", "explicit"):
        path = tmp_path / f"{name}.dcm"
        _variant(path, mni_volume, name)
        paths.append(str(path))
    names = [f.name for f in fields(FrameRef) if f.name != "header"]
    parallel = _scan_in_processes(paths * 8, None, None)  # 24 files: both workers get some
    plain = scan_paths(paths * 8)
    for a, b in zip(parallel, plain):
        assert len(a.frames) == len(b.frames) == 5
        for x, y in zip(a.frames, b.frames):
            assert type(x) is FrameRef and set(vars(x)) == set(vars(y))
            assert [getattr(x, k) for k in names] == [getattr(y, k) for k in names]
        assert a.frames[1].header is a.frames[0].header and a.frames[0].header.ds is None
    assert [f.slope for f in parallel[0].frames] == [1, 2, 3, 4, 5]
