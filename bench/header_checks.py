"""Cost of the hostile-header checks (#16) on honest files: neuroview's loaders (header checked
against the file, declared size against free memory, a gzip NRRD's stream inflated once with a
bound before pynrrd reads it) against the bare library calls, in the same run.

Run: python bench/header_checks.py [--shape 256 256 160] [--repeats 5]
Prints the median seconds of each and the ratio neuroview / bare.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds  # noqa: E402

from neuroview.io.nifti import load_nifti, save_nifti  # noqa: E402
from neuroview.io.nrrd import load_nrrd  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shape", type=int, nargs=3, default=[256, 256, 160])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    import nibabel as nib
    import nrrd

    rng = np.random.default_rng(0)
    image = (rng.normal(100, 30, size=args.shape)).astype(np.int16)  # noisy: compresses little
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        nii = save_nifti(image, np.eye(4), folder / "v.nii.gz")
        raw_nii = save_nifti(image, np.eye(4), folder / "v.nii")
        gz_nrrd = folder / "v.nrrd"
        nrrd.write(str(gz_nrrd), image, {"encoding": "gzip"}, index_order="F")
        raw_nrrd = folder / "raw.nrrd"
        nrrd.write(str(raw_nrrd), image, {"encoding": "raw"}, index_order="F")
        rows = [
            ("NIfTI .nii.gz", lambda: np.asarray(load_nifti(nii).array),
             lambda: np.asanyarray(nib.load(nii).dataobj)),
            ("NIfTI .nii", lambda: np.asarray(load_nifti(raw_nii).array),
             lambda: np.asanyarray(nib.load(raw_nii).dataobj)),
            ("NRRD gzip", lambda: load_nrrd(gz_nrrd), lambda: nrrd.read(str(gz_nrrd), index_order="F")),
            ("NRRD raw", lambda: load_nrrd(raw_nrrd), lambda: nrrd.read(str(raw_nrrd), index_order="F")),
        ]
        print(f"{'x'.join(map(str, args.shape))} int16 ({image.nbytes / 2**20:.0f} MB), "
              f"median of {args.repeats}")
        print(f"{'file':<14} {'neuroview s':>12} {'bare s':>8} {'ratio':>6}")
        for name, ours, bare in rows:
            ours(), bare()  # warm the page cache
            mine, theirs = median_seconds(ours, args.repeats), median_seconds(bare, args.repeats)
            print(f"{name:<14} {mine:12.3f} {theirs:8.3f} {mine / theirs:6.2f}")


if __name__ == "__main__":
    main()
