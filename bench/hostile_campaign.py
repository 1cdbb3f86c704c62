"""Session 46's hostile campaign: the kinds of input the earlier fuzz benches lack, through every
entry point a user has.

``bench/input_fuzz.py``, ``fuzz_readers.py``, ``kinds_fuzz.py``, ``folder_fuzz.py``,
``dicom_hostile.py``, ``fuzz_damage.py`` and ``editor_fuzz.py`` flip bytes, walk every header
field one at a time and attack named values; this one adds, drawn with ``--seed``:

    pairs      two header fields of a NIfTI-1, NIfTI-2 or MGH file set at once to integer limits
               (0, -1, 2^15-1, 2^31-1, 2^31, 2^63 wrapped into the field) or float ones (NaN,
               +-inf, 1e-300, 1e300)
    overflow   dims each within the readers' bound whose product overflows 64 bits (NIfTI-1 7D
               of 32767, NIfTI-2 of 2^62, MGH of 2^31-1, NRRD, MetaImage)
    affine     an affine NaN, infinite, singular (rank 2), left-handed, of 1e-300 mm or sheared:
               read ones must keep the file's voxel-to-world matrix (checked on what convert
               writes), refused ones in one line
    members    a ``.nii.gz`` / ``.mgz`` re-written as 2-6 gzip members split at random points
               (valid gzip: must read the same voxels)
    gzfields   gzip headers with random FEXTRA / FNAME / FCOMMENT / FHCRC fields of 1 B - 1 MB

and named cases: named pipes and symlink loops as every kind of file and inside folders, a
DICOM folder 300 levels deep or beside 20,000 empty files, DICOM values (equal positions,
positions 1e-9 or 1e7 mm apart, parallel or left-handed orientations, pixel spacing 1e-300 or
2^31, a 10 MB description, NUL and path separators in text), NRRD and MetaImage headers
(sizes overflowing, data file patterns of 2e9 files, a 50 MB line, LIST of 100,000 files,
HeaderSize -1, a compressed bomb), NIfTI extensions of size 0, negative or 2^31, and ONNX model
files (external data out of the folder, absolute, ``/dev/zero``, 2^62 long, missing, beside it;
a fixed batch of 1; fixed spatial sizes) through ``models add`` and ``segment --model``.

Commands, as a user runs them, in a child process under a 4 GiB address-space limit and a 20 s
alarm each (``tests/io/limited_cli.py``): ``info``, ``convert``, the window's open
(``kinds_fuzz.window_stand_in``: ``Session.open`` as *File > Open* runs it), ``segment`` on every
third image case, ``models add`` / ``models list`` / ``segment --model`` on model cases.
Outcomes (``kinds_fuzz.classify``): ok (one line naming the file, exit 1), read (exit 0), small
(segment refused the image as smaller than the model's field of view), and BAD: trace, noname,
hang, memory (resident peak raised by over 1 GiB), garbage (a written affine not finite, not
invertible or not the file's own), lines (refused in more than one line of stderr).

    nice -n 5 python bench/hostile_campaign.py [--seed 46] [--cases 120] [--only KIND]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import struct
import sys
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "io" / "dicom"), str(ROOT / "tests" / "ai")]
from bench import kinds_fuzz as K  # noqa: E402
from tests.io.limited_cli import run_limited  # noqa: E402

SECONDS = 20
SHAPE = (10, 9, 6)
AFFINE = np.diag([1.5, 1.5, 2.0, 1.0])
INT_LIMITS = [0, -1, (1 << 15) - 1, (1 << 31) - 1, 1 << 31, 1 << 63]
FLOAT_LIMITS = [float("nan"), float("inf"), float("-inf"), 1e-300, 1e300]


# --- templates -------------------------------------------------------------------------------

def _image(path: Path, klass: str = "Nifti1Image", affine=AFFINE, shape=SHAPE) -> Path:
    import nibabel as nib

    path.parent.mkdir(parents=True, exist_ok=True)
    data = (np.arange(np.prod(shape)) % 300).reshape(shape).astype(np.int16)
    nib.save(getattr(nib, klass)(data, affine), path)
    return path


def _gzip(raw: bytes, flags: int = 0, fields: bytes = b"") -> bytes:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = deflate.compress(raw) + deflate.flush()
    return (b"\x1f\x8b\x08" + bytes([flags]) + bytes(6) + fields + body
            + struct.pack("<II", zlib.crc32(raw), len(raw) & 0xFFFFFFFF))


def _raw_of(kind: str, folder: Path) -> tuple[bytes, str]:
    """The uncompressed bytes of a template and the name it is written under."""
    klass, name = {"nifti1": ("Nifti1Image", "scan.nii.gz"), "nifti2": ("Nifti2Image", "scan.nii.gz"),
                   "mgz": ("MGHImage", "scan.mgz")}[kind]
    path = _image(folder / ("t_" + name), klass)
    raw = gzip.decompress(path.read_bytes())
    path.unlink()
    return raw, name


FIELDS = {  # (offset, struct format) of the header fields the pairs draw from
    "nifti1": {"dim0": (40, "<h"), "dim1": (42, "<h"), "dim2": (44, "<h"), "dim3": (46, "<h"),
               "dim4": (48, "<h"), "datatype": (70, "<h"), "bitpix": (72, "<h"),
               "pixdim0": (76, "<f"), "pixdim1": (80, "<f"), "pixdim3": (88, "<f"),
               "vox_offset": (108, "<f"), "scl_slope": (112, "<f"), "scl_inter": (116, "<f"),
               "qform_code": (252, "<h"), "sform_code": (254, "<h"), "quatern_b": (256, "<f"),
               "qoffset_x": (268, "<f"), "srow_x0": (280, "<f"), "srow_y1": (300, "<f"),
               "srow_z2": (320, "<f"), "srow_z3": (324, "<f")},
    "nifti2": {"dim0": (16, "<q"), "dim1": (24, "<q"), "dim3": (40, "<q"), "dim4": (48, "<q"),
               "datatype": (12, "<h"), "bitpix": (14, "<h"), "pixdim1": (112, "<d"),
               "vox_offset": (168, "<q"), "scl_slope": (176, "<d"), "qform_code": (344, "<i"),
               "sform_code": (348, "<i"), "srow_x0": (400, "<d"), "srow_z2": (464, "<d")},
    "mgz": {"version": (0, ">i"), "width": (4, ">i"), "height": (8, ">i"), "depth": (12, ">i"),
            "nframes": (16, ">i"), "type": (20, ">i"), "dof": (24, ">i"), "goodRASFlag": (28, ">h"),
            "delta0": (30, ">f"), "delta2": (38, ">f"), "Mdc0": (42, ">f"), "Pxyz_c0": (78, ">f")},
}


def _packed(fmt: str, value) -> bytes:
    if fmt[-1] in "fd":   # 1e300 in a float32 field: infinity, as a C writer would store it
        with np.errstate(over="ignore"):
            return np.array(float(value), dtype=np.dtype(fmt)).tobytes()
    bits = struct.calcsize(fmt) * 8
    value = int(value) & ((1 << bits) - 1)   # 2^63 into a 16-bit field: its low bits
    return struct.pack(fmt[0] + fmt[1].upper(), value)


# --- seeded kinds ----------------------------------------------------------------------------

def pairs_case(rng: random.Random):
    kind = rng.choice(list(FIELDS))
    chosen = rng.sample(list(FIELDS[kind]), 2)
    values = []
    for name in chosen:
        fmt = FIELDS[kind][name][1]
        values.append(rng.choice(FLOAT_LIMITS + INT_LIMITS if fmt[-1] in "fd" else INT_LIMITS))

    def make(folder: Path, _rng):
        raw, name = _raw_of(kind, folder)
        edited = bytearray(raw)
        for field, value in zip(chosen, values):
            at, fmt = FIELDS[kind][field]
            edited[at:at + struct.calcsize(fmt)] = _packed(fmt, value)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(_gzip(bytes(edited)) if rng.random() < 0.5 else gzip.compress(bytes(edited)))
        return {"image": path}
    label = ",".join(f"{f}={v!r}" for f, v in zip(chosen, values))
    return "pairs", f"{kind} {label}", make


def overflow_case(rng: random.Random):
    kind = rng.choice(["nifti1", "nifti2", "mgz", "nrrd", "mhd"])

    def make(folder: Path, _rng):
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "nifti1":
            path = _image(folder / "scan.nii")
            data = bytearray(path.read_bytes())
            n = rng.randint(3, 7)
            struct.pack_into("<8h", data, 40, n, *([32767] * n), *([1] * (7 - n)))
            path.write_bytes(data)
        elif kind == "nifti2":
            path = _image(folder / "scan.nii", "Nifti2Image")
            data = bytearray(path.read_bytes())
            struct.pack_into("<4q", data, 16, 3, 1 << rng.randint(31, 62), 1 << rng.randint(31, 62), 8)
            path.write_bytes(data)
        elif kind == "mgz":
            path = _image(folder / "scan.mgh", "MGHImage")
            data = bytearray(path.read_bytes())
            struct.pack_into(">4i", data, 4, *[rng.choice([(1 << 31) - 1, 1 << 30, 65535]) for _ in range(4)])
            path.write_bytes(data)
        elif kind == "nrrd":
            sizes = " ".join(str(rng.choice([1 << 32, 1 << 40, (1 << 63) - 1, 1 << 20])) for _ in range(3))
            path = K._nhdr(folder, K.NHDR.replace("sizes: 10 9 6", f"sizes: {sizes}"))
        else:
            sizes = " ".join(str(rng.choice([1 << 32, 1 << 40, (1 << 63) - 1])) for _ in range(3))
            path = _mhd(folder, MHD.replace("DimSize = 10 9 6", f"DimSize = {sizes}"))
        return {"image": path}
    return "overflow", kind, make


AFFINES = {
    "nan": lambda a: a.__setitem__((0, 1), np.nan),
    "inf": lambda a: a.__setitem__((2, 3), np.inf),
    "singular": lambda a: a.__setitem__((slice(0, 3), 1), a[:3, 0]),
    "left_handed": lambda a: a.__setitem__((0, 0), -a[0, 0]),
    "tiny": lambda a: a.__setitem__((slice(0, 3), slice(0, 3)), a[:3, :3] * 1e-300),
    "sheared": lambda a: a.__setitem__((0, 2), 3.0),
    "rotated": lambda a: a.__setitem__((slice(0, 3), slice(0, 3)), a[:3, :3] @ _rotation()),
}


def _rotation() -> np.ndarray:
    c, s = np.cos(0.4), np.sin(0.4)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def affine_case(rng: random.Random):
    klass = rng.choice(["Nifti1Image", "Nifti2Image", "MGHImage"])
    # MGH stores spacing and unit directions: no NaN, singular or 1e-300 grid to write
    how = rng.choice(["left_handed", "sheared", "rotated"] if klass == "MGHImage" else list(AFFINES))

    def make(folder: Path, _rng):
        import nibabel as nib

        affine = AFFINE.copy()
        affine[:3, 3] = [rng.uniform(-100, 100) for _ in range(3)]
        AFFINES[how](affine)
        folder.mkdir(parents=True, exist_ok=True)
        data = (np.arange(np.prod(SHAPE)) % 300).reshape(SHAPE).astype(np.int16)
        path = folder / ("scan.mgz" if klass == "MGHImage" else "scan.nii.gz")
        if klass == "MGHImage":
            image = nib.MGHImage(data, affine)
        else:
            image = getattr(nib, klass)(data, None)   # (an affine given is written over the srows)
            image.header.set_qform(None, 0)
            image.header["sform_code"] = 1
            for row, key in enumerate(("srow_x", "srow_y", "srow_z")):
                image.header[key] = affine[row]
        with np.errstate(all="ignore"):
            nib.save(image, path)
        return {"image": path, "affine": affine}
    return "affine", f"{klass} {how}", make


def members_case(rng: random.Random):
    kind = rng.choice(["nifti1", "nifti2", "mgz"])
    parts = rng.randint(2, 6)

    def make(folder: Path, _rng):
        raw, name = _raw_of(kind, folder)
        cuts = sorted(rng.sample(range(1, len(raw)), parts - 1))
        pieces = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)])]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"".join(gzip.compress(p) for p in pieces))
        return {"image": folder / name, "voxels": True}
    return "members", f"{kind} {parts} members", make


def gzfields_case(rng: random.Random):
    kind = rng.choice(["nifti1", "nifti2", "mgz"])
    sizes = {flag: rng.choice([1, 300, 4000, 70000, 1 << 20]) for flag in (4, 8, 16) if rng.random() < 0.6}
    hcrc = rng.random() < 0.3

    def make(folder: Path, _rng):
        raw, name = _raw_of(kind, folder)
        fields, flags = b"", 0
        if 4 in sizes:
            extra = b"x" * min(sizes[4], 65535)
            fields += struct.pack("<H", len(extra)) + extra
            flags |= 4
        for flag in (8, 16):
            if flag in sizes:
                fields += b"n" * sizes[flag] + b"\x00"
                flags |= flag
        if hcrc:
            head = b"\x1f\x8b\x08" + bytes([flags | 2]) + bytes(6) + fields
            fields += struct.pack("<H", zlib.crc32(head) & 0xFFFF)
            flags |= 2
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(_gzip(raw, flags, fields))
        named = max([0] + [v for k, v in sizes.items() if k != 4])
        return {"image": folder / name, "voxels": named <= 64 << 10}
    return "gzfields", f"{kind} {sizes} hcrc={hcrc}", make


SEEDED = [pairs_case, overflow_case, affine_case, members_case, gzfields_case]


# --- named cases -----------------------------------------------------------------------------

MHD = ("ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
       "TransformMatrix = 1 0 0 0 1 0 0 0 1\nOffset = 0 0 0\nElementSpacing = 1.5 1.5 2\n"
       "DimSize = 10 9 6\nElementType = MET_SHORT\nElementDataFile = scan.raw\n")


def _mhd(folder: Path, text: str, data: bytes | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    voxels = (np.arange(540) % 300).astype("<i2").tobytes()
    (folder / "scan.raw").write_bytes(voxels if data is None else data)
    (folder / "scan.mhd").write_text(text)
    return folder / "scan.mhd"


def _fifo(name: str):
    def make(folder: Path, _rng):
        folder.mkdir(parents=True)
        os.mkfifo(folder / name)
        return {"image": folder / name}
    return make


def _zero_bomb(total: int) -> bytes:
    deflate, out, chunk = zlib.compressobj(9), bytearray(), bytes(1 << 20)
    for _ in range(total >> 20):
        out += deflate.compress(chunk)
    return bytes(out + deflate.flush())


def _extension(esize: int):
    def make(folder: Path, _rng):
        path = _image(folder / "scan.nii")
        data = bytearray(path.read_bytes())
        struct.pack_into("<f", data, 108, 368.0)
        path.write_bytes(bytes(data[:348]) + b"\x01\x00\x00\x00" + struct.pack("<ii", esize, 6)
                         + bytes(8) + bytes(data[352:]))
        return {"image": path}
    return make


def _dicom(per_slice=None, **values):
    def make(folder: Path, _rng):
        from raw_series import write_raw_series

        write_raw_series(folder, n=5, per_slice=per_slice, FrameOfReferenceUID="1.2.3", PatientID="FUZZ",
                         **values)
        return {"image": folder}
    return make


def _dicom_text(**values):
    def make(folder: Path, _rng):
        import warnings

        import pydicom

        K._classic(folder)
        for path in folder.iterdir():
            ds = pydicom.dcmread(path)
            for key, value in values.items():
                setattr(ds, key, value)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds.save_as(path)
        return {"image": folder}
    return make


def _deep(folder: Path, _rng):
    inner = folder
    for _ in range(300):
        inner = inner / "d"
    K._classic(inner)
    return {"image": folder}


def _empties(folder: Path, _rng):
    K._classic(folder)
    for i in range(20000):
        (folder / f"e{i}.dcm").write_bytes(b"")
    return {"image": folder}


def _fifo_in(folder: Path, _rng):
    _image(folder / "a.nii.gz")
    os.mkfifo(folder / "b.nii.gz")
    os.symlink("loop", folder / "loop")
    return {"image": folder}


def _onnx(location: str | None = "w.bin", spatial=("x", "y", "z"), length=None, offset=None):
    def make(folder: Path, _rng):
        from onnx_graphs import WEIGHTS, conv_model

        external = None if location is None else {"location": location, "length": length,
                                                  "offset": offset}
        model = conv_model(folder / "m", spatial, external)
        (folder / "secret.bin").write_bytes(WEIGHTS.tobytes())
        return {"model": model}
    return make


def named_cases() -> list[tuple[str, str, object]]:
    cases = []
    for name in ("scan.nii", "scan.nii.gz", "scan.mgz", "scan.nrrd", "scan.mha", "scan.dcm", "scan"):
        cases.append(("pipe", name, _fifo(name)))

    def pair_pipe(folder, _rng):
        _image(folder / "scan.img", "Nifti1Pair")
        (folder / "scan.img").unlink()
        os.mkfifo(folder / "scan.img")
        return {"image": folder / "scan.hdr"}

    def nhdr_pipe(folder, _rng):
        path = K._nhdr(folder)
        (folder / "scan.raw").unlink()
        os.mkfifo(folder / "scan.raw")
        return {"image": path}

    def loop(folder, _rng):
        folder.mkdir(parents=True)
        os.symlink("scan.nii", folder / "scan.nii")
        return {"image": folder / "scan.nii"}

    cases += [("pipe", "analyze pair's .img", pair_pipe), ("pipe", "nhdr data file", nhdr_pipe),
              ("pipe", "a pipe and a loop in a NIfTI folder", _fifo_in), ("loop", "file", loop),
              ("folder", "dicom 300 levels deep", _deep), ("folder", "dicom and 20000 empty files", _empties)]
    cases += [("extension", f"esize {n}", _extension(n)) for n in (0, -16, 20, (1 << 31) - 8)]
    cases += [
        ("dicom", "same position", _dicom(ImagePositionPatient=(0, 0, 0))),
        ("dicom", "positions 1e-9 apart", _dicom(lambda k: {"ImagePositionPatient": (0, 0, 1e-9 * k)})),
        ("dicom", "positions 1e7 apart", _dicom(lambda k: {"ImagePositionPatient": (0, 0, 1e7 * k)})),
        ("dicom", "one position NaN",
         _dicom(lambda k: {"ImagePositionPatient": (0, 0, "NaN" if k == 2 else 2 * k)})),
        ("dicom", "orientation parallel", _dicom(ImageOrientationPatient=(1, 0, 0, 1, 0, 0))),
        ("dicom", "orientation left-handed", _dicom(ImageOrientationPatient=(0, 1, 0, 1, 0, 0))),
        ("dicom", "orientation 1000 and 1e-6 long", _dicom(ImageOrientationPatient=(1000, 0, 0, 0, 1e-6, 0))),
        ("dicom", "pixel spacing 1e-300", _dicom(PixelSpacing=("1e-300", "1e-300"))),
        ("dicom", "pixel spacing 2^31", _dicom(PixelSpacing=("2147483648", "1"))),
        ("dicom", "spacing between slices 0", _dicom(SpacingBetweenSlices="0")),
        ("dicom", "window 1e308", _dicom(WindowCenter="1e308", WindowWidth="1e308")),
        ("dicom", "series number 2^63", _dicom(SeriesNumber="9223372036854775808")),
        ("dicom", "frames NaN", _dicom(NumberOfFrames="NaN")),
        ("dicom", "bits stored 99", _dicom(BitsStored="99", HighBit="98")),
        ("dicom", "description 10 MB", _dicom_text(SeriesDescription="D" * (10 << 20))),
        ("dicom", "description NUL and separators", _dicom_text(SeriesDescription="a\x00b/../c\\d")),
    ]
    replace = [
        ("nrrd", "data file pattern of 2e9 files", "data file: scan.raw",
         "data file: scan%d.raw 1 2000000000 1 2"),
        ("nrrd", "directions parallel", "(0,1.5,0)", "(1.5,0,0)"),
        ("nrrd", "ascii 1e13 voxels", "sizes: 10 9 6", "sizes: 100000 100000 1000\nencoding: ascii"),
    ]
    for kind, name, old, new in replace:
        cases.append((kind, name, lambda f, r, o=old, n=new: {"image": K._nhdr(f, K.NHDR.replace(o, n))}))

    def line_50mb(folder, _rng):
        folder.mkdir(parents=True)
        (folder / "scan.nrrd").write_bytes(b"NRRD0004\ncontent: " + b"x" * (50 << 20))
        return {"image": folder / "scan.nrrd"}
    cases.append(("nrrd", "a 50 MB header line", line_50mb))
    for name, old, new in [
        ("valid", "", ""),
        ("DimSize 1e5 cubed", "DimSize = 10 9 6", "DimSize = 100000 100000 100000"),
        ("pattern of 2e9 files", "ElementDataFile = scan.raw", "ElementDataFile = scan%d.raw 1 2000000000 1"),
        ("LIST of 100000", "ElementDataFile = scan.raw", "ElementDataFile = LIST\n" + "scan.raw\n" * 100000),
        ("HeaderSize -1", "ElementType", "HeaderSize = -1\nElementType"),
        ("matrix NaN", "1 0 0 0 1 0 0 0 1", "nan 0 0 0 1 0 0 0 1"),
        ("matrix singular", "1 0 0 0 1 0 0 0 1", "1 0 0 1 0 0 0 0 1"),
        ("spacing inf", "1.5 1.5 2", "inf 1.5 2"),
        ("channels 2e9", "ElementType", "ElementNumberOfChannels = 2000000000\nElementType"),
        ("NDims 1e6", "NDims = 3", "NDims = 1000000"),
    ]:
        cases.append(("mhd", name, lambda f, r, o=old, n=new: {
            "image": _mhd(f, MHD.replace(o, n) if o else MHD)}))

    def mhd_bomb(folder, _rng):   # 512 MiB declared, a 1 GiB zero stream
        text = MHD.replace("DimSize = 10 9 6", "DimSize = 1024 1024 256").replace(
            "BinaryData = True", "BinaryData = True\nCompressedData = True")
        return {"image": _mhd(folder, text, _zero_bomb(1 << 30))}
    cases.append(("mhd", "compressed 512 MiB declared, 1 GiB inflated", mhd_bomb))
    cases += [
        ("onnx", "external data beside it", _onnx()),
        ("onnx", "external data ../", _onnx("../secret.bin")),
        ("onnx", "external data absolute", _onnx("/etc/hostname")),
        ("onnx", "external data /dev/zero, 2^33 long", _onnx("/dev/zero", length=1 << 33)),
        ("onnx", "external data 2^62 long", _onnx(length=1 << 62)),
        ("onnx", "external data at 2^62", _onnx(offset=1 << 62)),
        ("onnx", "external data missing", _onnx("nothere.bin")),
        ("onnx", "batch of 1, in the file", _onnx(None)),
        ("onnx", "fixed 8^3 patches", _onnx(None, spatial=(8, 8, 8))),
    ]
    return cases


# --- running ---------------------------------------------------------------------------------

def _judge(result: dict, case_dir: Path, verb: str, made: dict) -> tuple[str, str]:
    outcome, detail = K.classify(result, case_dir, verb)
    lines = [line for line in result["stderr"].splitlines() if line.strip()]
    if outcome == "ok" and len(lines) > 1 and verb not in ("segment",):
        return "lines", " / ".join(lines)[:300]
    if verb == "window" and result["stdout"].startswith("garbage"):
        return "garbage", result["stdout"].strip()
    if outcome == "read" and verb == "convert":
        bad = K._written_affine_bad(case_dir / "out") or _not_its_own(case_dir / "out", made)
        if bad:
            return "garbage", bad
    return outcome, detail


def _not_its_own(out: Path, made: dict) -> str:
    """What convert wrote, against the file's own affine and voxels where the case knows them."""
    import nibabel as nib

    for path in sorted(out.rglob("*.nii*")):
        image = nib.load(path)
        if "affine" in made and not np.allclose(image.affine, made["affine"], atol=1e-3):
            return f"{path.name}: affine {image.affine[:3].round(3).tolist()} is not the file's"
        if made.get("voxels") and not np.array_equal(
                np.asarray(image.dataobj), (np.arange(np.prod(SHAPE)) % 300).reshape(SHAPE)):
            return f"{path.name}: voxels differ from the file's"
    return ""


