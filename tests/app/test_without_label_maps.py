"""Opening a big folder of cases leaves out every label map neuroview saved beside the images (a
file with its ``NAME.segments.json``), in one pass: the images keep the scan's order, the maps are
named in that order. Each candidate was compared with every label map until session 30 (n^2)."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.app.label_files import without_label_maps
from neuroview.io import scan
from neuroview.io.candidates import ScanResult, SeriesCandidate


def _candidate(path) -> SeriesCandidate:
    return SeriesCandidate(key=str(path), description=path.name, modality="MR", shape=(2, 2, 2),
                           spacing=(1.0, 1.0, 1.0), orientation="RAS", loader=lambda *_: None)


def test_a_folder_of_many_cases_and_their_saved_labels(tmp_path):
    """3,000 candidates, a label map after every second image: the images stay, the very
    objects in their order; the maps are named in theirs."""
    images, maps, candidates = [], [], []
    for n in range(2000):
        image = tmp_path / f"case_{n:04d}.nii.gz"
        image.write_bytes(b"")
        candidates.append(_candidate(image))
        images.append(candidates[-1])
        if n % 2:
            labels = tmp_path / f"case_{n:04d}-labels.nii.gz"
            labels.write_bytes(b"")
            (tmp_path / f"case_{n:04d}-labels.segments.json").write_text("[]")
            candidates.append(_candidate(labels))
            maps.append(labels.name)
    assert len(candidates) == 3000
    result, left_out = without_label_maps(ScanResult(candidates=list(candidates), notes=["n"]))
    assert [c.key for c in result.candidates] == [c.key for c in images]
    assert all(a is b for a, b in zip(result.candidates, images))
    assert left_out == maps and result.notes == ["n"]


def test_a_scanned_folder_of_images_and_labels(tmp_path):
    """A real scan of 30 images and 15 saved label maps: the 30 images are offered, named as
    scanned; all labels, or all images, are kept as they are (nothing else was found)."""
    data = np.zeros((4, 4, 3), dtype=np.int16)
    for n in range(30):
        nib.save(nib.Nifti1Image(data + n, np.eye(4)), str(tmp_path / f"case_{n:02d}.nii.gz"))
        if n % 2 == 0:
            nib.save(nib.Nifti1Image(data.astype(np.uint8), np.eye(4)),
                     str(tmp_path / f"case_{n:02d}-labels.nii.gz"))
            (tmp_path / f"case_{n:02d}-labels.segments.json").write_text("[]")
    scanned = scan([str(tmp_path)])
    assert len(scanned.candidates) == 45
    order = [c.key for c in scanned.candidates if "-labels" not in c.key]
    result, left_out = without_label_maps(scanned)
    assert [c.key for c in result.candidates] == order
    assert sorted(left_out) == [f"case_{n:02d}-labels.nii.gz" for n in range(0, 30, 2)]

    only_maps = ScanResult(candidates=[c for c in scan([str(tmp_path)]).candidates
                                       if "-labels" in c.key])
    kept, none = without_label_maps(only_maps)
    assert len(kept.candidates) == 15 and none == []
