"""Hostile files of every kind neuroview opens, through the commands a user runs on them.

``bench/input_fuzz.py`` flips bytes in single image files, ``bench/folder_fuzz.py`` attacks model
packages and training sets; this one aims at what those leave: the files that come in pairs or
folders and the values a broken scanner export or an attacker would write on purpose. Templates
made in the run (a 5-slice classic DICOM series, pydicom-data's enhanced MR, a DICOM SEG on the
series, a DICOMDIR over it, a 4D NIfTI with ``.bval``/``.bvec``, an Analyze pair, an NHDR with
its detached raw data, an MGZ, a label map with its ``.segments.json``) each get named attacks:

    values     NaN / inf / negative / zero / 1e308 spacing, orientation, slope, intercept
    sizes      65535 rows and columns, 2^31 frames, 100000^3 voxels in a 20-byte header, gzip bombs
    structure  an element length past the end, 20,000 nested sequences, DICOMDIR records that
               point at themselves, a SEG frame naming segment 65535
    names      ``../../x`` in a series description, a DICOMDIR file ID or an NHDR data file;
               non-UTF-8 file names and descriptions; symlinks out of the folder, to /dev/zero,
               loops
    damage     seeded truncation and bit flips of every template

Each case runs ``neuroview info``, ``convert`` (into a fresh folder), ``dataset add`` (into a
fresh training set) and, for a third of them, ``segment`` with the bundled model, in a child
process under a 4 GiB address-space limit and a 20 s alarm (``tests/io/limited_cli.py``).
Outcomes per command:

    ok       refused in one line naming the file (exit 1)
    read     exit 0, and what convert wrote has a finite, invertible affine
    small    segment read the image and refused it as smaller than the model's field of view
    BAD      trace (a traceback or internal error), noname (the error names no file of the
             case), hang (the 20 s alarm), memory (over 1 GiB resident or the limit hit), outside
             (a file written outside the output folders), garbage (exit 0 on a file whose
             written affine is not finite or not invertible)

    nice -n 5 python bench/kinds_fuzz.py [--damage 4] [--seed 0] [--only KIND]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import struct
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "io" / "dicom")]
from tests.io.dicom.raw_series import set_raw, write_raw_series  # noqa: E402
from tests.io.limited_cli import run_limited  # noqa: E402

MAX_PEAK = 1 << 30
SECONDS = 20
SEGMENT = {"value": 1, "name": "lesion", "color": [230, 25, 75], "visible": True, "locked": False,
           "origin": "human", "model": "", "prompts": {}, "drawn": False}
"""One segment as ``SegmentTable.to_list`` writes it in a ``.segments.json``."""
NO_FORMS = {"qform_code": 0, "sform_code": 0}
NON_UTF8 = b"scan\xff\xfe\x80name"


# --- templates -------------------------------------------------------------------------------

def _classic(folder: Path, **values) -> Path:
    fixed = {"FrameOfReferenceUID": "1.2.826.0.1.3680043.8.498.1", "PatientID": "FUZZ",
             "StudyID": "1", "AccessionNumber": "1", "StudyDate": "20240101", "StudyTime": "120000"}
    write_raw_series(folder, n=5, **{**fixed, **values})
    return folder


def _enhanced(folder: Path) -> Path:
    """An enhanced MR multi-frame file (12 frames, 40 x 36) sampled from the bundled MNI head."""
    from enhanced_maker import EnhancedSpec, write_enhanced

    from neuroview.io.nifti import load_nifti

    folder.mkdir(parents=True, exist_ok=True)
    head = load_nifti(ROOT / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    write_enhanced(folder / "enhanced.dcm", head, EnhancedSpec())
    return folder / "enhanced.dcm"


def _seg(folder: Path) -> Path:
    """The classic series in ``folder/series`` and a SEG of one box on it in ``folder``."""
    from neuroview.core.labels import LabelMap
    from neuroview.io.registry import load
    from neuroview.io.seg import read_series_headers, save_seg

    series = _classic(folder / "series")
    volume = load(str(series))
    mask = np.zeros(volume.shape[:3], np.uint8)
    mask[4:10, 3:8, 1:4] = 1
    labels = LabelMap(mask, volume.ijk_to_ras)
    save_seg(labels, read_series_headers([series]), folder / "seg.dcm")
    return folder / "seg.dcm"


def _dicomdir(folder: Path) -> Path:
    from pydicom import dcmread
    from pydicom.fileset import FileSet

    series = _classic(folder / "src")
    fs = FileSet()
    for path in sorted(series.iterdir()):
        fs.add(dcmread(path))
    fs.write(folder / "media")
    shutil.rmtree(series)
    return folder / "media" / "DICOMDIR"


def _nifti4d(folder: Path, **fields) -> Path:
    import nibabel as nib

    folder.mkdir(parents=True, exist_ok=True)
    data = (np.arange(8 * 8 * 4 * 3) % 200).reshape(8, 8, 4, 3).astype(np.int16)
    image = nib.Nifti1Image(data, np.diag([2.0, 2.0, 3.0, 1.0]))
    for key, value in fields.items():
        image.header[key] = value
    path = folder / "dwi.nii.gz"
    nib.save(image, path)
    (folder / "dwi.bval").write_text("0 1000 1000\n")
    (folder / "dwi.bvec").write_text("0 1 0\n0 0 1\n0 0 0\n")
    return path


def _small_image(path: Path, image_class: str, affine_diagonal) -> Path:
    """A 10 x 9 x 6 int16 image written by nibabel's ``image_class`` (AnalyzeImage, MGHImage)."""
    import nibabel as nib

    path.parent.mkdir(parents=True, exist_ok=True)
    data = (np.arange(10 * 9 * 6) % 300).reshape(10, 9, 6).astype(np.int16)
    nib.save(getattr(nib, image_class)(data, np.diag([*affine_diagonal, 1.0])), path)
    return path


def _analyze(folder: Path) -> Path:
    return _small_image(folder / "scan.hdr", "AnalyzeImage", (1.5, 1.5, 2.0))


NHDR = ("NRRD0004\ntype: short\ndimension: 3\nspace: right-anterior-superior\n"
        "sizes: 10 9 6\nspace directions: (1.5,0,0) (0,1.5,0) (0,0,2)\n"
        "space origin: (0,0,0)\nendian: little\nencoding: raw\ndata file: scan.raw\n")


