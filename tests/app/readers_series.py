"""The small DICOM series the readers' tests draw their SEGs on (24 x 20 x 12, 6 x 6 x 8 mm)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.io import load  # noqa: E402
from neuroview.io.seg import read_series_headers  # noqa: E402


def readers_series(folder: Path, mni_volume):
    """``folder``/study/series written: (its volume, its headers for ``save_seg``)."""
    series = write_series(folder / "study" / "series", mni_volume,
                          SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                     slice_step=8.0, description="FLAIR readers"))
    return load(series.folder), read_series_headers([series.folder])


def save_reader(volume, headers, mask, path, reader: str) -> None:
    """``reader``'s SEG of ``mask`` at ``path``, named as *Save to PACS* names a reader's version."""
    import numpy as np

    from neuroview.core.labels import LabelMap
    from neuroview.io.seg import save_seg

    save_seg(LabelMap(mask.astype(np.uint8), volume.ijk_to_ras), headers, path,
             series_description=f"Lesions - {reader}'s version", content_creator=reader)


def ann_and_bob(root: Path, mni_volume):
    """A series and two readers' SEGs beside it under ``root``: Ann's lesion, and Bob's, shifted 2
    voxels. (the series folder, its volume, Ann's mask, Bob's mask)."""
    import numpy as np

    volume, headers = readers_series(root, mni_volume)
    ann = np.zeros(volume.shape, bool)
    ann[4:12, 4:12, 3:8] = True
    bob = np.zeros_like(ann)
    bob[6:14, 4:12, 3:8] = True
    save_reader(volume, headers, ann, root / "study" / "ann.dcm", "Smith^Ann")
    save_reader(volume, headers, bob, root / "study" / "bob.dcm", "Jones^Bob")
    return root / "study" / "series", volume, ann, bob
