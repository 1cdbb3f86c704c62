"""Seeded random mutation of every reader of a user's files, in-process, one forked child a case.

The other benches walk each header field one at a time (``fuzz_readers.py``) or run named hostile
files through the command line (``kinds_fuzz.py``, ``hostile_campaign.py``); this one stacks 1-5
random mutations a case, drawn from ``--seed`` (a case is ``Random(f"{seed}:{reader}:{n}")``, so
``--seed S --only READER --case N`` makes that case's files again), and calls the reader's own
function in a child forked after the imports (a few ms a case), under an address-space limit of
2 GiB above what the parent had mapped and a processor-time limit of 10 s (``--cpu``); a child
still running after ``--wall`` seconds is killed too. Readers and the function each case runs:

    nifti, niftigz  registry.load of a .nii / .nii.gz: 1-4 header fields at hostile values
                    (dims, pixdim, qform/sform, vox_offset, scl, datatype...), extensions of any
                    size and code, bytes changed, cut or repeated; one in ten with both codes 0
                    and NaN voxel sizes, one in ten its voxels beyond the file's end, one .nii.gz
                    in twenty a gzip bomb (4 GiB declared and held, in 4 MB)
    dicom           registry.load of a 5-file series: 1-5 elements of some files at hostile values
                    (Rows/Columns, negative too, BitsAllocated, transfer syntax, positions, spacing,
                    frames, descriptions naming paths, sequences nested 1-3000 deep, pixel data
                    cut, halved, doubled or tripled, a deflated dataset of garbage), bytes changed
    enhanced        registry.load of an enhanced MR multi-frame file: frames removed or repeated,
                    a frame's position, the shared spacing, and elements as ``dicom``'s
    dicomdir        registry.load of a DICOMDIR and its files: record values, referenced file IDs
                    (``..``, absolute), bytes
    seg             io.seg.load_seg of a DICOM SEG on its series: segment labels, frames, bits,
                    per-frame positions and references, pixel data cut or grown
    card, weights   ai.registry.Registry.add of a model package (``models add``: loaded,
                    checked, copied into the registry, listed): model.json mutated as JSON; the
                    safetensors file's header JSON or bytes
    nnunet          Registry.add of an nnU-Net v2 results folder: dataset.json or plans.json as
                    JSON, or the checkpoint's bytes
    onnx            Registry.add of an ONNX file: its bytes, or its card beside it as JSON
    segjson         app.label_files.read_sidecar of a label map's .segments.json
    measurements    app.measure_memory (drawn-measurements/KEY.json) read and measured on an image
    journal         the segment editor's workspace as a kill left it (journal, base, proposal,
                    workspace.json, segments.json and the small files beside them: bytes, JSON,
                    records sealed again with a valid CRC), opened as the window opens its image
                    (the restore offer; refused: set aside and editing afresh; else Restore), a
                    stroke; bad too: the saved labels file changed, a label map the session never
                    had given back with no line saying what was lost (unless a record's voxels
                    were sealed again: another edit, as valid), a workspace file neither kept nor
                    set aside, an offer whose Restore then fails
    sidecar         a NIfTI's BIDS JSON sidecar: registry.load and the sidecar's own readers
    pacs_servers    pacs/servers.json and credentials.json: load_servers and each server's fields
    study_date      Open follow-up's study date of a mutated DICOM series (its own thread)
    train_marks     a training run's mark and checkpoint state.json, as the window reads them as
                    it opens (cut_short_runs) and Train's Resume does
    settings        15 settings files of the data folder (recent.json, last-dataset.json,
                    saved-labels.json, overlays.json, view-3d.json, pacs/settings.json,
                    digest-secret, carried-keys.json, ...; one in 20 a folder instead): 1-3
                    mutated, each read and used as the window does; bad too: a value of another
                    type than the reader promises
    views           app.view_memory (views.json) read and given back to a ViewerState
    worklist        dataset.worklist.Worklist.open of a CSV worklist and its state JSON, then
                    listing, next case, mark done
    dataset         dataset.store.list_cases, ready_to_look_up and add_case of a training set
                    (its dataset.json mutated as JSON, an image renamed as a hostile case ID)
    pacs_find       io.pacs.find (STUDY and SERIES) against a pynetdicom server of the child's own
                    whose C-FIND answers are mutated datasets
    pacs_get        io.pacs.retrieve (C-GET) of a series whose C-STORE datasets are mutated
                    (UIDs naming paths, another patient, pixel data...), into the case's cache
    repair          dataset.repair of an add killed after its plan of moves: .staging/CASE/ready.json
                    mutated as JSON (a staged file sometimes cut), list_cases, then ``dataset
                    repair``'s settling; bad too: a staged file lost, or a cut one counted
    rank_links      dataset rank's reading of the private link file (sent_from_links)
    commit_intent   read_label_file of a mask whose save was killed between its renames: its
                    .mask.nii.gz.commit mutated as JSON (bad too: the user's notes.txt renamed)
    models_state    models.json (each task's default model, its promotion history): default_ref and
                    history of three tasks
    resume          Train's Resume: a checkpoint's record of its epochs (safetensors metadata or
                    an older state.json) mutated as JSON; saved_plan and load_checkpoint

JSON mutations replace 1-4 values (or keys) by null, booleans, -1, 0, 2^63, NaN, 1e999, "",
10^5 characters, paths leading out (``../../escape``, ``/tmp/fuzz/escape``), [], {}, deep
nesting, or cut the text. Every hostile path names ``escape``: a file of that name anywhere in
the run's folder or under ``/tmp/fuzz/escape`` after a case is a BAD ``escaped``.

Outcomes: ``read`` (no error), ``one line`` (the reader's own error type, one line naming the
file), and BAD: ``trace`` (another exception), ``lines`` (its error in several lines, or lines
printed on stderr: warnings), ``noname`` (the line names no file of the case), ``leak`` (the
patient's name ``ZZSECRET`` in a message or on stderr), ``memory`` (MemoryError or the limit),
``hang`` (processor limit or wall limit), ``crash`` (killed by a signal), ``escaped``. The
patient's name is put where a patient's is (DICOM elements, C-FIND answers, a NIfTI's
description), never into JSON files, whose values a message may quote.
Prints one table (reader x outcome), each BAD case with its command line to make it again.

    nice -n 5 python bench/mutate_readers.py --seed 50 --cases 200 [--only nifti,seg] [--case N]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import gzip
import io
import json
import math
import os
import random
import resource
import shutil
import signal
import struct
import sys
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "io" / "dicom"),
                str(ROOT / "tests" / "ai"), str(ROOT / "tests" / "pacs")]
SECRET = "ZZSECRET"
ESCAPE = "escape"
OUTSIDE = Path("/tmp/fuzz/escape")
BAD = ("trace", "lines", "noname", "leak", "memory", "hang", "crash", "escaped", "garbage")


# --- mutations ---------------------------------------------------------------------------------

INTS = [0, 1, -1, 2, 3, 7, 8, 16, 255, 256, 32767, -32768, 65535, 2 ** 31 - 1, -2 ** 31, 2 ** 32 - 1,
        2 ** 63 - 1, -2 ** 63]
FLOATS = [0.0, -0.0, -1.0, 1e-300, 1e-30, 1e30, 1e38, 3.4e38, float("nan"), float("inf"), -float("inf")]
PATHS = ["../../escape", "../../../../escape", str(OUTSIDE / "x"), "/dev/zero", "a/../../escape", "..",
         ".", "", "escape\x00x", "~/escape"]


def mutate_bytes(data: bytes, rng: random.Random, head: int = 512) -> bytes:
    """1-4 of: a bit flipped, a byte set, an integer of 1-8 bytes written, a cut, a chunk
    inserted, deleted or repeated; most near the start (headers)."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        at = rng.randrange(min(len(data), head)) if rng.random() < 0.7 else rng.randrange(len(data))
        op = rng.choice(("flip", "byte", "int", "cut", "insert", "delete", "repeat"))
        if op == "flip":
            data[at] ^= 1 << rng.randrange(8)
        elif op == "byte":
            data[at] = rng.choice((0, 0xFF, 0x7F, 0x80, rng.randrange(256)))
        elif op == "int":
            size = rng.choice((1, 2, 4, 8))
            value = rng.choice(INTS) % (1 << (8 * size))
            data[at:at + size] = value.to_bytes(size, rng.choice(("little", "big")))
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.choice((1, 4, 64, 4096))))
        elif op == "delete":
            del data[at:at + rng.choice((1, 4, 64, 4096))]
        else:
            chunk = bytes(data[at:at + rng.choice((4, 64, 1024))])
            data[at:at] = chunk * rng.choice((2, 16, 1000))
    return bytes(data)


def hostile_value(rng: random.Random, depth: int = 0):
    pick = rng.randrange(14)
    if depth and pick in (8, 9, 10):   # inside a list or object: one small value
        pick = 13
    if pick == 0:
        return None
    if pick == 1:
        return rng.choice((True, False))
    if pick == 2:
        return rng.choice(INTS)
    if pick == 3:
        return rng.choice(FLOATS)
    if pick == 4:
        return rng.choice(PATHS)
    if pick == 5:
        return rng.choice(("", "x" * 100_000, "<img src=x>", "\u202e\n\x1b[2J"))
    if pick == 6:
        return []
    if pick == 7:
        return {}
    if pick == 8:
        nested = 0
        for _ in range(rng.choice((10, 1000, 100_000))):
            nested = [nested]
        return nested
    if pick == 9:
        return [hostile_value(rng, depth + 1) for _ in range(rng.choice((1, 3, 10_000)))]
    if pick == 10:
        return {rng.choice(PATHS + ["x", "1"]): hostile_value(rng, depth + 1)}
    if pick == 11:
        return [rng.choice(FLOATS) for _ in range(rng.choice((2, 3, 4, 16)))]
    if pick == 12:
        return str(rng.choice(INTS))
    return rng.randrange(-5, 300)


def _nodes(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:50]):
            yield from _nodes(item, path + (index,))