def _nhdr(folder: Path, text: str = NHDR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scan.raw").write_bytes((np.arange(540) % 300).astype("<i2").tobytes())
    path = folder / "scan.nhdr"
    path.write_text(text)
    return path


def _mgz(folder: Path) -> Path:
    return _small_image(folder / "scan.mgz", "MGHImage", (1.0, 1.0, 1.0))


def _labelled(folder: Path) -> tuple[Path, Path]:
    """An image and a label map on its grid with a valid ``.segments.json``."""
    import nibabel as nib

    folder.mkdir(parents=True, exist_ok=True)
    affine = np.diag([1.5, 1.5, 2.0, 1.0])
    data = (np.arange(10 * 9 * 6) % 300).reshape(10, 9, 6).astype(np.int16)
    nib.save(nib.Nifti1Image(data, affine), folder / "image.nii.gz")
    labels = np.zeros(data.shape, np.uint8)
    labels[2:5, 2:5, 2:4] = 1
    nib.save(nib.Nifti1Image(labels, affine), folder / "labels.nii.gz")
    (folder / "labels.segments.json").write_text(json.dumps([SEGMENT]))
    return folder / "image.nii.gz", folder / "labels.nii.gz"


# --- attacks ---------------------------------------------------------------------------------

def _patch_dicom(path: Path, **values) -> None:
    from pydicom import dcmread

    ds = dcmread(path, force=True)
    for keyword, value in values.items():
        set_raw(ds, keyword, value)
    ds.save_as(path)


def _nested_sequence(depth: int) -> bytes:
    """An explicit-VR-LE (0009,0010)-style private SQ nested ``depth`` deep, undefined lengths."""
    item_start, item_end = b"\xfe\xff\x00\xe0\xff\xff\xff\xff", b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
    seq_end = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    open_ = b"\x09\x00\x10\x10SQ\x00\x00\xff\xff\xff\xff" + item_start
    return open_ * depth + (item_end + seq_end) * depth


def _insert_after_meta(path: Path, blob: bytes) -> None:
    """``blob`` placed in the dataset after its group 0008 elements (explicit VR little endian)."""
    data = path.read_bytes()
    meta_end = 144 + struct.unpack("<I", data[140:144])[0]
    at = meta_end + len(_first_elements(data, meta_end))
    path.write_bytes(data[:at] + blob + data[at:])


def _first_elements(data: bytes, start: int) -> bytes:
    """The dataset's elements of group 0008 (they must come before a group 0009 element)."""
    at = start
    while data[at:at + 2] == b"\x08\x00":
        vr = data[at + 4:at + 6]
        if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT", b"OF", b"UC", b"UR"):
            length = struct.unpack("<I", data[at + 8:at + 12])[0]
            at += 12 + length
        else:
            length = struct.unpack("<H", data[at + 6:at + 8])[0]
            at += 8 + length
    return data[start:at]


def _lying_length(path: Path, tag: bytes) -> None:
    """The 2-byte length of the explicit-VR element ``tag`` set to 0xFFFE (past the end)."""
    data = bytearray(path.read_bytes())
    at = data.find(tag, 132)
    if at != -1:
        data[at + 6:at + 8] = b"\xfe\xff"
    path.write_bytes(bytes(data))


def _truncate(path: Path, rng: random.Random) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:rng.randrange(1, max(2, len(data)))])


