"""CPU time of the CT guess of a compressed NIfTI/MGZ (``neuroview info`` and the series chooser
judge a file with no modality by its values), against nibabel's read of its header.

    PYTHONPATH=CHECKOUT python CHECKOUT/bench/ct_guess_read.py [--repeats 7]

Writes a 256^3 int16 head as ``.nii.gz`` and ``.mgz`` (the MNI head as an MR, and the same head in
Hounsfield units as a CT) and the MR as a uint8 ``.mgz`` (FreeSurfer's ``T1.mgz`` type) in a
temporary folder and times, alternating, ``guessed_modality`` of each file's candidate and
``nib.load(path).header`` (the reference; for a ``.mgz`` nibabel inflates it all to reach its
footer), in this process (files in the page cache), as CPU time. Prints the medians in ms,
their ratio and the guess's answer.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nibabel as nib
import numpy as np

SIZE = 256


def heads(folder: Path) -> list[Path]:
    from nilearn.datasets import load_mni152_template

    mni = np.asarray(load_mni152_template(resolution=1).dataobj, dtype=np.float32)
    mr = np.zeros((SIZE,) * 3, np.float32)
    at = [(SIZE - n) // 2 for n in mni.shape]
    mr[at[0]:at[0] + mni.shape[0], at[1]:at[1] + mni.shape[1], at[2]:at[2] + mni.shape[2]] = mni
    ct = np.full(mr.shape, -1000.0, np.float32)
    head = mr > 0.05 * mr.max()
    ct[head] = 30 + 10 * np.random.default_rng(0).normal(size=int(head.sum()))
    ct[head & (mr > 0.5 * mr.max())] = 25
    shell = head ^ np.roll(head, 3, axis=0)
    ct[shell] = 1200
    paths = []
    for name, array in (("mr", mr / mr.max() * 1000), ("ct", ct)):
        image = np.round(array).astype(np.int16)
        for suffix, kind in ((".nii.gz", nib.Nifti1Image), (".mgz", nib.MGHImage)):
            path = folder / f"{name}{suffix}"
            nib.save(kind(image, np.eye(4)), path)
            paths.append(path)
    uint8 = folder / "mr-uint8.mgz"
    nib.save(nib.MGHImage(np.round(mr / mr.max() * 255).astype(np.uint8), np.eye(4)), uint8)
    return paths + [uint8]


def _ms(function) -> float:
    start = time.process_time()
    function()
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    from neuroview.io.modality_guess import guessed_modality
    from neuroview.io.registry import scan

    with tempfile.TemporaryDirectory() as folder:
        for path in heads(Path(folder)):
            candidate = scan(str(path)).candidates[0]
            guess, header = [], []
            for _ in range(args.repeats):
                header.append(_ms(lambda path=path: nib.load(path).header))
                guess.append(_ms(lambda candidate=candidate: guessed_modality(candidate)))
            g, h = statistics.median(guess), statistics.median(header)
            print(f"{path.name:12s} {path.stat().st_size / 2**20:5.1f} MiB  guess {g:7.1f} ms  "
                  f"header {h:5.2f} ms  ratio {g / h:6.1f}x  answer {guessed_modality(candidate)!r}")


if __name__ == "__main__":
    main()