def mutate_json(value, rng: random.Random) -> str:
    """``value`` with 1-4 nodes replaced, deleted or given a hostile key, as text; sometimes cut
    or with its bytes changed."""
    value = copy.deepcopy(value)
    for _ in range(rng.randint(1, 4)):
        try:
            path = rng.choice(list(_nodes(value)))
        except RecursionError:   # a value nested 100,000 deep already: enough
            break
        if not path:
            if rng.random() < 0.2:
                value = hostile_value(rng)
            continue
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        action = rng.random()
        if action < 0.65:
            parent[path[-1]] = hostile_value(rng)
        elif action < 0.8:
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(PATHS + ["__proto__", "x"])] = hostile_value(rng)
        else:
            parent.append(copy.deepcopy(parent[path[-1]]))
    try:
        text = json.dumps(value)
    except (RecursionError, ValueError):
        text = "[" * 100_000 + "]" * 100_000
    if rng.random() < 0.1:
        text = text[:rng.randrange(len(text) + 1)]
    elif rng.random() < 0.1:
        text = mutate_bytes(text.encode(), rng, len(text)).decode("utf-8", "replace")
    return text


# --- templates ----------------------------------------------------------------------------------

def _nifti_template(root: Path) -> bytes:
    import nibabel as nib

    data = (np.random.default_rng(0).integers(0, 1000, (12, 10, 6))).astype(np.int16)
    affine = np.diag([1.5, 1.2, 3.0, 1.0])
    affine[:3, 3] = [-9, -6, -9]
    image = nib.Nifti1Image(data, affine)
    image.header.extensions.append(nib.nifti1.Nifti1Extension(6, b"comment text".ljust(24)))
    path = root / "t.nii"
    nib.save(image, path)
    return path.read_bytes()


def mutate_nifti(data: bytes, rng: random.Random) -> bytes:
    import nibabel as nib

    dtype = nib.nifti1.header_dtype
    header = np.frombuffer(data[:348], dtype)[0].copy()
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(dtype.names)
        field = header[name]
        kind = dtype[name].base
        if kind.kind == "S":
            header[name] = rng.choice((b"", b"\xff\xfe" * 40, b"\n\x1b[2J" + SECRET.encode(), b"n+2\x00"))
            continue
        values = FLOATS if kind.kind == "f" else INTS
        if np.ndim(field):
            index = rng.randrange(len(field))
            field[index] = _clip(rng.choice(values + [rng.randrange(-3, 9)]), kind)
            header[name] = field
        else:
            header[name] = _clip(rng.choice(values + [rng.randrange(-3, 9)]), kind)
    if rng.random() < 0.1:   # no orientation code at all, and NaN voxel sizes
        header["sform_code"] = header["qform_code"] = 0
        pixdim = header["pixdim"]
        for axis in rng.sample((1, 2, 3), rng.randint(1, 3)):
            pixdim[axis] = np.nan
        header["pixdim"] = pixdim
    if rng.random() < 0.1:   # the voxels beyond the end of the file
        header["vox_offset"] = np.float32(len(data) + rng.choice((1, 4096, 1 << 30)))
    out = header.tobytes() + data[348:]
    if rng.random() < 0.25:   # an extension of hostile size and code
        size = rng.choice((0, 8, 15, 16, 24, -16, 2 ** 31 - 8, 4096))
        code = rng.choice((0, 4, 6, 44, 32767, -1))
        ext = struct.pack("<ii", size, code) + b"\x00" * 16
        out = out[:348] + b"\x01\x00\x00\x00" + ext + out[352:]
    if rng.random() < 0.4:
        out = mutate_bytes(out, rng, 400)
    return out


@functools.lru_cache(maxsize=1)
def _zeros_gz() -> bytes:
    """64 MiB of zeros as one gzip member (65 kB): 64 of them inflate to 4 GiB."""
    return gzip.compress(bytes(64 << 20), compresslevel=9, mtime=0)


def _bomb_header(data: bytes) -> bytes:
    """The template's header declaring 2048x2048x512 int16 voxels (4 GiB), with no voxels after."""
    import nibabel as nib

    header = np.frombuffer(data[:348], nib.nifti1.header_dtype)[0].copy()
    header["dim"][:4] = (3, 2048, 2048, 512)
    header["datatype"], header["bitpix"], header["vox_offset"] = 4, 16, 352
    return header.tobytes() + b"\0" * 4


def _clip(value, kind: np.dtype):
    if kind.kind == "f":
        return np.array(value).astype(kind)
    info = np.iinfo(kind)
    return int(value) % (info.max - info.min + 1) + info.min if not info.min <= value <= info.max else value


def _series(folder: Path, n: int = 5) -> Path:
    from raw_series import write_raw_series

    write_raw_series(folder, n=n, PatientID="FUZZ", PatientName=SECRET + "^FUZZ",
                     FrameOfReferenceUID="1.2.826.0.1.3680043.8.498.1", StudyID="1",
                     AccessionNumber="1", StudyDate="20240101", StudyTime="120000")
    return folder


TRANSFER = ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
            "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90",
            "1.2.840.10008.1.2.5", "1.2.3.4", ""]


def _deep(depth: int):
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence

    item = Dataset()
    item.CodeValue = "1"
    for _ in range(depth):
        outer = Dataset()
        outer.ReferencedSeriesSequence = Sequence([item])
        item = outer
    return item.ReferencedSeriesSequence


def dicom_edits(rng: random.Random) -> list[tuple[str, object]]:
    """1-5 (keyword, value) pairs; values of the wrong kind are written as text."""
    choices = {
        "Rows": [0, 1, 2, 65535, 4096, "-5"], "Columns": [0, 1, 65535, 3, "-1"],
        "BitsAllocated": [0, 1, 7, 8, 12, 24, 32, 64, 65535], "BitsStored": [0, 1, 17, 33, 65535],
        "HighBit": [0, 31, 65535], "PixelRepresentation": [0, 1, 2, 65535],
        "SamplesPerPixel": [0, 2, 3, 4, 65535], "PlanarConfiguration": [0, 1, 7],
        "PhotometricInterpretation": ["RGB", "PALETTE COLOR", "YBR_FULL_422", "MONOCHROME1", "", "X" * 16],
        "NumberOfFrames": ["0", "-1", "1000000000", "NaN", "2", "5"],
        "ImagePositionPatient": [["NaN", "0", "0"], ["1e308", "0", "0"], ["0", "0"], ["0", "0", "0"]],
        "ImageOrientationPatient": [["0"] * 6, ["1", "0", "0", "1", "0", "0"], ["1", "0", "0", "0", "1"],
                                    ["NaN", "0", "0", "0", "1", "0"]],
        "PixelSpacing": [["0", "0"], ["-1", "1"], ["1e-300", "1e-300"], ["NaN", "1"], ["1"], ["1e308", "1"]],
        "SliceThickness": ["0", "-5", "NaN", "1e308"], "SpacingBetweenSlices": ["0", "-1", "inf"],
        "RescaleSlope": ["0", "NaN", "1e308", "-1"], "RescaleIntercept": ["NaN", "-1e308", "inf"],
        "WindowCenter": ["NaN", "1e308", ["1", "2", "3"]], "WindowWidth": ["0", "-1", "NaN"],
        "SeriesDescription": PATHS + ["x" * 70_000, SECRET], "ProtocolName": PATHS,
        "SeriesInstanceUID": ["1.2.3/../../escape", "..", "", "1.2.3." + "9" * 64],
        "SOPInstanceUID": ["../../escape", "", "1.2"], "StudyInstanceUID": ["../escape", ""],
        "Modality": ["SEG", "RTSTRUCT", "", "PR", "KO", "SR"], "SeriesNumber": ["-1", "1e20", "x"],
        "InstanceNumber": ["-2147483648", "1e20", "NaN", ""], "FrameOfReferenceUID": ["", "1.2"],
        "TransferSyntaxUID": TRANSFER, "ReferencedSeriesSequence": ["deep"],
        "PixelData": ["cut", "grow", "none", "double", "half"], "DeflatedGarbage": [True],
        "SOPClassUID": ["1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.1.3.10", "1.2.3", ""],
        "AcquisitionTime": ["999999", "x"], "EchoTime": ["NaN", "-1"],
    }
    return [(key, rng.choice(choices[key])) for key in rng.sample(sorted(choices), rng.randint(1, 5))]


def _raw(ds, key: str, value) -> None:
    """``value`` written as it is, as text, where pydicom would refuse it (a NaN in an IS)."""
    from pydicom.datadict import dictionary_VR, tag_for_keyword
    from pydicom.dataelem import RawDataElement

    tag = tag_for_keyword(key)
    text = ("\\".join(value) if isinstance(value, list) else str(value)).encode("latin-1", "replace")
    text += b" " * (len(text) % 2)
    ds[tag] = RawDataElement(tag, dictionary_VR(tag), len(text), text, 0, False, True)


def dcmread_lenient(path: Path, force: bool = False):
    """``path`` read by pydicom to be mutated: writing it back checks no value (hostile ones are
    the point)."""
    import pydicom
    from pydicom import config

    config.settings.writing_validation_mode = config.IGNORE
    return pydicom.dcmread(path, force=force)