def run_case(root: Path, index: int, kind: str, name: str, make, seed: int) -> list[dict]:
    case_dir = root / f"c{index:03d}"
    case_dir.mkdir()
    made = make(case_dir / "in", random.Random(f"{seed}-{kind}-{name}"))
    home = root / "home"
    env = {"NEUROVIEW_HOME": str(home)}
    if "model" in made:
        model = str(made["model"])
        image = _image(case_dir / "case" / "scan.nii.gz", shape=(20, 20, 12))
        commands = [["models", "add", model], ["models", "list"],
                    ["segment", str(image), "-o", str(case_dir / "out" / "seg.nii.gz"), "--model", model,
                     "--device", "cpu"]]
        verbs = ["models add", "models list", "segment"]
        results = run_limited(commands, seconds=SECONDS, env=env)
        shutil.rmtree(home, ignore_errors=True)
    else:
        image = str(made["image"])
        commands = [["info", image], ["convert", image, str(case_dir / "out") + "/"]]
        if index % 3 == 0:
            commands.append(["segment", image, "-o", str(case_dir / "seg" / "seg.nii.gz"), "--device", "cpu"])
        verbs = [c[0] for c in commands]
        results = run_limited(commands, seconds=SECONDS, env=env)
        results += run_limited([["open", image]], seconds=SECONDS, env={
            **env, "LIMITED_CLI_ENTRY": "bench.kinds_fuzz:window_stand_in"})
        verbs.append("window")
    records = []
    for verb, result in zip(verbs, results):
        outcome, detail = _judge(result, case_dir, verb, made)
        records.append({"kind": kind, "attack": name, "verb": verb, "outcome": outcome,
                        "detail": detail[:300], "seconds": round(result["seconds"], 2),
                        "peak_mib": result["peak_rss"] >> 20})
    shutil.rmtree(case_dir, ignore_errors=True)
    return records


