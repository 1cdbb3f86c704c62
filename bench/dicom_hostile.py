"""Damaged copies of real DICOM files through ``neuroview info`` and ``neuroview convert``.

For each sample file, ``tests/io/dicom/damage.py`` writes copies cut short (preamble, meta header,
Rows, a sequence, the pixel element's header, the pixel data's first, middle and last byte), with
length fields of 0xFFFFFFF0, absurd Rows/Columns/BitsAllocated/NumberOfFrames and a transfer
syntax that lies. Each command runs as a user runs it, under a 4 GiB address-space limit and a
30 s alarm (``tests/io/limited_cli.py``). One line per damaged file and verb:

    ok         refused in one line naming the file (exit 1)
    recovered  exit 0, and the voxels are those of the undamaged file (convert only)
    BAD        anything else: a traceback, an internal error, several lines, a time-out, over
               256 MiB of resident memory, or exit 0 with other voxels than the undamaged file

    nice -n 5 python bench/dicom_hostile.py
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from collections import Counter
from pathlib import Path

import nibabel as nib
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "io" / "dicom")]
from damage import damaged_copies  # noqa: E402

from tests.io.limited_cli import run_limited  # noqa: E402

MAX_PEAK = 256 << 20
SAMPLES = ["CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "emri_small.dcm",
           "693_J2KR.dcm", "eCT_Supplemental.dcm", "SC_rgb_rle.dcm", "nicom:0.dcm",
           "nicom:philips_mprage.dcm.gz"]


def sample_path(name: str, folder: Path) -> Path:
    from pydicom.data import get_testdata_file

    if not name.startswith("nicom:"):
        return Path(get_testdata_file(name))
    source = Path(nib.__file__).parent / "nicom" / "tests" / "data" / name[6:]
    target = folder / source.name.removesuffix(".gz")
    data = source.read_bytes()
    target.write_bytes(gzip.decompress(data) if source.suffix == ".gz" else data)
    return target


def verdict(path: Path, result: dict, out: Path | None, reference) -> str:
    lines = result["stderr"].strip().splitlines()
    if result["rc"] in ("timeout", "traceback"):
        return f"BAD {result['rc']}: {(lines or ['?'])[-1][:160]}"
    if result["peak_rss"] > MAX_PEAK:
        return f"BAD resident peak +{result['peak_rss'] >> 20} MiB"
    if result["rc"] == 0:
        if out is None:
            return "recovered"  # info listed the file: convert says whether the voxels hold
        written = sorted(out.glob("*.nii*"))
        if len(written) == 1 and reference is not None:
            image = nib.load(written[0])
            if (image.shape == reference.shape and np.allclose(image.affine, reference.affine)
                    and np.array_equal(image.get_fdata(), reference.get_fdata())):
                return "recovered"
        return f"BAD exit 0 with other voxels ({len(written)} file(s) written)"
    if len(lines) != 1:
        return f"BAD {len(lines)} lines: {' / '.join(lines)[:200]}"
    if "internal error" in lines[0] or str(path) not in lines[0]:
        return f"BAD line: {lines[0][:200]}"
    return f"ok {lines[0].replace(str(path), 'FILE')[18:][:150]}"


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="dicom-hostile-"))
    cases = []
    for name in SAMPLES:
        source = sample_path(name, work)
        folder = work / source.stem
        clean = run_limited([["convert", str(source), str(folder / "clean.nii")]])[0]
        reference = nib.load(folder / "clean.nii") if clean["rc"] == 0 else None
        for damage, path in damaged_copies(source, folder).items():
            cases.append((f"{source.name} {damage}", path, folder / damage, reference))
    commands = []
    for _, path, out, _ in cases:
        commands += [["info", str(path)], ["convert", str(path), str(out)]]
    results = run_limited(commands, seconds=30)
    tally = Counter()
    for index, (label, path, out, reference) in enumerate(cases):
        for verb, result, target in (("info", results[2 * index], None),
                                     ("convert", results[2 * index + 1], out)):
            line = verdict(path, result, target, reference)
            tally[line.split()[0]] += 1
            print(f"{label:<52} {verb:<8} {result['seconds']:5.1f} s  {line}", flush=True)
    print(f"tally: {dict(sorted(tally.items()))} of {2 * len(cases)} commands on "
          f"{len(cases)} damaged files from {len(SAMPLES)} sample files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