def _flip(path: Path, rng: random.Random, count: int = 8) -> None:
    data = bytearray(path.read_bytes())
    if path.suffix == ".gz" or path.name.endswith(".mgz"):
        raw = bytearray(gzip.decompress(bytes(data)))
        for _ in range(count):
            raw[rng.randrange(min(len(raw), 400))] ^= 1 << rng.randrange(8)
        path.write_bytes(gzip.compress(bytes(raw)))
        return
    for _ in range(count):
        data[rng.randrange(min(len(data), 2000))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


def _gzip_bomb(path: Path, head: bytes, total: int = 6 << 30) -> None:
    """``head`` then ``total`` zero bytes, gzipped member by member (a few MB on disk)."""
    member = gzip.compress(bytes(64 << 20), compresslevel=9)
    path.write_bytes(gzip.compress(head) + member * (total // (64 << 20)))


def _nifti_header_only(shape) -> bytes:
    import nibabel as nib

    header = nib.Nifti1Header()
    header.set_data_dtype(np.int16)
    dim = header["dim"].copy()
    dim[0], dim[1:1 + len(shape)] = len(shape), shape
    header["dim"] = dim
    return header.binaryblock + b"\0" * 4


def _symlink(link: Path, target: str) -> None:
    if link.exists() or link.is_symlink():
        link.unlink()
    os.symlink(target, link)


# Each case: kind, attack name, make(folder, rng) -> (input path, labels path or None).

def _cases() -> list[tuple[str, str, object]]:
    cases = []

    def case(kind, name):
        def wrap(make):
            cases.append((kind, name, make))
            return make
        return wrap

    # classic DICOM: raw header values
    for name, values in {
        "spacing_nan": {"PixelSpacing": ("NaN", "NaN")},
        "spacing_inf": {"PixelSpacing": ("inf", "1")},
        "spacing_negative": {"PixelSpacing": ("-1", "-1")},
        "spacing_zero": {"PixelSpacing": ("0", "0")},
        "spacing_1e308": {"PixelSpacing": ("1e308", "1e308")},
        "orientation_nan": {"ImageOrientationPatient": ("NaN",) * 6},
        "orientation_zero": {"ImageOrientationPatient": ("0",) * 6},
        "position_inf": {"ImagePositionPatient": ("inf", "0", "0")},
        "slope_1e308": {"RescaleSlope": "1e308", "RescaleIntercept": "0"},
        "slope_nan": {"RescaleSlope": "NaN", "RescaleIntercept": "0"},
        "intercept_1e308": {"RescaleSlope": "1", "RescaleIntercept": "-1e308"},
        "rows_65535": {"Rows": "65535", "Columns": "65535"},
        "thickness_nan": {"SliceThickness": "NaN"},
    }.items():
        cases.append(("dicom", name, lambda f, r, v=values: (_classic(f / "in", **v), None)))

    @case("dicom", "description_traversal")
    def _(f, r):
        _classic(f / "in")
        for p in (f / "in").iterdir():
            _patch_dicom(p, SeriesDescription="../../../../escaped")
        return f / "in", None

    @case("dicom", "description_non_utf8")
    def _(f, r):
        from pydicom import dcmread
        from pydicom.dataelem import RawDataElement

        _classic(f / "in")
        for p in (f / "in").iterdir():
            ds = dcmread(p)
            ds[0x0008103E] = RawDataElement(0x0008103E, "LO", 10, b"\xff\xfe/../\x80\x00", 0, False, True)
            name = b"\xc3\x28\xa0\xa1\xe2\x28\xa1\x00"
            ds[0x00100010] = RawDataElement(0x00100010, "PN", 8, name, 0, False, True)
            ds.save_as(p)
        return f / "in", None

    @case("dicom", "element_length_past_end")
    def _(f, r):
        _classic(f / "in")
        for p in (f / "in").iterdir():
            _lying_length(p, b"\x28\x00\x30\x00DS")  # PixelSpacing
        return f / "in", None

    @case("dicom", "nested_sequences_20000")
    def _(f, r):
        _classic(f / "in")
        for p in (f / "in").iterdir():
            _insert_after_meta(p, _nested_sequence(20000))
        return f / "in", None

    @case("dicom", "non_utf8_file_names")
    def _(f, r):
        _classic(f / "in")
        for k, p in enumerate(sorted((f / "in").iterdir())):
            os.rename(p, os.path.join(os.fsencode(f / "in"), NON_UTF8 + b"%d\n.dcm" % k))
        return f / "in", None

    for target in ("/dev/zero", "/etc/passwd", "..", "loop"):
        @case("dicom", f"symlink_{target.strip('/').replace('/', '_') or 'up'}")
        def _(f, r, target=target):
            _classic(f / "in")
            _symlink(f / "in" / "extra.dcm", str(f / "in" / "extra.dcm") if target == "loop" else target)
            os.symlink("..", f / "in" / "parent")
            return f / "in", None

    # enhanced multi-frame
    for name, values in {
        "frames_2e31": {"NumberOfFrames": "2147483647"},
        "frames_negative": {"NumberOfFrames": "-5"},
        "frames_zero": {"NumberOfFrames": "0"},
        "rows_65535": {"Rows": "65535", "Columns": "65535"},
    }.items():
        cases.append(("enhanced", name, lambda f, r, v=values: (_patched(_enhanced(f / "in"), v), None)))

    @case("enhanced", "shared_spacing_nan")
    def _(f, r):
        from pydicom import dcmread

        path = _enhanced(f / "in")
        ds = dcmread(path)
        for item in ds.PerFrameFunctionalGroupsSequence:
            if "PixelMeasuresSequence" in item:
                set_raw(item.PixelMeasuresSequence[0], "PixelSpacing", ("NaN", "-inf"))
        if "SharedFunctionalGroupsSequence" in ds:
            for item in ds.SharedFunctionalGroupsSequence:
                if "PixelMeasuresSequence" in item:
                    set_raw(item.PixelMeasuresSequence[0], "PixelSpacing", ("NaN", "-inf"))
        ds.save_as(path)
        return path, None

    @case("enhanced", "per_frame_groups_removed")
    def _(f, r):
        from pydicom import dcmread

        path = _enhanced(f / "in")
        ds = dcmread(path)
        del ds.PerFrameFunctionalGroupsSequence
        ds.save_as(path)
        return path, None

    @case("enhanced", "per_frame_groups_one")
    def _(f, r):
        from pydicom import dcmread

        path = _enhanced(f / "in")
        ds = dcmread(path)
        ds.PerFrameFunctionalGroupsSequence = ds.PerFrameFunctionalGroupsSequence[:1]
        ds.save_as(path)
        return path, None

    # DICOM SEG
    def seg_edit(edit):
        def make(f, r):
            from pydicom import dcmread

            path = _seg(f / "in")
            ds = dcmread(path)
            edit(ds)
            ds.save_as(path)
            return f / "in", path
        return make

    def _frames(ds, n):
        set_raw(ds, "NumberOfFrames", str(n))

    def _segment_number(ds, n):
        groups = [*ds.PerFrameFunctionalGroupsSequence, *ds.get("SharedFunctionalGroupsSequence", [])]
        for item in groups:
            if "SegmentIdentificationSequence" in item:
                item.SegmentIdentificationSequence[0].ReferencedSegmentNumber = n

    def _seg_spacing(ds, value):
        for item in ds.SharedFunctionalGroupsSequence:
            set_raw(item.PixelMeasuresSequence[0], "PixelSpacing", value)

    def _seg_label(ds, text):
        ds.SegmentSequence[0].SegmentLabel = text

    def _seg_rows(ds):
        ds.Rows = ds.Columns = 65535

    for name, edit in {
        "frames_2e31": lambda ds: _frames(ds, 2147483647),
        "frames_zero": lambda ds: _frames(ds, 0),
        "segment_65535": lambda ds: _segment_number(ds, 65535),
        "segment_zero": lambda ds: _segment_number(ds, 0),
        "spacing_nan": lambda ds: _seg_spacing(ds, ("NaN", "NaN")),
        "spacing_negative": lambda ds: _seg_spacing(ds, ("-0.5", "-0.6")),
        "label_traversal": lambda ds: _seg_label(ds, "../../../../escaped"),
        "rows_65535": _seg_rows,
        "segments_removed": lambda ds: delattr(ds, "SegmentSequence"),
    }.items():
        cases.append(("seg", name, seg_edit(edit)))

    # DICOMDIR
    def dicomdir_edit(edit):
        def make(f, r):
            from pydicom import dcmread

            path = _dicomdir(f / "in")
            ds = dcmread(path)
            edit(ds, path)
            ds.save_as(path)
            return path, None
        return make

    def _file_ids(ds, value):
        for record in ds.DirectoryRecordSequence:
            if "ReferencedFileID" in record:
                record.ReferencedFileID = value

    def _self_loop(ds, path):
        # every record's next-record offset points at the first record: a loop
        first = ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity
        for record in ds.DirectoryRecordSequence:
            record.OffsetOfTheNextDirectoryRecord = first
            record.OffsetOfReferencedLowerLevelDirectoryEntity = first

    for name, edit in {
        "file_id_traversal": lambda ds, p: _file_ids(ds, ["..", "..", "..", "etc", "passwd"]),
        "file_id_absolute": lambda ds, p: _file_ids(ds, ["/etc/passwd"]),
        "file_id_self": lambda ds, p: _file_ids(ds, ["DICOMDIR"]),
        "file_id_dev_zero": lambda ds, p: _file_ids(ds, ["..", "..", "..", "..", "..", "..", "dev", "zero"]),
        "records_loop": _self_loop,
        "records_offset_huge": lambda ds, p: [setattr(r, "OffsetOfTheNextDirectoryRecord", 0xFFFFFFF0)
                                              for r in ds.DirectoryRecordSequence],
        "records_removed": lambda ds, p: setattr(ds, "DirectoryRecordSequence", []),
    }.items():
        cases.append(("dicomdir", name, dicomdir_edit(edit)))

    # NIfTI 4D with bval/bvec
    def nifti4d(fields=None, bval=None, bvec=None):
        def make(f, r):
            path = _nifti4d(f / "in", **(fields or {}))
            if bval is not None:
                (f / "in" / "dwi.bval").write_bytes(bval)
            if bvec is not None:
                (f / "in" / "dwi.bvec").write_bytes(bvec)
            return path, None
        return make

    for name, maker in {
        "pixdim_nan": nifti4d({"pixdim": [1, np.nan, np.nan, np.nan, 1, 1, 1, 1]}),
        "pixdim_negative": nifti4d({"pixdim": [1, -2, -2, -3, -1, 1, 1, 1], **NO_FORMS}),
        "pixdim_inf_no_sform": nifti4d({"pixdim": [1, np.inf, 2, 3, 1, 1, 1, 1], **NO_FORMS}),
        "srow_nan": nifti4d({"srow_x": [np.nan, 0, 0, 0]}),
        "slope_1e38": nifti4d({"scl_slope": 1e38, "scl_inter": 0}),
        "slope_inf": nifti4d({"scl_slope": np.inf, "scl_inter": 0}),
        "intercept_nan": nifti4d({"scl_slope": 1, "scl_inter": np.nan}),
        "dim4_32767": nifti4d({"dim": [4, 8, 8, 4, 32767, 1, 1, 1]}),
        "bval_nan": nifti4d(bval=b"0 NaN inf\n"),
        "bval_text": nifti4d(bval=b"zero thousand\n"),
        "bval_binary": nifti4d(bval=bytes(range(256))),
        "bval_too_many": nifti4d(bval=b"0 " * 5_000_000),
        "bval_huge_numbers": nifti4d(bval=b"0 1e999 -1e999\n"),
        "bvec_two_rows": nifti4d(bvec=b"0 1 0\n0 0 1\n"),
        "bvec_nan": nifti4d(bvec=b"NaN 1 0\n0 NaN 1\n0 0 NaN\n"),
        "bvec_non_utf8": nifti4d(bvec=NON_UTF8 + b"\n"),
        "bval_dev_zero": None,
        "bomb_4d": None,
    }.items():
        if maker is not None:
            cases.append(("nifti", name, maker))

    @case("nifti", "bval_dev_zero")
    def _(f, r):
        path = _nifti4d(f / "in")
        _symlink(f / "in" / "dwi.bval", "/dev/zero")
        return path, None

    @case("nifti", "bomb_4d")
    def _(f, r):
        (f / "in").mkdir(parents=True)
        path = f / "in" / "bomb.nii.gz"
        _gzip_bomb(path, _nifti_header_only((512, 512, 256, 100)))
        return path, None

    @case("nifti", "header_100000_cubed")
    def _(f, r):
        (f / "in").mkdir(parents=True)
        path = f / "in" / "huge.nii"
        path.write_bytes(_nifti_header_only((32767, 32767, 32767)))
        return path, None

    # Analyze
    @case("analyze", "img_missing")
    def _(f, r):
        path = _analyze(f / "in")
        (f / "in" / "scan.img").unlink()
        return path, None

    @case("analyze", "img_short")
    def _(f, r):
        path = _analyze(f / "in")
        img = f / "in" / "scan.img"
        img.write_bytes(img.read_bytes()[:100])
        return path, None

    @case("analyze", "img_dev_zero")
    def _(f, r):
        path = _analyze(f / "in")
        _symlink(f / "in" / "scan.img", "/dev/zero")
        return path, None

    @case("analyze", "img_outside")
    def _(f, r):
        path = _analyze(f / "in")
        outside = f / "secret.img"
        shutil.move(f / "in" / "scan.img", outside)
        _symlink(f / "in" / "scan.img", str(outside))
        return path, None

    @case("analyze", "hdr_20_bytes")
    def _(f, r):
        path = _analyze(f / "in")
        path.write_bytes(path.read_bytes()[:20])
        return path, None

    def analyze_fields(**fields):
        def make(f, r):
            import nibabel as nib

            path = _analyze(f / "in")
            header = nib.AnalyzeHeader.from_fileobj(open(path, "rb"))
            for key, value in fields.items():
                header[key] = value
            path.write_bytes(header.binaryblock)
            return path, None
        return make

    cases.append(("analyze", "dims_32767", analyze_fields(dim=[3, 32767, 32767, 32767, 1, 1, 1, 1])))
    cases.append(("analyze", "pixdim_nan", analyze_fields(pixdim=[1, np.nan, 1, 1, 1, 1, 1, 1])))
    cases.append(("analyze", "pixdim_zero", analyze_fields(pixdim=[1, 0, 0, 0, 1, 1, 1, 1])))
    cases.append(("analyze", "dim_negative", analyze_fields(dim=[3, -10, 9, 6, 1, 1, 1, 1])))

    # NHDR with detached data
    def nhdr(old, new, setup=None):
        def make(f, r):
            path = _nhdr(f / "in", NHDR.replace(old, new))
            if setup:
                setup(f)
            return path, None
        return make

    def _secret(f):
        (f / "secret.raw").write_bytes((np.arange(540) % 300).astype("<i2").tobytes())

    for name, maker in {
        "data_file_traversal": nhdr("data file: scan.raw", "data file: ../secret.raw", _secret),
        "data_file_absolute": nhdr("data file: scan.raw", "data file: /etc/passwd"),
        "data_file_dev_zero": nhdr("data file: scan.raw", "data file: /dev/zero"),
        "data_file_self": nhdr("data file: scan.raw", "data file: scan.nhdr"),
        "data_file_missing": nhdr("data file: scan.raw", "data file: nothere.raw"),
        "data_file_list_100000": nhdr("data file: scan.raw", "data file: LIST\n" + "scan.raw\n" * 100000),
        "data_file_pattern_1e9": nhdr("data file: scan.raw", "data file: scan%09d.raw 1 1000000000 1"),
        "data_file_pattern_step0": nhdr("data file: scan.raw", "data file: scan%d.raw 1 5 0"),
        "byte_skip_huge": nhdr("encoding: raw", "encoding: raw\nbyte skip: 9223372036854775807"),
        "byte_skip_negative": nhdr("encoding: raw", "encoding: raw\nbyte skip: -5"),
        "line_skip_huge": nhdr("encoding: raw", "encoding: raw\nline skip: 1000000000"),
        "sizes_100000": nhdr("sizes: 10 9 6", "sizes: 100000 100000 100000"),
        "directions_nan": nhdr("(1.5,0,0)", "(nan,0,0)"),
        "directions_inf": nhdr("(0,0,2)", "(0,0,inf)"),
        "directions_zero": nhdr("(1.5,0,0) (0,1.5,0) (0,0,2)", "(0,0,0) (0,0,0) (0,0,0)"),
        "header_non_utf8": None,
    }.items():
        if maker is not None:
            cases.append(("nhdr", name, maker))

    @case("nhdr", "header_non_utf8")
    def _(f, r):
        path = _nhdr(f / "in")
        path.write_bytes(path.read_bytes().replace(b"space: ", b"space\xff\xfe: "))
        return path, None

    @case("nhdr", "data_gzip_bomb")
    def _(f, r):
        path = _nhdr(f / "in", NHDR.replace("encoding: raw", "encoding: gzip"))
        _gzip_bomb(f / "in" / "scan.raw", b"", 6 << 30)
        return path, None

    # MGZ
    @case("mgz", "dims_100000")
    def _(f, r):
        (f / "in").mkdir(parents=True)
        header = struct.pack(">iiiiii", 1, 100000, 100000, 100000, 1, 4) + bytes(284 - 24)
        path = f / "in" / "huge.mgz"
        path.write_bytes(gzip.compress(header))
        return path, None

    @case("mgz", "delta_nan")
    def _(f, r):
        path = _mgz(f / "in")
        raw = bytearray(gzip.decompress(path.read_bytes()))
        raw[30:42] = struct.pack(">fff", float("nan"), float("-inf"), 0.0)
        path.write_bytes(gzip.compress(bytes(raw)))
        return path, None

    @case("mgz", "bomb")
    def _(f, r):
        (f / "in").mkdir(parents=True)
        header = struct.pack(">iiiiii", 1, 1024, 1024, 1024, 4, 3) + bytes(284 - 24)  # 16 GiB float
        path = f / "in" / "bomb.mgz"
        _gzip_bomb(path, header, 6 << 30)
        return path, None

    # label maps with .segments.json
    def sidecar(text: bytes):
        def make(f, r):
            image, labels = _labelled(f / "in")
            (f / "in" / "labels.segments.json").write_bytes(text)
            return image, labels
        return make

    def segment(**changes) -> bytes:
        text = json.dumps([{**SEGMENT, **changes}])
        for key, literal in (("__NAN__", "NaN"), ("__INF__", "Infinity"), ("__1E999__", "-1e999")):
            text = text.replace(f'"{key}"', literal)
        return text.encode()

    for name, text in {
        "nesting_100000": b"[" * 100000 + b"]" * 100000,
        "nested_prompts": segment(prompts={"a": "__X__"}).replace(
            b'"__X__"', b'{"a":' * 50000 + b"1" + b"}" * 50000),
        "nan_colour": segment(color=["__NAN__", "__INF__", "__1E999__"]),
        "value_2e63": segment(value=9223372036854775808),
        "value_negative": segment(value=-1),
        "value_nan": segment(value="__NAN__"),
        "value_float": segment(value=1.5),
        "value_absent_from_map": segment(value=7),
        "name_traversal": segment(name="../../../../escaped"),
        "name_control": segment(name="a\n\x1b[31mred\r\u0000"),
        "non_utf8": json.dumps([SEGMENT]).encode().replace(b"lesion", b"\xff\xfe"),
        "wrong_types": segment(visible="yes", locked=3, origin=5, model=[1], prompts=[], drawn="no"),
        "object_at_top": b'{"segments": []}',
        "duplicate_values": json.dumps([SEGMENT, {**SEGMENT, "name": "other"}]).encode(),
        "many_segments_200000": json.dumps([{**SEGMENT, "value": 1 + n % 65535, "name": str(n)}
                                            for n in range(200000)]).encode(),
        "big_name_50mb": segment(name="x" * (50 << 20)),
        "truncated": json.dumps([SEGMENT]).encode()[:40],
    }.items():
        cases.append(("sidecar", name, sidecar(text)))

    @case("sidecar", "dev_zero")
    def _(f, r):
        image, labels = _labelled(f / "in")
        _symlink(f / "in" / "labels.segments.json", "/dev/zero")
        return image, labels

    @case("labels", "label_values_float_nan")
    def _(f, r):
        import nibabel as nib

        image, labels = _labelled(f / "in")
        data = np.full((10, 9, 6), np.nan, np.float32)
        nib.save(nib.Nifti1Image(data, np.diag([1.5, 1.5, 2.0, 1.0])), labels)
        return image, labels

    @case("labels", "label_values_huge")
    def _(f, r):
        import nibabel as nib

        image, labels = _labelled(f / "in")
        data = np.full((10, 9, 6), 2**40, np.int64)
        nib.save(nib.Nifti1Image(data, np.diag([1.5, 1.5, 2.0, 1.0]), dtype=np.int64), labels)
        return image, labels

    return cases


# --- what the window does, as a command (limited_cli's LIMITED_CLI_ENTRY) ---------------------

def window_stand_in(argv: list[str]) -> int:
    """``open IMAGE [LABELS] [WORKSPACE]``: what *File > Open* then *Open labels* do without
    widgets (``Session.open`` with the workspace, restoring its journal; ``prepare_label_file``,
    which reads NIfTI/NRRD masks with their ``.segments.json`` and DICOM SEG; ``apply_labels``),
    with ``neuroview``'s own handling of errors (one line, exit 1)."""
    from neuroview.app.label_files import prepare_label_file
    from neuroview.app.session import Session
    from neuroview.core.errors import NeuroviewError

    _, image, labels, workspace = (*argv, "", "")[:4]
    try:
        session = Session.open(image, workspace=workspace or None)
        try:
            print(_geometry_bad(session.volume), end="")
            if labels:
                session.apply_labels(prepare_label_file(labels, session.volume))
        finally:
            session.close()
    except NeuroviewError as error:
        print(f"neuroview: error: {error}", file=sys.stderr)
        return 1
    return 0


def _geometry_bad(volume) -> str:
    """``garbage: ...`` when the opened volume would be shown on a grid that is not one (a NaN or
    singular affine, a zero or NaN spacing) or with NaN voxels, else ""."""
    affine = np.asarray(volume.ijk_to_ras, float)
    if not np.all(np.isfinite(affine)) or abs(np.linalg.det(affine[:3, :3])) < 1e-12:
        return f"garbage: affine {affine[:3].tolist()}\n"
    array = volume.array
    if np.issubdtype(array.dtype, np.floating) and array.size and not np.isfinite(array).all():
        return "garbage: non-finite voxels shown\n"
    return ""


def _window_cases() -> list[tuple[str, str, object]]:
    """SEG files opened as labels, and damaged workspaces (crash journals) opened again."""
    cases = []

    def seg_case(name, edit):
        def make(f, r):
            from pydicom import dcmread

            path = _seg(f / "in")
            ds = dcmread(path)
            edit(ds)
            ds.save_as(path)
            return f / "in" / "series", path
        cases.append(("seg-window", name, make))

    def frames(ds, n):
        set_raw(ds, "NumberOfFrames", str(n))

    def segment_number(ds, n):
        for item in [*ds.PerFrameFunctionalGroupsSequence, *ds.get("SharedFunctionalGroupsSequence", [])]:
            if "SegmentIdentificationSequence" in item:
                item.SegmentIdentificationSequence[0].ReferencedSegmentNumber = n

    def shared(ds, group, keyword, value):
        for item in ds.SharedFunctionalGroupsSequence:
            if group in item:
                set_raw(item[group][0], keyword, value)

    def per_frame(ds, group, keyword, value):
        for item in ds.PerFrameFunctionalGroupsSequence:
            if group in item:
                set_raw(item[group][0], keyword, value)

    def rows(ds, n):
        ds.Rows = ds.Columns = n

    seg_case("valid", lambda ds: None)
    seg_case("frames_2e31", lambda ds: frames(ds, 2147483647))
    seg_case("frames_zero", lambda ds: frames(ds, 0))
    seg_case("segment_65535", lambda ds: segment_number(ds, 65535))
    seg_case("segment_zero", lambda ds: segment_number(ds, 0))
    seg_case("spacing_nan", lambda ds: shared(ds, "PixelMeasuresSequence", "PixelSpacing", ("NaN", "NaN")))
    seg_case("spacing_negative", lambda ds: shared(ds, "PixelMeasuresSequence", "PixelSpacing", ("-1", "-1")))
    seg_case("thickness_1e308", lambda ds: shared(ds, "PixelMeasuresSequence", "SliceThickness", "1e308"))
    seg_case("orientation_nan", lambda ds: shared(ds, "PlaneOrientationSequence", "ImageOrientationPatient",
                                                  ("NaN",) * 6))
    seg_case("position_inf", lambda ds: per_frame(ds, "PlanePositionSequence", "ImagePositionPatient",
                                                  ("inf", "0", "0")))
    seg_case("position_1e300", lambda ds: per_frame(ds, "PlanePositionSequence", "ImagePositionPatient",
                                                    ("1e300", "-1e300", "0")))
    seg_case("label_traversal", lambda ds: setattr(ds.SegmentSequence[0], "SegmentLabel", "../../../escaped"))
    seg_case("rows_65535", lambda ds: rows(ds, 65535))
    seg_case("rows_zero", lambda ds: rows(ds, 0))
    seg_case("segments_removed", lambda ds: delattr(ds, "SegmentSequence"))
    seg_case("pixel_data_cut", lambda ds: setattr(ds, "PixelData", ds.PixelData[:3]))
    seg_case("frame_groups_removed", lambda ds: delattr(ds, "PerFrameFunctionalGroupsSequence"))
    seg_case("references_removed", lambda ds: delattr(ds, "ReferencedSeriesSequence"))

    def journal_case(name, attack):
        def make(f, r):
            from neuroview.app.label_files import prepare_label_file
            from neuroview.app.session import Session

            image, labels = _labelled(f / "in")
            workspace = f / "in" / "workspace"
            session = Session.open(image, workspace=workspace)
            session.apply_labels(prepare_label_file(labels, session.volume))
            session.journal.close()   # as a crash leaves it: nothing saved, the journal kept
            files = sorted(p for p in workspace.rglob("*") if p.is_file())
            attack(f, r, workspace, files)
            return image, ("", workspace)
        cases.append(("journal", name, make))

    def each_file(how):
        def attack(f, r, workspace, files):
            victim = r.choice(files)
            how(victim, r)
        return attack

    def replace(data: bytes):
        def attack(f, r, workspace, files):
            for victim in files:
                victim.write_bytes(data)
        return attack

    def links(target):
        def attack(f, r, workspace, files):
            for victim in files:
                victim.unlink()
                os.symlink(target, victim)
        return attack

    for n in range(6):
        journal_case(f"cut_{n}", each_file(_truncate))
        journal_case(f"flip_{n}", each_file(_flip))
    journal_case("all_nesting", replace(b"[" * 100000 + b"]" * 100000))
    journal_case("all_nan", replace(b'{"version": NaN, "shape": [1e999, -1, 2147483647]}'))
    journal_case("all_non_utf8", replace(NON_UTF8))
    journal_case("all_empty", replace(b""))
    journal_case("all_dev_zero", links("/dev/zero"))
    journal_case("all_outside", links("/etc/passwd"))
    return cases


# --- kinds added in session 36: deflate, JPEG-LS / JPEG 2000 streams, RTSTRUCT, NRRD sizes,
# NIfTI offsets and dims, archives given where a folder is expected ---------------------------

def _deflated(folder: Path) -> Path:
    """The classic series, each file written with the deflated transfer syntax."""
    from pydicom import dcmread
    from pydicom.uid import DeflatedExplicitVRLittleEndian

    _classic(folder)
    for path in sorted(folder.iterdir()):
        ds = dcmread(path)
        ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
        ds.save_as(path, enforce_file_format=True)
    return folder


def _meta_end(data: bytes) -> int:
    """Where the dataset starts after the preamble and file meta group of ``data``."""
    return 144 + struct.unpack("<I", data[140:144])[0]


def _deflate_bomb(path: Path, total: int = 0xFFFFFFF0) -> None:
    """A deflated file whose dataset inflates to ``total`` bytes (4 GiB) of an OB element of zeros."""
    import zlib

    data = path.read_bytes()
    start = _meta_end(data)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = b"\x08\x00\x60\x00CS\x02\x00MR" + b"\xe0\x7f\x10\x00OB\x00\x00" + struct.pack("<I", total)
    parts = [compressor.compress(head), compressor.flush(zlib.Z_FULL_FLUSH)]
    chunk = compressor.compress(bytes(64 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = b"".join(parts) + chunk * (total // (64 << 20)) + compressor.flush(zlib.Z_FINISH)
    path.write_bytes(data[:start] + body)


def _compressed(folder: Path, name: str) -> Path:
    """pydicom-data's 64 x 64 MR ``name`` (JPEG-LS or JPEG 2000, one fragment) in ``folder``."""
    from pydicom.data import get_testdata_file

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "image.dcm"
    shutil.copyfile(get_testdata_file(name), target)
    return target


def _edit_fragment(path: Path, edit) -> None:
    """The first frame's fragment replaced by ``edit(bytes)``, encapsulated again."""
    from pydicom import dcmread
    from pydicom.encaps import encapsulate, generate_frames

    ds = dcmread(path)
    frame = edit(bytes(next(generate_frames(ds.PixelData, number_of_frames=1))))
    item, end = b"\xfe\xff\x00\xe0", b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    # an empty fragment, which encapsulate() refuses: an empty offset table and an empty item
    ds.PixelData = encapsulate([frame]) if frame else item + bytes(4) + item + bytes(4) + end
    ds.save_as(path)


def _flip_middle(data: bytes) -> bytes:
    out = bytearray(data)
    for k in range(16):
        out[len(out) // 2 + 7 * k] ^= 0x5A
    return bytes(out)


def _jpegls_size(data: bytes, rows: int, cols: int) -> bytes:
    """The JPEG-LS SOF55 marker (FFF7) declaring ``rows`` x ``cols``."""
    at = data.find(b"\xff\xf7")
    return data[:at + 5] + struct.pack(">HH", rows, cols) + data[at + 9:]


def _rtstruct(path: Path) -> Path:
    """pydicom-data's RT structure set (no preamble there) written as a proper DICOM file."""
    from pydicom import dcmread
    from pydicom.data import get_testdata_file
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    ds = dcmread(get_testdata_file("rtstruct.dcm"), force=True)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID = ds.SOPClassUID, ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    return path


def _nifti_single(folder: Path, **fields) -> Path:
    """A 10 x 9 x 6 int16 ``.nii`` with header ``fields`` changed after nibabel wrote it."""
    import nibabel as nib

    path = _small_image(folder / "scan.nii", "Nifti1Image", (1.5, 1.5, 2.0))
    header = nib.Nifti1Header.from_fileobj(open(path, "rb"))
    for key, value in fields.items():
        header[key] = value
    data = path.read_bytes()
    path.write_bytes(header.binaryblock + data[348:])
    return path


def _archive(folder: Path, how: str) -> Path:
    """The classic series (or a NIfTI) packed as ``how``: zip, tar, tgz, nifti_zip."""
    import tarfile
    import zipfile

    source = _small_image(folder / "src" / "scan.nii.gz", "Nifti1Image", (1.5, 1.5, 2.0)) \
        if how == "nifti_zip" else _classic(folder / "src" / "series")
    if how in ("zip", "nifti_zip"):
        path = folder / "in" / "series.zip"
        path.parent.mkdir(parents=True)
        with zipfile.ZipFile(path, "w") as archive:
            for item in ([source] if source.is_file() else sorted(source.iterdir())):
                archive.write(item, item.name)
    else:
        path = folder / "in" / ("series.tar" if how == "tar" else "series.tar.gz")
        path.parent.mkdir(parents=True)
        with tarfile.open(path, "w" if how == "tar" else "w:gz") as archive:
            archive.add(source, arcname="series")
    shutil.rmtree(folder / "src")
    return path


def _more_cases() -> list[tuple[str, str, object]]:
    cases = []

    def add(kind, name, make):
        cases.append((kind, name, make))

    def deflate(edit=None):
        def make(f, r):
            series = _deflated(f / "in")
            if edit:
                for path in sorted(series.iterdir()):
                    edit(path)
            return series, None
        return make

    def cut_body(path):
        data = path.read_bytes()
        start = _meta_end(data)
        path.write_bytes(data[:start + (len(data) - start) // 2])

    def flip_body(path):
        data = path.read_bytes()
        start = _meta_end(data)
        path.write_bytes(data[:start] + _flip_middle(data[start:]))

    add("deflate", "valid", deflate())
    add("deflate", "stream_cut", deflate(cut_body))
    add("deflate", "stream_flipped", deflate(flip_body))
    add("deflate", "bomb_4gb_each", deflate(_deflate_bomb))

    def one_bomb(f, r):
        series = _deflated(f / "in")
        _deflate_bomb(sorted(series.iterdir())[0])
        return series, None

    add("deflate", "bomb_4gb_one", one_bomb)

    for kind, name in (("jpegls", "MR_small_jpeg_ls_lossless.dcm"), ("j2k", "MR_small_jp2klossless.dcm")):
        def stream(edit=None, rows=None, name=name):
            def make(f, r):
                from pydicom import dcmread

                path = _compressed(f / "in", name)
                if edit:
                    _edit_fragment(path, edit)
                if rows:
                    ds = dcmread(path)
                    ds.Rows = rows
                    ds.save_as(path)
                return path, None
            return make

        add(kind, "valid", stream())
        add(kind, "stream_flipped", stream(_flip_middle))
        add(kind, "stream_cut_half", stream(lambda d: d[:len(d) // 2]))
        add(kind, "stream_zeroed", stream(lambda d: d[:40] + bytes(len(d) - 40)))
        add(kind, "stream_marker_only", stream(lambda d: d[:2]))
        add(kind, "stream_empty", stream(lambda d: b""))
        add(kind, "stream_random", stream(lambda d: random.Random(7).randbytes(len(d))))
        add(kind, "rows_16_of_64", stream(rows=16))
        add(kind, "rows_128_of_64", stream(rows=128))
    def frame_65535(f, r):
        path = _compressed(f / "in", "MR_small_jpeg_ls_lossless.dcm")
        _edit_fragment(path, lambda d: _jpegls_size(d, 65535, 65535))
        return path, None

    def beside_series(f, r):
        _classic(f / "in")
        _rtstruct(f / "in" / "rs.dcm")
        return f / "in", None

    add("jpegls", "frame_65535", frame_65535)

    add("rtstruct", "alone", lambda f, r: (_rtstruct(f / "in" / "rs.dcm").parent, None))
    add("rtstruct", "beside_series", beside_series)
    add("rtstruct", "as_labels", lambda f, r: (_classic(f / "in" / "series"), _rtstruct(f / "in" / "rs.dcm")))

    def nhdr(old, new):
        return lambda f, r: (_nhdr(f / "in", NHDR.replace(old, new)), None)

    for name, sizes in {"sizes_more_than_data": "10 9 7", "sizes_fewer_than_data": "10 9 5",
                        "sizes_negative": "10 -9 6", "sizes_zero": "10 0 6", "sizes_text": "ten 9 6",
                        "sizes_four_of_three": "10 9 6 1", "sizes_two": "10 9",
                        "sizes_2e63": "9223372036854775807 1 1", "sizes_float": "10.5 9 6"}.items():
        add("nhdr", name, nhdr("sizes: 10 9 6", f"sizes: {sizes}"))
    add("nhdr", "dimension_4_sizes_3", nhdr("dimension: 3", "dimension: 4"))

    for name, fields in {"vox_offset_1e30": {"vox_offset": 1e30},
                         "vox_offset_2e31": {"vox_offset": 2.0 ** 31},
                         "vox_offset_negative": {"vox_offset": -352.0},
                         "vox_offset_nan": {"vox_offset": np.nan},
                         "vox_offset_past_end": {"vox_offset": 4096.0},
                         "dim_negative": {"dim": [3, -10, 9, 6, 1, 1, 1, 1]},
                         "dims_all_negative": {"dim": [3, -1, -1, -1, 1, 1, 1, 1]},
                         "dim0_zero": {"dim": [0, 10, 9, 6, 1, 1, 1, 1]},
                         "dim0_9": {"dim": [9, 10, 9, 6, 1, 1, 1, 1]},
                         "dim4_negative": {"dim": [4, 10, 9, 6, -3, 1, 1, 1]}}.items():
        add("nifti1", name, lambda f, r, fields=fields: (_nifti_single(f / "in", **fields), None))

    for how in ("zip", "tar", "tgz", "nifti_zip"):
        add("archive", how, lambda f, r, how=how: (_archive(f, how), None))
    add("archive", "zip_in_folder", lambda f, r: (_archive(f, "zip").parent, None))
    add("archive", "zip_as_labels", lambda f, r: (
        _labelled(f / "lab")[0], _archive(f, "nifti_zip")))
    return cases


def _worklist_image(path: Path) -> Path:
    """A 20 x 20 x 12 image of 2 x 2 x 3 mm: big enough for the bundled model's field of view."""
    import nibabel as nib

    path.parent.mkdir(parents=True, exist_ok=True)
    data = (np.random.default_rng(0).random((20, 20, 12)) * 300).astype(np.int16)
    nib.save(nib.Nifti1Image(data, np.diag([2.0, 2.0, 3.0, 1.0])), path)
    return path


def _worklist_cases() -> list[tuple[str, str, object]]:
    """CSV lists of cases (``segment LIST.csv -o FOLDER``), as ``dataset rank`` writes them."""
    cases = []

    def worklist(name, rows: bytes, setup=None):
        def make(f, r):
            _worklist_image(f / "in" / "a" / "scan.nii.gz")
            if setup:
                setup(f)
            (f / "in" / "list.csv").write_bytes(rows)
            return f / "in" / "list.csv", "worklist"
        cases.append(("worklist", name, make))

    def second_scan(f):
        _worklist_image(f / "in" / "b" / "scan.nii.gz")

    def loop(f):
        os.symlink("loop", f / "in" / "loop")

    def outside(f):
        _worklist_image(f / "secret" / "scan.nii.gz")

    worklist("valid", b"path\na/scan.nii.gz\n")
    worklist("same_name_twice", b"path\na/scan.nii.gz\nb/scan.nii.gz\n", second_scan)
    worklist("same_case_twice", b"path\na/scan.nii.gz\na/scan.nii.gz\n")
    worklist("traversal", b"path\n../secret/scan.nii.gz\na/scan.nii.gz\n", outside)
    worklist("dev_zero", b"path\n/dev/zero\na/scan.nii.gz\n")
    worklist("itself", b"path\nlist.csv\na/scan.nii.gz\n")
    worklist("link_loop", b"path\nloop\na/scan.nii.gz\n", loop)
    worklist("non_utf8", b"path\n" + NON_UTF8 + b"\na/scan.nii.gz\n")
    worklist("nul_byte", b"path\na/scan.nii.gz\x00\n")
    worklist("field_50mb", b"path\n" + b"x" * (50 << 20) + b"\n")
    worklist("rows_20000_missing", b"path\n" + b"nothere.nii.gz\n" * 20000)  # 100,000: ~15 s, linear
    worklist("header_only", b"path,case,score\n")
    worklist("quotes_unbalanced", b'path\n"a/scan.nii.gz\n')
    return cases


def _patched(path: Path, values: dict) -> Path:
    _patch_dicom(path, **values)
    return path


TEMPLATES = {
    "dicom": lambda f: (_classic(f / "in"), None),
    "enhanced": lambda f: (_enhanced(f / "in"), None),
    "seg": lambda f: (f / "in", _seg(f / "in")),
    "dicomdir": lambda f: (_dicomdir(f / "in"), None),
    "nifti": lambda f: (_nifti4d(f / "in"), None),
    "analyze": lambda f: (_analyze(f / "in"), None),
    "nhdr": lambda f: (_nhdr(f / "in"), None),
    "mgz": lambda f: (_mgz(f / "in"), None),
    "sidecar": lambda f: _labelled(f / "in"),
}


def _damage_cases(count: int) -> list[tuple[str, str, object]]:
    """Seeded truncation and bit flips of every file of every template."""
    cases = []
    for kind, template in TEMPLATES.items():
        for n in range(count):
            how = "cut" if n % 2 else "flip"

            def make(f, r, template=template, how=how):
                image, labels = template(f)
                victims = [p for p in Path(f / "in").rglob("*") if p.is_file()]
                victim = r.choice(victims)
                (_truncate if how == "cut" else _flip)(victim, r)
                return image, labels
            cases.append((kind, f"{how}_{n}", make))
    return cases


# --- running ---------------------------------------------------------------------------------

def _commands(case_dir: Path, image: Path, labels, segment: bool) -> list[list[str]]:
    out = case_dir / "out"
    image_arg = str(image) if not isinstance(image, bytes) else image
    commands = [["info", image_arg], ["convert", image_arg, str(out / "converted") + "/"]]
    if labels is not None:
        commands.append(["convert", image_arg, str(out / "one.nii.gz"), "--labels", str(labels)])
        commands.append(["dataset", "add", str(case_dir / "ds" / "Dataset501_Fuzz"), "--image", image_arg,
                         "--labels", str(labels)])
    if segment:
        target = out / ("masks" if image.suffix == ".csv" else "seg.nii.gz")
        commands.append(["segment", image_arg, "-o", str(target), "--device", "cpu"])
    return commands


def _names_case(result: dict, case_dir: Path) -> bool:
    """Whether the last stderr line names a file or folder of the case (a batch's summary line
    "N of M cases failed": whether each case's error line before it names one)."""
    lines = [line for line in result["stderr"].splitlines() if line.strip()]
    if not lines:
        return False
    if BATCH_SUMMARY.fullmatch(lines[-1]):
        errors = [line for line in lines[:-1] if line.startswith("neuroview: error: ")]
        return bool(errors) and all(BATCH_ERROR.match(line) for line in errors)
    return _names_line(lines[-1], case_dir)


BATCH_SUMMARY = re.compile(r"neuroview: \d+ of \d+ cases? failed")
BATCH_ERROR = re.compile(r"neuroview: error: [^:]*[/.][^:]*: ")
"""A batch's error line names its input (a path as the list gives it), which may lie elsewhere."""


def _names_line(last: str, case_dir: Path) -> bool:
    names = {p.name for p in case_dir.rglob("*")} | {case_dir.name, "in", str(case_dir)}
    names |= {os.fsdecode(p.name).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
              for p in case_dir.rglob("*")}
    return any(name and name in last for name in names if len(name) > 2) or "in/" in last


def _written_affine_bad(out: Path) -> str:
    import nibabel as nib

    for path in sorted(out.rglob("*.nii*")):
        try:
            image = nib.load(path)
            affine = image.affine
        except Exception as error:  # noqa: BLE001 - what a user's next tool would hit
            return f"{path.name}: unreadable ({error})"
        if not np.all(np.isfinite(affine)) or abs(np.linalg.det(affine[:3, :3])) < 1e-12:
            return f"{path.name}: affine {affine[:3, :3].tolist()}"
        if np.issubdtype(image.get_data_dtype(), np.floating):
            data = np.asarray(image.dataobj)
            if data.size and not np.all(np.isfinite(data)):
                return f"{path.name}: non-finite voxels"
    return ""


def _files_outside(root: Path, before: set[Path], allowed: list[Path]) -> list[str]:
    now = {p for p in root.rglob("*")}
    new = now - before
    return [str(p) for p in new if not any(a == p or a in p.parents for a in allowed)]


def classify(result: dict, case_dir: Path, verb: str) -> tuple[str, str]:
    rc, err = result["rc"], result["stderr"]
    last = ([line for line in err.splitlines() if line.strip()] or [""])[-1]
    if rc == "timeout":
        return "hang", f"over {SECONDS} s"
    if rc == "traceback" or "Traceback" in err or "internal error" in err.lower():
        if "MemoryError" in err:
            return "memory", last
        return "trace", last
    if result["peak_rss"] > MAX_PEAK:
        return "memory", f"{result['peak_rss'] >> 20} MiB"
    if rc == 0:
        return "read", ""
    if verb == "segment" and "far smaller than the field of view" in last:
        return "small", last  # read, then refused for its size (the templates are small)
    if not _names_case(result, case_dir):
        return "noname", last
    return "ok", last


def run_case(root: Path, index: int, kind: str, name: str, make, seed: int, segment: bool) -> list[dict]:
    case_dir = root / f"c{index:03d}"
    case_dir.mkdir()
    rng = random.Random(f"{seed}-{kind}-{name}")
    image, labels = make(case_dir, rng)
    if kind in WINDOW_KINDS:
        return _run_window_case(root, case_dir, kind, name, image, labels)
    if labels == "worklist":
        labels, segment = None, True
    if labels is not None:
        done = run_limited([["dataset", "init", str(case_dir / "ds"), "--name", "Fuzz", "--labels",
                             "background,lesion", "--id", "501"]], seconds=SECONDS)
        assert done[0]["rc"] == 0, done[0]["stderr"]
    commands = _commands(case_dir, image, labels, segment)
    before = set(root.rglob("*"))
    home = root / "home"
    results = run_limited(commands, seconds=SECONDS, env={"NEUROVIEW_HOME": str(home)})
    outside = _files_outside(root, before, [case_dir / "out", case_dir / "ds", home, case_dir / "in"])
    records = []
    for argv, result in zip(commands, results):
        verb = argv[0] if argv[0] != "dataset" else "dataset add"
        outcome, detail = classify(result, case_dir, verb)
        if outcome == "read" and verb == "convert":
            bad = _written_affine_bad(case_dir / "out")
            if bad:
                outcome, detail = "garbage", bad
        records.append({"kind": kind, "attack": name, "verb": verb, "outcome": outcome,
                        "detail": detail[:300], "rc": result["rc"], "seconds": round(result["seconds"], 2),
                        "peak_mib": result["peak_rss"] >> 20})
    if outside:
        records.append({"kind": kind, "attack": name, "verb": "*", "outcome": "outside",
                        "detail": ", ".join(outside)[:300], "rc": None, "seconds": 0, "peak_mib": 0})
    return records


WINDOW_KINDS = {"seg-window", "journal"}


def _run_window_case(root: Path, case_dir: Path, kind: str, name: str, image, labels) -> list[dict]:
    labels, workspace = labels if isinstance(labels, tuple) else (labels, "")
    argv = ["open", str(image), str(labels or ""), str(workspace)]
    before = set(root.rglob("*"))
    home = root / "home"
    result = run_limited([argv], seconds=SECONDS, env={
        "NEUROVIEW_HOME": str(home), "LIMITED_CLI_ENTRY": "bench.kinds_fuzz:window_stand_in"})[0]
    outside = _files_outside(root, before, [case_dir / "in", home])
    outcome, detail = classify(result, case_dir, "window")
    records = [{"kind": kind, "attack": name, "verb": "window", "outcome": outcome,
                "detail": detail[:300], "rc": result["rc"], "seconds": round(result["seconds"], 2),
                "peak_mib": result["peak_rss"] >> 20}]
    if outside:
        records.append({"kind": kind, "attack": name, "verb": "*", "outcome": "outside",
                        "detail": ", ".join(outside)[:300], "rc": None, "seconds": 0, "peak_mib": 0})
    return records


BAD = {"trace", "noname", "hang", "memory", "outside", "garbage"}


def run_cases(cases, prefix: str, run, bad=BAD) -> list[dict]:
    """The records of each of ``cases`` (kind, name, make), run by ``run(root, index, kind, name,
    make)`` in a temporary folder (``root``, named from ``prefix``); a case that cannot be made is
    said on stderr and passed over, a record whose outcome is in ``bad`` said as it comes."""
    records = []
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        for index, (kind, name, make) in enumerate(cases):
            try:
                found = run(Path(tmp), index, kind, name, make)
            except Exception as error:  # noqa: BLE001 - a case the attack broke: say it, go on
                print(f"{kind}/{name}: could not make the case: {error!r}", file=sys.stderr)
                continue
            records.extend(found)
            for r in found:
                if r["outcome"] in bad:
                    print(f"BAD {r['outcome']:8s} {kind}/{name} {r['verb']}: {r['detail']}", flush=True)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--damage", type=int, default=4, help="damaged copies per template")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=None, help="run only these kinds (comma-separated)")
    parser.add_argument("--attack", default=None, help="run only attacks containing this text")
    parser.add_argument("--json", default=None, help="write every record here")
    args = parser.parse_args()

    cases = _cases() + _damage_cases(args.damage) + _window_cases() + _worklist_cases() + _more_cases()
    cases = [c for c in cases if (args.only is None or c[0] in args.only.split(","))
             and (args.attack is None or args.attack in c[1])]
    records = run_cases(cases, "kinds_fuzz_", lambda root, index, kind, name, make: run_case(
        root, index, kind, name, make, args.seed, segment=index % 3 == 0))
    counts = Counter(r["outcome"] for r in records)
    print(f"{len(cases)} files, {len(records)} commands: " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    bad = Counter(r["outcome"] for r in records if r["outcome"] in BAD)
    print("BAD by kind of defect: " + (", ".join(f"{k} {v}" for k, v in sorted(bad.items())) or "none"))
    slow = max(records, key=lambda r: r["seconds"], default=None)
    big = max(records, key=lambda r: r["peak_mib"], default=None)
    if slow:
        print(f"slowest {slow['seconds']} s ({slow['kind']}/{slow['attack']} {slow['verb']}), "
              f"largest peak {big['peak_mib']} MiB ({big['kind']}/{big['attack']} {big['verb']})")
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    main()