BAD = K.BAD | {"lines"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=46)
    parser.add_argument("--cases", type=int, default=120, help="seeded cases drawn (besides the named ones)")
    parser.add_argument("--only", default=None, help="only these kinds (comma-separated)")
    parser.add_argument("--no-named", action="store_true", help="the seeded cases only")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    cases = [] if args.no_named else named_cases()
    cases += [rng.choice(SEEDED)(rng) for _ in range(args.cases)]
    cases = [c for c in cases if args.only is None or c[0] in args.only.split(",")]
    records = K.run_cases(cases, "hostile_campaign_", lambda root, index, kind, name, make: run_case(
        root, index, kind, name, make, args.seed), BAD)
    counts = Counter(r["outcome"] for r in records)
    print(f"seed {args.seed}: {len(cases)} inputs, {len(records)} commands: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    bad = Counter(r["outcome"] for r in records if r["outcome"] in BAD)
    print("BAD: " + (", ".join(f"{k} {v}" for k, v in sorted(bad.items())) or "none"))
    if records:
        slow = max(records, key=lambda r: r["seconds"])
        big = max(records, key=lambda r: r["peak_mib"])
        print(f"slowest {slow['seconds']} s ({slow['kind']}/{slow['attack']} {slow['verb']}), "
              f"largest peak rise {big['peak_mib']} MiB ({big['kind']}/{big['attack']} {big['verb']})")


if __name__ == "__main__":
    main()
