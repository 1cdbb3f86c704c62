"""Random damage to real files through ``neuroview info`` and ``neuroview convert``.

``bench/dicom_hostile.py`` applies a fixed list of damages; this one draws them at random (bytes
overwritten anywhere or in the header, a 4-byte value replaced by 0, 2^31 or 2^32-1, a span of the
file's own bytes inserted, the file cut short) on pydicom's test files (DICOM of every transfer
syntax pydicom ships), nibabel's (NIfTI-1, NIfTI-2, gzipped, MGZ; gzipped files are damaged
inside the stream and compressed again) and two NRRD files written from one of them (raw, gzip:
damaged as written, header or stream). Each command runs as a user runs it, under a 4 GiB
address-space limit and a 30 s alarm (``tests/io/limited_cli.py``). Outcomes:

    ok     refused in one line naming the file (exit 1)
    read   exit 0 (the damage hit bytes the reader does not need, or pixel values)
    BAD    a traceback, an internal error, a time-out, over 256 MiB of resident memory, or an
           error line that does not name the file

Lines that external decoders print on stderr themselves (pylibjpeg-rle's Rust panic message,
OpenJPEG's) are counted apart, not as BAD: neuroview's own line is the last.

    nice -n 5 python bench/input_fuzz.py [--cases 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
from tests.io.limited_cli import run_limited  # noqa: E402

MAX_PEAK = 256 << 20


def sources() -> list[Path]:
    import warnings

    import pydicom.data
    from nibabel.testing import data_path

    with warnings.catch_warnings():  # the files pydicom would download are not there offline
        warnings.simplefilter("ignore")
        found = pydicom.data.get_testdata_files("*")
    dicom = sorted(Path(f) for f in found if f.endswith(".dcm"))
    nifti = [Path(data_path) / name for name in (
        "anatomical.nii", "example4d.nii.gz", "example_nifti2.nii.gz", "functional.nii",
        "standard.nii.gz", "test.mgz")]
    return dicom + nifti


def nrrd_sources(folder: Path) -> list[Path]:
    """nibabel's ``anatomical.nii`` written as NRRD by pynrrd, raw and gzip (pynrrd ships no
    sample files)."""
    import nibabel as nib
    import nrrd
    from nibabel.testing import data_path

    image = nib.load(Path(data_path) / "anatomical.nii")
    array = np.asarray(image.dataobj)
    header = {"space": "right-anterior-superior", "space directions": image.affine[:3, :3].T,
              "space origin": image.affine[:3, 3]}
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for encoding in ("raw", "gzip"):
        path = folder / f"anatomical_{encoding}.nrrd"
        nrrd.write(str(path), array, dict(header, encoding=encoding))
        paths.append(path)
    return paths


def damage(data: bytes, rng: random.Random, header: int) -> tuple[str, bytes]:
    """One random damage; ``header``: where the format's header ends (DICOM: a guess)."""
    b = bytearray(data)
    kind = rng.choice(["cut", "bytes", "header_bytes", "value", "insert"])
    if kind == "cut":
        return kind, bytes(b[:rng.randrange(0, len(b))])
    if kind == "bytes":
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == "header_bytes":
        for _ in range(rng.randint(1, 5)):
            b[rng.randrange(0, min(len(b), header))] = rng.randrange(256)
    elif kind == "value":
        at = rng.randrange(0, max(1, min(len(b), header) - 4))
        b[at:at + 4] = rng.choice([b"\xff\xff\xff\xff", b"\x00\x00\x00\x80", b"\x00\x00\x00\x00"])
    else:
        at, source = rng.randrange(len(b)), rng.randrange(len(b))
        b = b[:at] + b[source:source + rng.randint(1, 1000)] + b[at:]
    return kind, bytes(b)


def verdict(path: Path, result: dict) -> tuple[str, int]:
    """(outcome, lines on stderr that are not neuroview's own)."""
    lines = result["stderr"].strip().splitlines()
    ours = [line for line in lines if line.startswith("neuroview:")]
    # a decoder's own lines (a Rust panic) also come above a command that ends well
    foreign = sum(not line.startswith("neuroview") for line in lines)
    if result["rc"] in ("timeout", "traceback"):
        return f"BAD {result['rc']}: {(lines or ['?'])[-1][:160]}", 0
    if result["peak_rss"] > MAX_PEAK:
        return f"BAD resident peak +{result['peak_rss'] >> 20} MiB", 0
    if result["rc"] == 0:
        return "read", foreign
    if len(ours) != 1 or lines[-1] != ours[0]:
        return f"BAD {len(lines)} lines: {' / '.join(lines)[:200]}", 0
    if "internal error" in ours[0] or str(path) not in ours[0]:
        return f"BAD line: {ours[0][:200]}", 0
    return "ok", foreign


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="input-fuzz-"))
    files = sources() + nrrd_sources(work / "sources")
    cases = []
    for k in range(args.cases):
        source = rng.choice(files)
        data = source.read_bytes()
        zipped = data[:2] == b"\x1f\x8b"
        if zipped:
            data = gzip.decompress(data)
        header = {".dcm": 2000, ".nrrd": 400}.get(source.suffix,
                                                   540 if "nifti2" in source.name else 352)
        kind, data = damage(data, rng, header)
        path = work / f"{k:04d}" / source.name
        path.parent.mkdir()
        path.write_bytes(gzip.compress(data) if zipped else data)
        cases.append((f"{source.name} {kind}", path))
    commands = []
    for _, path in cases:
        commands += [["info", str(path)], ["convert", str(path), str(path.parent / "out")]]
    results = []  # in batches: the commands travel to the child on its command line
    for start in range(0, len(commands), 200):
        results += run_limited(commands[start:start + 200], seconds=30)
    tally, foreign = Counter(), 0
    for index, (label, path) in enumerate(cases):
        for verb, result in (("info", results[2 * index]), ("convert", results[2 * index + 1])):
            line, extra = verdict(path, result)
            tally[line.split()[0]] += 1
            foreign += extra
            if line.startswith("BAD") or extra:
                print(f"{label:<48} {verb:<8} {line} ({extra} foreign stderr line(s))", flush=True)
    print(f"tally: {dict(sorted(tally.items()))} of {2 * len(cases)} commands on {len(cases)} "
          f"randomly damaged files (seed {args.seed}) from {len(files)} sample files; "
          f"{foreign} lines printed by external decoders beside neuroview's own")
    return 0


if __name__ == "__main__":
    sys.exit(main())