def apply_dicom(path: Path, edits, rng: random.Random) -> None:
    ds = dcmread_lenient(path, force=True)
    for key, value in edits:
        if key == "TransferSyntaxUID":
            ds.file_meta.TransferSyntaxUID = value
        elif key == "ReferencedSeriesSequence":
            ds.ReferencedSeriesSequence = _deep(rng.choice((1, 50, 3000)))
        elif key == "PixelData":
            if value == "none":
                with contextlib.suppress(KeyError):
                    del ds[0x7FE00010]
            elif "PixelData" in ds:
                raw = bytes(ds.PixelData)
                ds.PixelData = {"cut": raw[:rng.randrange(len(raw) + 1)], "grow": raw * 3,
                                "double": raw * 2, "half": raw[:len(raw) // 2]}[value]
        elif key != "DeflatedGarbage":
            try:
                setattr(ds, key, value)
            except (TypeError, ValueError, OverflowError):
                _raw(ds, key, value)
    with contextlib.suppress(Exception):   # pydicom refuses some; the file keeps what it had
        buffer = io.BytesIO()
        ds.save_as(buffer, enforce_file_format=False, implicit_vr=None, little_endian=None)
        path.write_bytes(buffer.getvalue())
    if ("DeflatedGarbage", True) in edits:   # the meta header naming deflate, then random bytes
        from pydicom.filewriter import write_file_meta_info

        ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1.99"
        head = io.BytesIO()
        head.write(b"\0" * 128 + b"DICM")
        with contextlib.suppress(Exception):
            write_file_meta_info(head, ds.file_meta, enforce_standard=False)
            path.write_bytes(head.getvalue() + rng.randbytes(rng.choice((0, 1, 100, 5000))))


# --- readers --------------------------------------------------------------------------------------

class Reader:
    """``make(case_dir, rng)`` writes the case's files and returns the names a line about them may
    give (the file or folder names); ``run(case_dir)`` reads them as neuroview does, returning a
    problem (``garbage: ...``) or "". ``refuses``: whether the reader may refuse the file with
    neuroview's own error (else any exception is BAD)."""
    refuses = True

    def __init__(self, templates: Path):
        self.templates = templates

    def prepare(self) -> None:
        pass


def _error_types():
    from neuroview.core.errors import NeuroviewError

    return (NeuroviewError,)


class Nifti(Reader):
    suffix = ".nii"

    def prepare(self):
        self.template = _nifti_template(self.templates)
        if self.suffix.endswith(".gz"):
            _zeros_gz()   # made once, before the forks

    def make(self, case, rng):
        data = mutate_nifti(self.template, rng)
        path = case / f"head{self.suffix}"
        if self.suffix.endswith(".gz") and rng.random() < 0.05:   # a bomb: 4 GiB declared, held
            data = gzip.compress(_bomb_header(self.template), mtime=0) + _zeros_gz() * 64
        elif self.suffix.endswith(".gz"):
            data = gzip.compress(data, mtime=0)
            if rng.random() < 0.2:
                data = mutate_bytes(data, rng, 64)
        path.write_bytes(data)
        return [path.name]

    def run(self, case):
        from neuroview.io.registry import load

        volume = load(str(case / f"head{self.suffix}"))
        return _geometry_bad(volume)


class NiftiGz(Nifti):
    suffix = ".nii.gz"


def _geometry_bad(volume) -> str:
    affine = np.asarray(volume.ijk_to_ras, float)
    if not np.all(np.isfinite(affine)) or abs(np.linalg.det(affine[:3, :3])) < 1e-12:
        return "garbage: affine not finite or singular"
    return ""


class Dicom(Reader):
    def prepare(self):
        self.source = _series(self.templates / "dicom")

    def make(self, case, rng):
        folder = case / "study"
        shutil.copytree(self.source, folder)
        files = sorted(folder.iterdir())
        for path in rng.sample(files, rng.randint(1, len(files))):
            apply_dicom(path, dicom_edits(rng), rng)
        if rng.random() < 0.25:
            path = rng.choice(files)
            path.write_bytes(mutate_bytes(path.read_bytes(), rng, 1024))
        return ["study"] + [p.name for p in files]

    def run(self, case):
        from neuroview.io.registry import load

        return _geometry_bad(load(str(case / "study")))


class Enhanced(Reader):
    """An enhanced MR multi-frame file (12 frames): its elements as ``dicom``'s, and its frames'
    functional groups (a frame's position, orientation or spacing; frames removed or repeated)."""

    def prepare(self):
        import kinds_fuzz

        self.source = kinds_fuzz._enhanced(self.templates / "enhanced")

    def make(self, case, rng):
        path = case / "enhanced.dcm"
        ds = dcmread_lenient(self.source)
        frames = ds.PerFrameFunctionalGroupsSequence
        for _ in range(rng.randint(0, 3)):
            pick = rng.randrange(4)
            if pick == 0 and len(frames) > 1:
                del frames[rng.randrange(len(frames))]
            elif pick == 1:
                frames.append(copy.deepcopy(frames[rng.randrange(len(frames))]))
            elif pick == 2:
                with contextlib.suppress(Exception):
                    group = rng.choice(list(frames)).PlanePositionSequence[0]
                    group.ImagePositionPatient = rng.choice((["NaN", "0", "0"], ["1e308", "0", "0"], ["0"]))
            else:
                with contextlib.suppress(Exception):
                    shared = ds.SharedFunctionalGroupsSequence[0]
                    measures = shared.PixelMeasuresSequence[0]
                    setattr(measures, rng.choice(("PixelSpacing", "SliceThickness")),
                            rng.choice((["0", "0"], ["NaN", "1"], "0", "-1", ["1e-300", "1"])))
        buffer = io.BytesIO()
        ds.save_as(buffer, enforce_file_format=False)
        path.write_bytes(buffer.getvalue())
        apply_dicom(path, dicom_edits(rng)[:rng.randint(0, 3)], rng)
        if rng.random() < 0.2:
            path.write_bytes(mutate_bytes(path.read_bytes(), rng, 4096))
        return [path.name]

    def run(self, case):
        from neuroview.io.registry import load

        return _geometry_bad(load(str(case / "enhanced.dcm")))


class Dicomdir(Reader):
    def prepare(self):
        from pydicom import dcmread
        from pydicom.fileset import FileSet

        series = _series(self.templates / "dd-src", 3)
        fs = FileSet()
        for path in sorted(series.iterdir()):
            fs.add(dcmread(path))
        fs.write(self.templates / "media")

    def make(self, case, rng):
        shutil.copytree(self.templates / "media", case / "media")
        path = case / "media" / "DICOMDIR"
        ds = dcmread_lenient(path)
        records = list(ds.DirectoryRecordSequence)
        for _ in range(rng.randint(1, 3)):
            record = rng.choice(records)
            key = rng.choice(("ReferencedFileID", "OffsetOfTheNextDirectoryRecord",
                              "OffsetOfReferencedLowerLevelDirectoryEntity", "DirectoryRecordType",
                              "ReferencedSOPInstanceUIDInFile", "SeriesDescription"))
            value = {"ReferencedFileID": [["..", "..", ESCAPE], ["/tmp", "fuzz", ESCAPE], ["DICOMDIR"], [""]],
                     "OffsetOfTheNextDirectoryRecord": [0, 1, 2 ** 32 - 1, 132],
                     "OffsetOfReferencedLowerLevelDirectoryEntity": [0, 1, 2 ** 32 - 1, 132],
                     "DirectoryRecordType": ["IMAGE", "SERIES", "", "PRIVATE"],
                     "ReferencedSOPInstanceUIDInFile": ["", "1.2"],
                     "SeriesDescription": PATHS}[key]
            with contextlib.suppress(Exception):
                setattr(record, key, rng.choice(value))
        with contextlib.suppress(Exception):
            ds.save_as(path, enforce_file_format=False)
        if rng.random() < 0.3:
            path.write_bytes(mutate_bytes(path.read_bytes(), rng, 2048))
        return ["media", "DICOMDIR"]

    def run(self, case):
        from neuroview.io.registry import load

        return _geometry_bad(load(str(case / "media" / "DICOMDIR")))


class Seg(Reader):
    def prepare(self):
        import kinds_fuzz

        self.seg = kinds_fuzz._seg(self.templates / "seg")

    def make(self, case, rng):
        path = case / "seg.dcm"
        ds = dcmread_lenient(self.seg)
        for _ in range(rng.randint(1, 4)):
            pick = rng.randrange(9)
            if pick == 0:
                segment = rng.choice(list(ds.SegmentSequence))
                key = rng.choice(("SegmentLabel", "SegmentNumber", "SegmentDescription"))
                value = rng.choice(PATHS + ["x" * 70_000, "0", "65535", "-1", SECRET])
                with contextlib.suppress(Exception):
                    setattr(segment, key, int(value) if key == "SegmentNumber" and value.lstrip("-").isdigit()
                            else value)
            elif pick == 1:
                ds.NumberOfFrames = rng.choice(("0", "1", "1000000", "NaN", "-1"))
            elif pick == 2:
                setattr(ds, rng.choice(("Rows", "Columns")), rng.choice((0, 1, 65535)))
            elif pick == 3:
                ds.BitsAllocated = rng.choice((0, 8, 16, 64))
            elif pick == 4:
                ds.SegmentationType = rng.choice(("FRACTIONAL", "LABELMAP", "", "X"))
            elif pick == 5:
                frames = ds.PerFrameFunctionalGroupsSequence
                if len(frames) and rng.random() < 0.5:
                    del frames[rng.randrange(len(frames))]
                elif len(frames):
                    frames.append(copy.deepcopy(frames[rng.randrange(len(frames))]))
            elif pick == 6:
                frame = rng.choice(list(ds.PerFrameFunctionalGroupsSequence))
                with contextlib.suppress(Exception):
                    frame.PlanePositionSequence[0].ImagePositionPatient = rng.choice(
                        (["NaN", "0", "0"], ["1e308", "0", "0"], ["0"]))
            elif pick == 7:
                frame = rng.choice(list(ds.PerFrameFunctionalGroupsSequence))
                with contextlib.suppress(Exception):
                    frame.SegmentIdentificationSequence[0].ReferencedSegmentNumber = rng.choice((0, 9, 65535))
            else:
                raw = bytes(ds.PixelData)
                ds.PixelData = raw[:rng.randrange(len(raw) + 1)] if rng.random() < 0.5 else raw * 2
        with contextlib.suppress(Exception):
            ds.save_as(path, enforce_file_format=False)
        if not path.exists():
            shutil.copy(self.seg, path)
        if rng.random() < 0.2:
            path.write_bytes(mutate_bytes(path.read_bytes(), rng, 4096))
        return [path.name]

    def run(self, case):
        from neuroview.io.registry import load
        from neuroview.io.seg import load_seg

        volume = load(str(self.seg.parent / "series"))
        labels = load_seg(case / "seg.dcm", volume)
        return "" if np.asarray(labels.array).shape[:3] == tuple(volume.shape[:3]) else "garbage: shape"


class Package(Reader):
    def prepare(self):
        from folder_fuzz import make_package

        with contextlib.redirect_stdout(io.StringIO()):
            self.package = make_package(self.templates / "package")
        self.card = json.loads((self.package / "model.json").read_text())
        self.weights = self.card.get("weights_file", "weights.safetensors")

    def make(self, case, rng):
        folder = case / "pkg"
        shutil.copytree(self.package, folder)
        if isinstance(self, Weights):
            path = folder / self.weights
            data = path.read_bytes()
            size = struct.unpack("<Q", data[:8])[0]
            if rng.random() < 0.6:
                header = mutate_json(json.loads(data[8:8 + size]), rng).encode()
                if rng.random() < 0.8:
                    header = header.ljust(size)
                data = struct.pack("<Q", len(header)) + header + data[8 + size:]
            else:
                data = mutate_bytes(data, rng, size + 8)
            path.write_bytes(data)
            return ["pkg", self.weights]
        (folder / "model.json").write_text(mutate_json(self.card, rng))
        return ["pkg", "model.json"]

    def run(self, case):
        return _add_model(case, case / "pkg")


def _add_model(case: Path, source: Path) -> str:
    """``models add`` as the command runs it: loaded, checked, copied into the case's registry,
    then listed."""
    from neuroview.ai.registry import Registry

    registry = Registry(home=case / "home")
    entry = registry.add(source)
    if not Path(entry.path).resolve().is_relative_to((case / "home" / "models").resolve()):
        return f"escaped: model installed at {entry.path}"
    registry.entries()
    return ""


class Weights(Package):
    pass


class Nnunet(Reader):
    """An nnU-Net v2 results folder: its dataset.json or plans.json mutated as JSON, or its
    checkpoint's bytes."""

    def prepare(self):
        from folder_fuzz import make_nnunet

        self.folder = make_nnunet(self.templates / "nnunet")
        self.root = self.folder.parents[1]

    def make(self, case, rng):
        shutil.copytree(self.root, case / "nn", symlinks=True)
        folder = case / "nn" / self.folder.relative_to(self.root)
        name = rng.choice(("dataset.json", "plans.json", "fold_0/checkpoint_final.pth"))
        path = folder / name
        if name.endswith(".json"):
            path.write_text(mutate_json(json.loads(path.read_text()), rng))
        elif path.exists():
            path.write_bytes(mutate_bytes(path.read_bytes(), rng, 4096))
        return [folder.name, Path(name).name, "nn", self.folder.parent.name, "fold_0"]

    def run(self, case):
        folder = case / "nn" / self.folder.relative_to(self.root)
        return _add_model(case, folder)


class Onnx(Reader):
    """An ONNX model file and its card (as other tools write one): the file's bytes, or its card
    as JSON."""

    def prepare(self):
        from onnx_graphs import conv_model

        self.model = conv_model(self.templates / "onnx")

    def make(self, case, rng):
        shutil.copytree(self.model.parent, case / "onnx")
        model, card = case / "onnx" / "model.onnx", case / "onnx" / "model.onnx.json"
        if rng.random() < 0.6:
            model.write_bytes(mutate_bytes(model.read_bytes(), rng, 1024))
        else:
            card.write_text(mutate_json(json.loads(card.read_text()), rng))
        return ["model.onnx", "model.onnx.json", "onnx"]

    def run(self, case):
        return _add_model(case, case / "onnx" / "model.onnx")


class SegJson(Reader):
    def prepare(self):
        from kinds_fuzz import SEGMENT

        self.value = [SEGMENT, {**SEGMENT, "value": 2, "name": "edema", "color": [1, 2, 3]}]

    def make(self, case, rng):
        (case / "mask.segments.json").write_text(mutate_json(self.value, rng))
        return ["mask.segments.json", "mask"]

    def run(self, case):
        from neuroview.app.label_files import read_sidecar

        read_sidecar(case / "mask.segments.json")
        return ""


def _small_volume():
    from neuroview.core.volume import Volume

    data = np.random.default_rng(0).normal(100, 20, (20, 22, 18)).astype(np.float32)
    return Volume(data, np.diag([1.0, 1.0, 1.5, 1.0]))


class Memory(Reader):
    """A file in the user's data folder, read as the window reads it: anything it cannot use is
    said in a note and left out, so any error at all is BAD."""
    refuses = False

    def prepare(self):
        self.volume = _small_volume()
        self.key = "k" * 40


class Measurements(Memory):
    def prepare(self):
        super().prepare()
        self.record = [
            {"kind": "ruler", "plane": "axial", "points": [[1, 2, 3], [5, 6, 3]]},
            {"kind": "angle", "plane": "coronal", "points": [[1, 2, 3], [5, 6, 3], [5, 9, 3]]},
            {"kind": "ellipse", "plane": "axial", "points": [[3, 3, 6], [9, 9, 6]],
             "axes": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "thickness_mm": 1.5},
            {"kind": "rectangle", "plane": "sagittal", "points": [[3, 3, 6], [3, 9, 12]],
             "axes": [[0, 1, 0], [0, 0, 1], [1, 0, 0]], "thickness_mm": 1.0}]

    def make(self, case, rng):
        folder = case / "home" / "drawn-measurements"
        folder.mkdir(parents=True)
        (folder / f"{self.key}.json").write_text(mutate_json(self.record, rng))
        return [f"{self.key}.json"]

    def run(self, case):
        from neuroview.app.measure_memory import measurements_from, remembered_measurements

        record = remembered_measurements(self.key)
        if record is not None:
            items, problems = measurements_from(record, self.volume)
            for item in items:
                str(item.value_text)
        return ""


class Views(Memory):
    def make(self, case, rng):
        from neuroview.app.view_memory import view_record
        from neuroview.app.view_state import ViewerState

        state = ViewerState(self.volume.shape[:3], self.volume.ijk_to_ras, 200.0, 100.0)
        record = view_record(state, ([0, 0, 300], [0, 0, 0], [0, 1, 0], 50.0, 30.0))
        (case / "home").mkdir()
        (case / "home" / "views.json").write_text(mutate_json({self.key: record}, rng))
        return ["views.json"]

    def run(self, case):
        from neuroview.app.view_memory import give_back, remembered_view
        from neuroview.app.view_state import ViewerState

        state = ViewerState(self.volume.shape[:3], self.volume.ijk_to_ras, 200.0, 100.0)
        camera = give_back(state, remembered_view(self.key))
        numbers = [*state.crosshair_ras, state.window, state.level]
        if not all(math.isfinite(float(v)) for v in numbers):
            return "garbage: a view given back NaN or infinity"
        if camera is not None and not all(np.all(np.isfinite(np.asarray(part, float))) for part in camera):
            return "garbage: camera not finite"
        return ""


class Settings(Memory):
    """The settings files in the user's data folder that the window reads as it starts or opens an
    image (``core.settings_file``: recent files, the last training set, the last save folder, the
    labels saved for an image, overlays, the follow-up's choice and marks, the 3D view's choice,
    the PACS cache bound and reader name, trusted model code, a model's measurements): 1-3 of them
    mutated as JSON or bytes, each then read and used as the window uses it. A file it cannot use
    is said in one line naming it (``say_broken``) and kept aside; any exception is BAD, and so is a
    value of another type than the reader promises (a window's dialog takes it as it is)."""

    def prepare(self):
        super().prepare()
        from types import SimpleNamespace

        from neuroview.ai.consent import trust
        from neuroview.ai.measurements import MeasurementStore
        from neuroview.app.followup_chosen import remember_chosen, remember_marks
        from neuroview.app.kept_keys import kept_for
        from neuroview.app.last_dataset import remember_dataset
        from neuroview.app.overlay_memory import remember_overlay
        from neuroview.app.reader_name import remember_reader
        from neuroview.app.save_folder import remember_folder
        from neuroview.app.saved_labels import remember_saved_labels
        from neuroview.app.series_digest import series_digest
        from neuroview.app.view3d_choice import View3DChoice, remember_3d_choice
        from neuroview.app.view_memory import remembered_view
        from neuroview.app.viewer_recent import RecentFiles
        from neuroview.io.pacs.cache import set_cache_limit_gb
        from neuroview.paths import user_data_dir

        self.four_d = SimpleNamespace(array=np.zeros((2, 2, 2, 2)), workspace_key=lambda: "k4" * 20,
                                      first_time_point_key=lambda: "k1" * 20)
        home = self.templates / "settings-home"
        data = self.templates / "settings-data"
        data.mkdir(parents=True)
        os.environ["NEUROVIEW_HOME"] = str(home)
        image = data / "brain.nii.gz"
        image.write_bytes(b"x")
        (data / "brain_labels.nii.gz").write_bytes(b"x")
        self.image_volume = SimpleNamespace(source_path=str(image), source_metadata={},
                                            array=np.zeros((2, 3, 4)), ijk_to_ras=np.eye(4))
        RecentFiles().add([data / "brain.nii.gz"], series="s", description="T1")
        RecentFiles().add([data / "a.dcm", data / "b.dcm"])
        remember_overlay("k", {"path": str(image), "series": "", "aligned": False, "window": 100.0,
                               "level": 50.0, "opacity": 0.5, "colours": "hot", "visible": True,
                               "frame": 0})
        remember_dataset(data / "Dataset001_x", "ana")
        remember_folder(data / "x.nii.gz")
        remember_saved_labels(self.image_volume, data / "brain_labels.nii.gz")
        remember_chosen({"fields": {"baseline": str(image), "followup": str(image)}, "register": True})
        remember_marks("m", [{"kind": "lesion", "label": 1, "note": "x"}])
        remember_3d_choice(View3DChoice("MR default", True))
        set_cache_limit_gb(3)
        remember_reader("Dr Who")
        trusted = data / "code.py"
        trusted.write_text("x = 1\n")
        with contextlib.suppress(Exception):
            trust(trusted)
        MeasurementStore(user_data_dir()).put("k", "m@1", [0.5], {})
        series_digest("1.2.3")   # makes digest-secret
        kept_for(self.four_d, remembered_view, lambda key, record: None)   # carried-keys.json
        self.files = sorted(str(p.relative_to(home)) for p in home.rglob("*")
                            if p.is_file() and not p.name.startswith(".")
                            and (p.suffix in (".json", ".txt") or p.name == "digest-secret"))
        self.home = home

    def make(self, case, rng):
        shutil.copytree(self.home, case / "home")
        for name in rng.sample(self.files, rng.randint(1, min(3, len(self.files)))):
            path = case / "home" / name
            data = path.read_bytes()
            if path.suffix == ".json" and rng.random() < 0.8:
                data = mutate_json(json.loads(data), rng).encode()
            elif path.name == "digest-secret" and rng.random() < 0.6:
                data = rng.choice([data[:rng.randrange(len(data))], data * rng.randint(2, 5000),
                                   b"g" * 64, data.upper(), b"\xff" * 64, b"", b"\n" * 10,
                                   data.strip() + b" " + data])
            else:
                data = mutate_bytes(data, rng)
            if rng.random() < 0.05:   # a folder where the file was
                path.unlink()
                path.mkdir()
            else:
                path.write_bytes(data)
        return list(self.files) + [Path(n).name for n in self.files]

    def run(self, case):
        from neuroview.ai.consent import trusted_digests
        from neuroview.ai.measurements import MeasurementStore
        from neuroview.app.followup_chosen import chosen_last, saved_marks
        from neuroview.app.followup_marks import Marks
        from neuroview.app.kept_keys import kept_for
        from neuroview.app.last_dataset import remembered_dataset
        from neuroview.app.overlay_memory import remembered_overlay, settings_back
        from neuroview.app.reader_name import remembered_reader
        from neuroview.app.save_folder import remembered_folder
        from neuroview.app.saved_labels import saved_labels_for
        from neuroview.app.series_digest import series_digest
        from neuroview.app.view3d_choice import remembered_3d_choice
        from neuroview.app.view_memory import remembered_view
        from neuroview.app.viewer_recent import RecentFiles, recent_labels
        from neuroview.core.settings_file import listen
        from neuroview.io.pacs.cache import cache_limit_gb
        from neuroview.paths import user_data_dir

        said = []
        listen(said.append)
        wrong = []
        entries = RecentFiles().entries()
        recent_labels(entries)
        for entry in entries:
            entry.tooltip()
            if not all(isinstance(p, str) for p in entry.paths):
                wrong.append("recent.json: a path not text")
        record = remembered_overlay("k")
        if record is not None:
            from types import SimpleNamespace

            layer = SimpleNamespace(window=1.0, level=0.0, opacity=1.0, colours="grey", visible=True,
                                    frame=0, volume=SimpleNamespace(n_frames=1))
            settings_back(layer, record)
        dataset = remembered_dataset()
        if not all(isinstance(dataset.get(k, ""), str) for k in ("dataset", "annotator")):
            wrong.append(f"last-dataset.json: a folder or annotator not text ({str(dataset)[:80]})")
        folder = remembered_folder()
        if folder is not None and not isinstance(folder, Path):
            wrong.append("last-save-folder.json: not a folder")
        labels = saved_labels_for(self.image_volume)
        if labels is not None and not isinstance(labels, str):
            wrong.append("saved-labels.json: a labels file not text")
        chosen_last()
        Marks.from_json(saved_marks("m"))
        choice = remembered_3d_choice(["MR default", "CT bone"])
        if choice.preset not in (None, "MR default", "CT bone"):
            wrong.append("view-3d.json: an unknown preset")
        limit = cache_limit_gb()
        if not (isinstance(limit, float) and math.isfinite(limit) and limit > 0):
            wrong.append(f"pacs/settings.json: a cache bound of {limit!r} GB")
        if not isinstance(remembered_reader(), str):
            wrong.append("pacs/reader.txt: a reader not text")
        trusted_digests()
        MeasurementStore(user_data_dir()).get("k")
        digest = series_digest("1.2.3")
        if not (len(digest) == 32 and all(c in "0123456789abcdef" for c in digest)):
            wrong.append(f"digest-secret: a digest {digest[:40]!r}")
        if series_digest("1.2.3") != digest:
            wrong.append("digest-secret: another digest of the same series at the next read")
        kept_for(self.four_d, remembered_view, lambda key, record: None)
        listen(None)
        if wrong:
            return f"garbage: {wrong[0]}"
        judged = [_judge_error(line, self.files + [Path(n).name for n in self.files]) for line in said]
        return next((j for j in judged if not j.startswith("one line")), judged[0] if judged else "")


class Sidecar(Reader):
    """A NIfTI and its JSON sidecar (dcm2niix's ``-b y``, BIDS: Modality, SeriesDescription,
    BodyPartExamined, ImageType...), the sidecar mutated as JSON or bytes, read as an image opens
    (``registry.load``) and by the sidecar's own readers (the modality, body part, an ADC map,
    the name from the description)."""

    def prepare(self):
        self.template = _nifti_template(self.templates)
        self.fields = {"Modality": "MR", "SeriesDescription": "t1_mprage_sag", "BodyPartExamined": "HEAD",
                       "ImageType": ["ORIGINAL", "PRIMARY", "M", "ND"], "EchoTime": 0.00246,
                       "RepetitionTime": 2.3, "ProtocolName": "t1_mprage", "SeriesNumber": 3,
                       "ConversionSoftware": "dcm2niix"}

    def make(self, case, rng):
        (case / "head.nii").write_bytes(self.template)
        text = mutate_json(self.fields, rng)
        (case / "head.json").write_bytes(mutate_bytes(text.encode(), rng) if rng.random() < 0.2
                                         else text.encode())
        return ["head.nii", "head.json"]

    def run(self, case):
        from neuroview.io.nifti_sidecar import (
            named_by_description,
            sidecar_body_part,
            sidecar_modality,
            sidecar_names_adc,
        )
        from neuroview.io.registry import load

        path = str(case / "head.nii")
        modality, warning = sidecar_modality(path)
        if warning:
            judged = _judge_error(warning, ["head.json"])
            if not judged.startswith("one line"):
                return judged
        sidecar_body_part(path)
        sidecar_names_adc(path)
        named_by_description(path)
        return _geometry_bad(load(path))


class PacsServers(Reader):
    """The PACS server list and its credentials in the data folder (``pacs/servers.json``,
    ``pacs/credentials.json``), mutated as JSON or bytes: ``load_servers`` (the PACS dialog, every
    ``neuroview pacs`` command) and each server's fields as a connection takes them."""

    def prepare(self):
        from neuroview.io.pacs.config import ServerConfig, save_server

        self.root = self.templates / "pacs"
        save_server(ServerConfig("main", host="127.0.0.1", port=11112, called_aet="ORTHANC",
                                 username="ana", password="pw"), self.root)
        save_server(ServerConfig("web", url="https://pacs.example.org/dicom-web"), self.root)

    def make(self, case, rng):
        shutil.copytree(self.root, case / "pacs")
        for name in rng.sample(["servers.json", "credentials.json"], rng.randint(1, 2)):
            path = case / "pacs" / name
            text = mutate_json(json.loads(path.read_text()), rng)
            path.write_bytes(mutate_bytes(text.encode(), rng) if rng.random() < 0.2 else text.encode())
        return ["servers.json", "credentials.json", "pacs"]

    def run(self, case):
        from neuroview.io.pacs.config import load_servers, public_url

        for config in load_servers(case / "pacs").values():
            public_url(config.url)
            for value, kind in ((config.port, int), (config.timeout, (int, float)), (config.host, str),
                                (config.called_aet, str), (config.url, str)):
                if not isinstance(value, kind) or isinstance(value, bool):
                    return f"garbage: server {config.name[:40]!r} given a {type(value).__name__} field"
        return ""


class StudyDate(Dicom):
    """*Open follow-up*'s study date of a typed DICOM folder (``io.dicom.study_date``, on a
    thread of its own): a series mutated as ``dicom``'s; any exception is BAD (it ended the
    lookup's thread)."""
    refuses = False

    def run(self, case):
        from neuroview.io.dicom.study_date import study_date

        date = study_date(str(case / "study"))
        return "" if date == "" or (len(date) == 8 and date.isdigit()) else f"garbage: date {date!r}"


class TrainMarks(Memory):
    """A training run's mark in the models folder (``.training-REF.json``) and its checkpoint's
    ``state.json``, mutated as JSON: read as the window reads them as it opens (``cut_short_runs``:
    the notice of a run cut short) and as *Train*'s Resume does; any exception is BAD (the window
    did not open)."""

    def prepare(self):
        super().prepare()
        self.mark = {"ref": "lesions@1.0.0", "started": "2026-12-07T10:00:00", "epochs": 40,
                     "pid": 1, "pid_started": 0.0}
        self.state = {"epoch": 3, "base": {"ref": "base@1.0.0", "given": "/data/base"},
                      "history": {"plan": {"epochs": 40, "iterations": 12}, "best_epoch": 0,
                                  "trained_best": {"epoch": 2}, "best": {"epoch": 0},
                                  "trained": {"epoch": 2}}}

    def make(self, case, rng):
        models = case / "models"
        (models / "lesions@1.0.0.checkpoint").mkdir(parents=True)
        mark, state = self.mark, self.state
        if rng.random() < 0.5:
            mark = mutate_json(mark, rng)
        else:
            state = mutate_json(state, rng)
        for path, value in ((models / ".training-lesions@1.0.0.json", mark),
                            (models / "lesions@1.0.0.checkpoint" / "state.json", state)):
            path.write_text(value if isinstance(value, str) else json.dumps(value))
        return [".training-lesions@1.0.0.json", "state.json"]

    def run(self, case):
        from neuroview.app.train_marker import (
            checkpoint_epoch,
            checkpoint_plan,
            cut_short_runs,
            started_from,
            trained_epoch,
        )

        models, folder = case / "models", case / "models" / "lesions@1.0.0.checkpoint"
        checkpoint_epoch(models, "lesions@1.0.0")
        checkpoint_plan(models, "lesions@1.0.0")
        trained_epoch(folder)
        started_from(folder)
        for _ref, line in cut_short_runs(models):
            if "\n" in line:
                return "lines: " + line[:300]
        return ""


class WorklistReader(Reader):
    def prepare(self):
        from kinds_fuzz import _worklist_image

        from neuroview.dataset.worklist import Worklist

        base = self.templates / "worklist"
        for name in ("a", "b", "c"):
            _worklist_image(base / name / "scan.nii.gz")
        (base / "list.csv").write_text("path\na/scan.nii.gz\nb/scan.nii.gz\nc/scan.nii.gz\n")
        os.environ["NEUROVIEW_HOME"] = str(self.templates / "wl-home")
        worklist = Worklist.open(base / "list.csv", user="ana")
        first = worklist.next_case()
        worklist.mark_done(first.case_id, note="fine")
        worklist.next_case()
        worklist.save()
        self.state_name = worklist.state_path.name
        self.state = json.loads(worklist.state_path.read_text())
        worklist.leave()

    def make(self, case, rng):
        shutil.copytree(self.templates / "worklist", case / "wl")
        (case / "wl" / self.state_name).write_text(mutate_json(self.state, rng))
        return ["wl", "list.csv", self.state_name]

    def run(self, case):
        from neuroview.dataset.worklist import Worklist

        worklist = Worklist.open(case / "wl" / "list.csv", user="ana")
        worklist.listing()
        worklist.next_case()
        if worklist.current:
            worklist.mark_done(worklist.current, note="x")
        worklist.leave()
        return ""


class Dataset(Reader):
    template = "ds"   # each reader its own (a run of several would make it twice)

    def prepare(self):
        from folder_fuzz import make_dataset

        with contextlib.redirect_stdout(io.StringIO()):
            self.dataset = make_dataset(self.templates / self.template,
                                        self.templates / f"{self.template}-home")
        self.value = json.loads((self.dataset / "dataset.json").read_text())

    def make(self, case, rng):
        folder = case / self.dataset.name
        shutil.copytree(self.dataset, folder)
        (folder / "dataset.json").write_text(mutate_json(self.value, rng))
        if rng.random() < 0.3:   # a case's files renamed as a hostile case ID
            images = sorted((folder / "imagesTr").glob("*"))
            if images:
                victim = rng.choice(images)
                victim.rename(victim.with_name(rng.choice(("..nii.gz", "x\nSECRET_0000.nii.gz",
                                                           "case_0000.nii.gz.nii.gz", " _0000.nii.gz"))))
        return [folder.name, "dataset.json"]

    def run(self, case):
        from neuroview.dataset.store import add_case, list_cases, ready_to_look_up

        folder = next(p for p in case.iterdir() if p.is_dir() and p.name.startswith("Dataset"))
        list_cases(folder)
        ready_to_look_up(folder)
        from neuroview.core.labels import LabelMap
        from neuroview.io.nifti import load_nifti

        image = load_nifti(self.dataset.parent / "img2.nii.gz")
        mask = load_nifti(self.dataset.parent / "mask.nii.gz")
        labels = LabelMap(np.asarray(mask.array, np.uint8), mask.ijk_to_ras)
        labels.segments.add("lesion", value=1)
        add_case(folder, image, labels)   # as Send to training set writes: inside the folder only
        return ""


class Repair(Dataset):
    """``dataset list`` after an ``add`` killed once its plan of moves was written: the last case's
    files back in ``.staging/CASE/`` (one of them sometimes cut short) and its ``ready.json``
    mutated as JSON (moves to ``../../escape`` included); repair_dataset and list_cases as
    ``list`` runs them, then as ``dataset repair`` settles a damaged plan. Bad too: a staged file
    neither in place nor in ``incomplete/`` with its bytes, or a cut one counted in place."""
    template = "ds-repair"

    def make(self, case, rng):
        folder = case / self.dataset.name
        shutil.copytree(self.dataset, folder)
        last = sorted(p.name[:-len(".json")] for p in (folder / "provenance").glob("*.json"))[-1]
        staged = folder / ".staging" / last
        staged.mkdir(parents=True)
        moves = [[p.name, f"{sub}/{p.name}"] for sub in ("imagesTr", "labelsTr", "provenance")
                 for p in sorted((folder / sub).glob(f"{last}*"))]
        for source, target in moves:
            os.replace(folder / target, staged / source)
        if rng.random() < 0.25:   # a bad sector in a staged file too
            cut = staged / rng.choice(moves)[0]
            trailer = 8 if cut.name.endswith(".gz") else 0   # cut in its trailer alone, all voxels read
            cut.write_bytes(cut.read_bytes()[:rng.randrange(cut.stat().st_size - trailer)])
            (case / "cut").write_text(cut.name)
        plan = {"moves": moves, "labels": self.value["labels"]}
        (staged / "ready.json").write_text(mutate_json(plan, rng))
        return [folder.name, "ready.json"]

    def run(self, case):
        from neuroview.dataset.repair import repair_dataset
        from neuroview.dataset.store import list_cases

        folder = next(p for p in case.iterdir() if p.is_dir() and p.name.startswith("Dataset"))
        staged = next((folder / ".staging").iterdir())
        before = {p.name: p.read_bytes() for p in staged.iterdir() if p.name != "ready.json"}
        repair_dataset(folder)
        list_cases(folder)
        repair_dataset(folder, settle_damaged=True)
        list_cases(folder)
        cut = (case / "cut").read_text() if (case / "cut").exists() else ""
        for name, data in before.items():
            sub = ("provenance" if name.endswith(".json") else
                   "imagesTr" if name.count("_") == 2 else "labelsTr")
            placed = folder / sub / name
            if placed.exists() and name == cut and placed.read_bytes() == data:
                return f"garbage: the cut {name} counted in place"
            aside = [p for p in folder.glob(f"incomplete/*/{name}") if p.read_bytes() == data]
            if not (placed.exists() and placed.read_bytes() == data) and not aside:
                return f"garbage: staged {name} lost"
        return ""


class RankLinks(Dataset):
    """``dataset rank``'s reading of the user's private link file (source file -> training case),
    mutated as JSON: dataset.links.sent_from_links, as rank calls it."""
    template = "ds-links"

    def make(self, case, rng):
        (links,) = (self.templates / f"{self.template}-home" / "private-links").glob("*.json")
        (case / "home" / "private-links").mkdir(parents=True)
        (case / "home" / "private-links" / links.name).write_text(
            mutate_json(json.loads(links.read_text()), rng))
        shutil.copytree(self.dataset, case / self.dataset.name)
        return [links.name, "private link file"]

    def run(self, case):
        from neuroview.dataset.layout import read_dataset
        from neuroview.dataset.links import default_links_path, sent_from_links

        sent_from_links(default_links_path(read_dataset(case / self.dataset.name)))
        return ""


class CommitIntent(Reader):
    """File > Load labels of a label map whose save was killed between its renames: the intent
    (``.mask.nii.gz.commit``) mutated as JSON, its temporaries there; read_label_file completes
    it or leaves it. Bad too: any file of the folder but the mask's pair changed."""

    def prepare(self):
        from neuroview.app.label_files import save_label_files
        from neuroview.core import commit
        from neuroview.core.labels import LabelMap

        folder = self.templates / "intent"
        folder.mkdir(parents=True)
        array = np.zeros((8, 8, 8), np.uint8)
        array[2:5, 2:5, 2:5] = 1
        labels = LabelMap(array, np.eye(4))
        labels.segments.add("lesion", value=1)
        target = folder / "mask.nii.gz"
        save_label_files(labels, np.eye(4), target)
        (folder / "notes.txt").write_text("the user's notes")
        temps = [commit.temporary_for(target), commit.temporary_for(folder / "mask.segments.json")]
        for temp, real in zip(temps, (target, folder / "mask.segments.json")):
            temp.write_bytes(real.read_bytes())
        self.intent = [[temps[0].name, "mask.nii.gz"], [temps[1].name, "mask.segments.json"]]

    def make(self, case, rng):
        shutil.copytree(self.templates / "intent", case / "labels")
        (case / "labels" / ".mask.nii.gz.commit").write_text(mutate_json(self.intent, rng))
        return ["mask.nii.gz", "mask.segments.json", ".mask.nii.gz.commit"]

    def run(self, case):
        from neuroview.app.label_files import read_label_file

        notes = case / "labels" / "notes.txt"
        before = notes.read_bytes()
        read_label_file(case / "labels" / "mask.nii.gz")
        if not notes.exists() or notes.read_bytes() != before:
            return "escaped: the intent renamed the user's notes.txt"
        return ""


class Resume(Reader):
    """*Train*'s Resume (``--resume``) of a checkpoint whose record of its epochs (the weights'
    safetensors metadata, or an older checkpoint's state.json) is mutated as JSON: the plan kept
    (saved_plan) and load_checkpoint into a small network."""

    def prepare(self):
        import torch

        from neuroview.ai.checkpoint import save_checkpoint
        from neuroview.ai.networks import build_network

        self.hyper = {"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2}
        torch.manual_seed(0)
        network = build_network("unet3d", self.hyper)
        folder = self.templates / "resume" / "mine@1.0.0.checkpoint"
        history = {"epochs": [{"epoch": 1}], "best_epoch": 1, "best_dice": 0.1, "iterations": 1,
                   "seconds": 1.0, "world_size": 1, "plan": {"patch": [16, 16, 16]}}
        save_checkpoint(folder, network, torch.optim.AdamW(network.parameters()), 1, history,
                        network.state_dict(), "split1")
        self.meta = {"epoch": 1, "history": history, "split": "split1"}

    def make(self, case, rng):
        from safetensors.torch import load_file, save_file

        shutil.copytree(self.templates / "resume", case / "models")
        folder = case / "models" / "mine@1.0.0.checkpoint"
        text = mutate_json(self.meta, rng)
        older = rng.random() < 0.3
        save_file(load_file(str(folder / "state.safetensors")), str(folder / "state.safetensors"),
                  metadata=None if older else {"neuroview": text})
        (folder / "state.json").write_text(text)
        return ["mine@1.0.0.checkpoint"]

    def run(self, case):
        import torch

        from neuroview.ai.checkpoint import load_checkpoint, saved_plan
        from neuroview.ai.networks import build_network

        saved_plan(case / "models" / "mine@1.0.0")
        network = build_network("unet3d", self.hyper)
        load_checkpoint(case / "models" / "mine@1.0.0.checkpoint", network,
                        torch.optim.AdamW(network.parameters()), "split1")
        return ""


# --- the segment editor's crash journal, and the settings files read at start --------------------

JOURNAL_HEAD = struct.Struct("<4sII")


def _journal_records(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each intact record of a crash journal (``core.journal_records``' framing:
    magic, payload length, CRC-32 of the payload)."""
    import zlib

    found, pos = [], 0
    while pos + JOURNAL_HEAD.size <= len(data):
        magic, length, crc = JOURNAL_HEAD.unpack_from(data, pos)
        end = pos + JOURNAL_HEAD.size + length
        payload = data[pos + JOURNAL_HEAD.size:end]
        if not magic.startswith(b"NVJ") or end > len(data) or zlib.crc32(payload) != crc:
            break
        found.append((pos, end))
        pos = end
    return found


def reseal_record(data: bytes, rng: random.Random) -> tuple[bytes, bool]:
    """One record of a journal changed and sealed with a valid CRC (what no torn write makes):
    its header JSON mutated, or the bytes after it (the step's voxels); and whether those voxels
    were (then the step is another edit, as valid as the one written: a label map the session
    never had is no fault)."""
    import zlib

    records = _journal_records(data)
    if not records:
        return mutate_bytes(data, rng), False
    start, end = rng.choice(records)
    payload = data[start + JOURNAL_HEAD.size:end]
    (head_len,) = struct.unpack_from("<I", payload)
    try:
        head = json.loads(payload[4:4 + head_len])
    except ValueError:
        head = None
    voxels = head is None or rng.random() >= 0.6
    if not voxels:
        text = mutate_json(head, rng).encode()
        payload = struct.pack("<I", len(text)) + text + payload[4 + head_len:]
    else:
        payload = payload[:4 + head_len] + mutate_bytes(payload[4 + head_len:], rng, 64)
    magic = data[start:start + 4] if rng.random() < 0.9 else rng.choice((b"NVJ3", b"NVJ0", b"\0\0\0\0"))
    record = JOURNAL_HEAD.pack(magic, len(payload), zlib.crc32(payload)) + payload
    return data[:start] + record + data[end:], voxels


class JournalReader(Reader):
    """The segment editor's workspace as a crash left it (strokes, an undo and redo, *Save
    labels* to ``mask.nii.gz``, more strokes, a compaction, a model's result, then killed), opened
    as the window opens its image (``ui.actions_open``: the restore offer, an unreadable workspace
    set aside and editing started afresh, else *Restore*), then one stroke and the case closed.
    Bad besides an exception: the saved labels file changed or gone, a label map the session never
    had given back without a line saying what was not restored, a workspace file gone (neither in
    the workspace, its ``damaged-*`` copy, nor the folder set aside), an offer whose *Restore*
    then fails (the image left without editing)."""

    def prepare(self):
        from neuroview.app.case import Case
        from neuroview.app.session import Session
        from neuroview.io import load
        from neuroview.io.nifti import save_nifti

        work = self.templates / "journal"
        work.mkdir(parents=True)
        rng = np.random.default_rng(0)
        image = work / "img.nii.gz"
        save_nifti(rng.normal(100, 20, (20, 22, 18)).astype(np.float32), np.diag([1.0, 1.0, 1.5, 1.0]), image)
        volume, ws = load(image), work / "ws"
        self.states = set()
        session = Session(volume, ws)
        lesion = session.segments.add("lesion")
        self.states.add(_digest(session.labels.array))
        for k in range(10):
            at = tuple(float(v) for v in volume.ijk_to_ras @ np.array([3 + k, 4 + k, 3 + k % 9, 1.0]))[:3]
            session.apply("paint", at_ras=at, radius_mm=2.5, mode="3d", segment=lesion)
            if k == 2:
                session.undo()
                self.states.add(_digest(session.labels.array))
                session.redo()
            if k == 4:
                session.save_labels(work / "mask.nii.gz")   # compacts: a base, a new generation
                session.segments.add("edema")
            self.states.add(_digest(session.labels.array))
        session.close()
        case = Case.open(volume, ws)   # a model's result too: the workspace's proposal.npz
        model = np.zeros(volume.shape, np.uint8)
        model[10:14, 10:14, 8:12] = 1
        case.apply_model_result(model, {1: "lesion"}, model="m@1.0.0")
        self.states.add(_digest(case.labels.array))
        case.session.journal.close()   # killed: the journal stays
        from neuroview.app import workspace_lock

        workspace_lock.release(ws)
        self.work = work

    def make(self, case, rng):
        for name in ("img.nii.gz", "mask.nii.gz", "mask.segments.json"):
            shutil.copy(self.work / name, case / name)
        ws = case / "ws"
        shutil.copytree(self.work / "ws", ws, ignore=shutil.ignore_patterns("*.lock", "lock*"))
        files = sorted(p for p in ws.iterdir() if p.is_file())
        self.forged = False
        for _ in range(rng.randint(1, 4)):
            path = rng.choice(files)
            data = path.read_bytes()
            if path.suffix == ".json":
                try:
                    data = mutate_json(json.loads(data), rng).encode()
                except (ValueError, RecursionError):   # mutated before: cut or nested deep
                    data = mutate_bytes(data, rng)
            elif path.name.startswith("journal-") and rng.random() < 0.6:
                data, voxels = reseal_record(data, rng)
                self.forged = self.forged or voxels
            else:
                data = mutate_bytes(data, rng, max(len(data), 1) if path.name.startswith("journal-") else 512)
            path.write_bytes(data)
        self.before = {p.name for p in files}
        return ["ws", "workspace", *(p.name for p in files)]

    def run(self, case):
        from neuroview.app.case import Case, set_aside
        from neuroview.app.restore_offer import has_workspace, restore_offer, take_offer
        from neuroview.core.errors import NeuroviewError
        from neuroview.io import load

        saved = (case / "mask.nii.gz").read_bytes()
        volume = load(str(case / "img.nii.gz"))
        ws = case / "ws"
        refused = None
        offer = None
        if has_workspace(ws):
            try:
                offer = restore_offer(volume, ws)
            except NeuroviewError as exc:   # the window: the red bar, the workspace set aside
                refused = exc
                set_aside(ws)
        if offer is not None:
            try:
                opened = take_offer(volume, ws, offer)
            except NeuroviewError as exc:
                return f"garbage: offered {offer.restorable.records} records, then Restore failed: {exc}"
        else:
            opened = Case.open(volume, ws, restore=True)
        try:
            session = opened.session
            told = session.restore_notice
            problem = ""
            if _digest(session.labels.array) not in self.states and not told and not self.forged:
                problem = "garbage: a label map the session never had, and no line said so"
            elif told and "\n" in told.strip():
                problem = "lines: " + told[:300]
            centre = volume.ijk_to_ras @ np.append((np.array(volume.shape[:3]) - 1) / 2, 1.0)
            session.apply("paint", at_ras=tuple(centre[:3]), radius_mm=2.0, mode="3d",
                          segment=session.segments.add("fuzz stroke"))
        finally:
            opened.close()
        if not (case / "mask.nii.gz").exists() or (case / "mask.nii.gz").read_bytes() != saved:
            return "garbage: the saved labels file changed"
        places = [ws, *case.glob("ws.discarded-*")]
        places += [kept for place in list(places) for kept in place.glob("damaged-*")]
        gone = [n for n in self.before if not any(os.path.lexists(place / n) for place in places)]
        if gone:
            return f"garbage: workspace files lost: {gone[:3]}"
        if refused is not None:   # judged as a refusal's one line
            raise refused
        return problem


def _digest(array) -> str:
    import hashlib

    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:16]


# --- PACS: a server of the child's own ----------------------------------------------------------

STUDY_UID = "1.2.826.0.1.3680043.8.498.50"
SERIES_UID = STUDY_UID + ".1"


def _answer(level: str, number: int):
    from pydicom.dataset import Dataset as DicomDataset

    answer = DicomDataset()
    answer.QueryRetrieveLevel = level
    answer.PatientName, answer.PatientID = SECRET + "^FUZZ", "FUZZ"
    answer.StudyInstanceUID, answer.StudyDate, answer.StudyDescription = STUDY_UID, "20240101", "head"
    answer.ModalitiesInStudy = "CT"
    if level == "SERIES":
        answer.SeriesInstanceUID = f"{SERIES_UID}.{number}" if number else SERIES_UID
        answer.SeriesNumber, answer.SeriesDescription, answer.Modality = str(number + 1), "axial", "CT"
        answer.NumberOfSeriesRelatedInstances = "3"
    else:
        answer.NumberOfStudyRelatedSeries, answer.NumberOfStudyRelatedInstances = "2", "6"
    return answer


def mutate_dataset(ds, rng: random.Random) -> None:
    from pydicom.datadict import dictionary_VR, tag_for_keyword

    keys = ["PatientName", "PatientID", "StudyInstanceUID", "SeriesInstanceUID", "StudyDate",
            "StudyDescription", "SeriesDescription", "SeriesNumber", "Modality", "ModalitiesInStudy",
            "NumberOfSeriesRelatedInstances", "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances",
            "QueryRetrieveLevel", "SpecificCharacterSet", "SOPInstanceUID", "SOPClassUID", "StudyTime",
            "PatientBirthDate", "InstanceNumber"]
    for _ in range(rng.randint(1, 4)):
        key = rng.choice(keys)
        value = rng.choice(PATHS + ["", "x" * 70_000, "-1", "1e20", "NaN", "2147483648", "ISO_IR 192",
                                    "GB18030", "\\\\", "1.2.3", "19000101-", "\xff\xfe"])
        if rng.random() < 0.2:
            with contextlib.suppress(KeyError):
                del ds[tag_for_keyword(key)]
            continue
        try:
            ds.add_new(tag_for_keyword(key), rng.choice((dictionary_VR(tag_for_keyword(key)), "UN", "LO")),
                       value)
        except (TypeError, ValueError, OverflowError):
            _raw(ds, key, value)


class PacsFind(Reader):

    def make(self, case, rng):
        seeds = {"seed": rng.randrange(2 ** 32)}
        (case / "pacs.json").write_text(json.dumps(seeds))
        return ["FUZZPACS", "fuzz"]

    def _server(self, case, on_get=None):
        from fake_qr import start_qr_scp

        from neuroview.io.pacs import ServerConfig, save_server

        rng = random.Random(json.loads((case / "pacs.json").read_text())["seed"])

        def on_find(event):
            level = str(event.identifier.QueryRetrieveLevel)
            for number in range(rng.choice((1, 2, 3, 50))):
                answer = _answer(level, number)
                if rng.random() < (0.2 if on_get else 0.6):
                    mutate_dataset(answer, rng)
                yield rng.choice((0xFF00, 0xFF00, 0xFF01)), answer
            if rng.random() < 0.1:   # the search ends in a failure, or answers after its end
                yield rng.choice((0xA700, 0xC000, 0x0001, 0x0000)), None

        server, port = start_qr_scp("FUZZPACS", on_find, on_get, None)
        save_server(ServerConfig(name="fuzz", host="127.0.0.1", port=port, called_aet="FUZZPACS",
                                 calling_aet="NEUROVIEW", timeout=5))
        return server, rng

    def run(self, case):
        from neuroview.io.pacs import PacsError, find, get_server

        server, _ = self._server(case)
        try:
            config = get_server("fuzz")
            for level, query in (("STUDY", {"PatientName": "*"}),
                                 ("SERIES", {"StudyInstanceUID": STUDY_UID})):
                try:
                    matches = find(config, level, **query)
                except PacsError as error:
                    return _judge_error(error, ["FUZZPACS", "fuzz", "127.0.0.1"])
                json.dumps(list(matches), default=str)
            return ""
        finally:
            server.shutdown()


class PacsGet(PacsFind):
    def run(self, case):
        from pydicom import dcmread
        from pydicom.data import get_testdata_file

        from neuroview.io.pacs import PacsError, SeriesCache, get_server, retrieve

        def on_get(event):
            yield 3
            failing = rng.random() < 0.1
            for number in range(3):   # pydicom's CT, as tests/pacs's servers send it
                ds = dcmread(get_testdata_file("CT_small.dcm"))
                ds.StudyInstanceUID, ds.SeriesInstanceUID = STUDY_UID, SERIES_UID
                ds.SOPInstanceUID = f"{SERIES_UID}.{number + 1}"
                ds.PatientName, ds.PatientID = SECRET + "^FUZZ", "FUZZ"
                if rng.random() < 0.5:
                    mutate_dataset(ds, rng)
                yield (rng.choice((0xB000, 0xA702)) if failing else 0xFF00), ds

        server, rng = self._server(case, on_get)
        try:
            config = get_server("fuzz")
            cache = SeriesCache(case / "cache")
            try:
                folder = retrieve(config, STUDY_UID, SERIES_UID, cache)
            except PacsError as error:
                return _judge_error(error, ["FUZZPACS", "fuzz", "127.0.0.1"])
            if Path(folder).resolve().parent != (case / "cache").resolve():
                return f"escaped: series folder {folder}"
            return ""
        finally:
            server.shutdown()


class ModelsState(Reader):
    """``models.json`` (each task's default model and its promotion history), mutated as JSON or
    bytes, read as ``models list`` and the window's Segment read it: the default, the history,
    promoting the bundled model over it."""

    def make(self, case, rng):
        state = {"defaults": {"lesion": "lesionseg@2.5.1", "brain": "brainseg@1.0"},
                 "history": {"lesion": ["lesionseg@2.5.0", "lesionseg@2.5.1"]}}
        (case / "home").mkdir()
        text = mutate_json(state, rng).encode() if rng.random() < 0.8 else \
            mutate_bytes(json.dumps(state).encode(), rng)
        (case / "home" / "models.json").write_bytes(text)
        return ["models.json"]

    def run(self, case):
        from neuroview.ai.registry import Registry

        registry = Registry(case / "home")
        for task in ("lesion", "brain", "other"):
            default = registry.default_ref(task)
            history = registry.history(task)
            if default is not None and not isinstance(default, str):
                return f"garbage: a default of type {type(default).__name__}"
            if not all(isinstance(ref, str) for ref in history):
                return "garbage: a history entry not text"
        return ""


READERS = {"nifti": Nifti, "niftigz": NiftiGz, "dicom": Dicom, "enhanced": Enhanced,
           "dicomdir": Dicomdir, "seg": Seg,
           "card": Package, "weights": Weights, "nnunet": Nnunet, "onnx": Onnx, "segjson": SegJson,
           "measurements": Measurements,
           "journal": JournalReader, "settings": Settings, "sidecar": Sidecar,
           "pacs_servers": PacsServers, "study_date": StudyDate, "train_marks": TrainMarks,
           "views": Views, "worklist": WorklistReader, "dataset": Dataset, "pacs_find": PacsFind,
           "pacs_get": PacsGet, "repair": Repair, "rank_links": RankLinks,
           "commit_intent": CommitIntent, "resume": Resume, "models_state": ModelsState}


# --- judging --------------------------------------------------------------------------------------

class _Judged(Exception):
    pass


def _judge_error(error, names) -> str:
    text = str(error)
    if SECRET in text:
        return "leak: " + text[:300]
    if "\n" in text.strip():
        return "lines: " + text[:300]
    if not any(name in text for name in names):
        return "noname: " + text[:300]
    return "one line: " + text[:300]


def _limit(cpu: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    mapped = _mapped_bytes()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + (2 << 30), mapped + (2 << 30)))


def child(reader: Reader, case: Path, names: list[str]) -> dict:
    """What the reader made of the case: runs in the forked child."""
    import logging

    class Kept(logging.Handler):   # what would go into a log: searched for the patient's name
        def emit(self, record):
            with contextlib.suppress(Exception):
                logged.append(self.format(record))

    logged = []
    logging.getLogger().addHandler(Kept(logging.DEBUG))
    logging.getLogger().setLevel(logging.DEBUG)
    os.environ["NEUROVIEW_HOME"] = str(case / "home")
    result = _outcome(reader, case, names)
    leaked = [line for line in logged if SECRET in line]
    if leaked and result["outcome"] not in BAD:
        return {"outcome": "leak", "detail": "log: " + leaked[0][:300]}
    return result


def _outcome(reader: Reader, case: Path, names: list[str]) -> dict:
    try:
        problem = reader.run(case)
        return {"outcome": problem.split(":")[0] if problem else "read", "detail": problem}
    except MemoryError:
        return {"outcome": "memory", "detail": "MemoryError"}
    except RecursionError:
        return {"outcome": "trace", "detail": "RecursionError " + _where()}
    except Exception as error:   # noqa: BLE001 - the bench's whole point: anything else is BAD
        if reader.refuses and isinstance(error, _error_types()):
            judged = _judge_error(error, names)
            return {"outcome": judged.split(":")[0], "detail": judged}
        return {"outcome": "trace", "detail": f"{type(error).__name__}: {str(error)[:200]} {_where()}"}


def _where() -> str:
    frames = traceback.extract_tb(sys.exc_info()[2])
    own = [f for f in frames if "/neuroview/" in f.filename] or frames
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in own[-3:])


def _mapped_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def run_case(reader: Reader, root: Path, name: str, index: int, seed: int, cpu: int, wall: float) -> dict:
    case = root / f"{name}-{index:05d}"
    case.mkdir(parents=True)
    result_file = case / "result.json"
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:   # the child
        code = 0
        try:
            out = os.open(case / "stderr.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(out, 1)
            os.dup2(out, 2)
            _limit(cpu)
            with warnings.catch_warnings():   # made in the child too: under its limits
                warnings.simplefilter("ignore")
                names = reader.make(case, random.Random(f"{seed}:{name}:{index}"))
            (case / "made").touch()
            result = child(reader, case, names)
            result_file.write_text(json.dumps(result))
        except BaseException:   # noqa: BLE001
            traceback.print_exc()
            code = 3
        finally:
            os._exit(code)
    status = None
    while time.monotonic() - started < wall:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.02)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return _finish(case, {"outcome": "hang", "detail": f"still running after {wall:.0f} s wall"},
                       time.monotonic() - started)
    seconds = time.monotonic() - started
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        outcome = "hang" if sig == signal.SIGXCPU else "crash"
        return _finish(case, {"outcome": outcome, "detail": f"signal {signal.Signals(sig).name}"}, seconds)
    if not (case / "made").exists():
        made = (case / "stderr.txt").read_text(errors="replace")[-300:]
        return _finish(case, {"outcome": "unmade", "detail": f"the bench's own failure: {made}"}, seconds)
    if not result_file.exists():
        detail = f"exit {os.WEXITSTATUS(status)} without a result"
        return _finish(case, {"outcome": "crash", "detail": detail}, seconds)
    return _finish(case, json.loads(result_file.read_text()), seconds)


def _finish(case: Path, result: dict, seconds: float) -> dict:
    stderr = (case / "stderr.txt").read_text(errors="replace") if (case / "stderr.txt").exists() else ""
    if result["outcome"] == "unmade":
        stderr = ""
    if SECRET in stderr and result["outcome"] not in BAD:
        result = {"outcome": "leak", "detail": "stderr: " + stderr[:300]}
    noise = [line for line in stderr.splitlines() if line.strip() and not line.startswith("neuroview: ")]
    if noise and result["outcome"] not in BAD:   # a note of neuroview's own is one line naming the file
        detail = f"{len(noise)} lines on stderr: " + " | ".join(noise[:3])[:300]
        result = {"outcome": "lines", "detail": detail}
    escaped = [str(p) for p in case.rglob(f"*{ESCAPE}*")] + [str(p) for p in case.parent.glob(f"{ESCAPE}*")]
    if OUTSIDE.exists():
        escaped.append(str(OUTSIDE))
    if escaped:
        result = {"outcome": "escaped", "detail": ", ".join(escaped[:3])}
        for path in [OUTSIDE, *case.parent.glob(f"{ESCAPE}*")]:   # the next case starts clean: one
            if path.is_dir() and not path.is_symlink():           # escape counted every later case
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists() or path.is_symlink():
                path.unlink(missing_ok=True)
    result["seconds"] = round(seconds, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=50)
    parser.add_argument("--cases", type=int, default=100, help="cases per reader")
    parser.add_argument("--only", default="", help="readers, comma-separated: " + ",".join(READERS))
    parser.add_argument("--case", type=int, default=None, help="only this case number (to make it again)")
    parser.add_argument("--cpu", type=int, default=10, help="processor seconds a case")
    parser.add_argument("--wall", type=float, default=90.0, help="wall seconds a case")
    parser.add_argument("--root", default="/tmp/fuzz/mutate")
    parser.add_argument("--keep", action="store_true", help="keep every case's folder (BAD ones are kept)")
    parser.add_argument("--json", default="", help="write every result here")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(READERS)
    root = Path(args.root)
    shutil.rmtree(root, ignore_errors=True)
    (root / "templates").mkdir(parents=True)
    os.environ["NEUROVIEW_HOME"] = str(root / "templates" / "home")
    warnings.simplefilter("default")
    warnings.filterwarnings("ignore", category=ResourceWarning)   # the bench's own temporary folders
    import neuroview.io.registry  # noqa: F401 - imported once, before the forks
    from neuroview.cli.dicom_warnings import install

    install()   # as the neuroview command and the window do: pydicom's warnings name no value
    table, bad = {}, []
    started = time.time()
    for name in names:
        reader = READERS[name](root / "templates")
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader.prepare()
        counts = Counter()
        indices = [args.case] if args.case is not None else range(args.cases)
        for index in indices:
            result = run_case(reader, root / "cases", name, index, args.seed, args.cpu, args.wall)
            counts[result["outcome"]] += 1
            case = root / "cases" / f"{name}-{index:05d}"
            if result["outcome"] == "unmade":
                print(f"unmade {name} case {index}: {result['detail'][-200:]}", flush=True)
            if result["outcome"] in BAD:
                bad.append((name, index, result))
                print(f"BAD {name} case {index}: {result['outcome']} {result['detail'][:400]} "
                      f"({result['seconds']} s)", flush=True)
            elif not args.keep:
                shutil.rmtree(case, ignore_errors=True)
        table[name] = counts
        print(f"{name}: {dict(counts)}", flush=True)
    print(f"\n{'reader':14s} {'cases':>6s} {'read':>6s} {'one line':>9s} {'BAD':>5s}")
    for name, counts in table.items():
        print(f"{name:14s} {sum(counts.values()):6d} {counts['read']:6d} {counts['one line']:9d} "
              f"{sum(counts[b] for b in BAD):5d}")
    print(f"{len(bad)} BAD, {time.time() - started:.0f} s; make one again: python bench/mutate_readers.py "
          f"--seed {args.seed} --only READER --case N --keep")
    if args.json:
        Path(args.json).write_text(json.dumps({"table": table, "bad": bad}, indent=1))


if __name__ == "__main__":
    main()
