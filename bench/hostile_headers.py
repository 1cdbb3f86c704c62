"""Session 52's hostile headers (``tests/io/hostile_corpus.py``) read three ways: neuroview's
``registry.load`` (one line naming the file, or what it read), pydicom's ``dcmread(...).pixel_array``
or nibabel's ``load(...).get_fdata()`` on their own, with the warnings each gives. A table, one row a
file: what a user of each library would see.

    nice -n 5 python bench/hostile_headers.py
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.io import hostile_corpus  # noqa: E402

MAKERS = ["dicom_pixel_data_cut", "dicom_8_bits_said_of_16", "dicom_32_bits_said_of_16",
          "dicom_rows_huge", "dicom_rows_negative", "dicom_deflated_garbage",
          "nifti_no_codes_nan_pixdim", "nifti_offset_past_end", "nifti_gz_lying_size"]


def _short(text: str, limit: int = 150) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "..."


def _library(path: Path) -> str:
    """What pydicom or nibabel alone make of ``path``: the array's shape and range, or the
    exception; with the first warning given."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if path.suffix == ".dcm":
                import pydicom

                array = pydicom.dcmread(path).pixel_array
            else:
                import nibabel as nib

                image = nib.load(path)
                if np.prod(image.shape) * 4 > 1 << 30:
                    return f"nib.load: shape {image.shape}, get_fdata would allocate " \
                           f"{np.prod(image.shape) * 8 / 2**30:.0f} GiB (not run)"
                array = image.get_fdata()
                if not np.all(np.isfinite(image.affine)):
                    return f"read {array.shape}, affine holds NaN (no error)"
            said = f"read {array.shape} {array.dtype} {array.min()}..{array.max()}"
        except Exception as exc:   # noqa: BLE001 - what the library raises, whatever it is
            said = f"{type(exc).__name__}: {exc}"
    if caught:
        said += f" [warning: {caught[0].message}]"
    return _short(said)


def _neuroview(path: Path) -> str:
    from neuroview.core.errors import NeuroviewError
    from neuroview.io.registry import load

    try:
        volume = load(str(path))
    except NeuroviewError as exc:
        return _short(str(exc).replace(str(path), path.name))
    return _short(f"read {volume.shape} {'; '.join(volume.warnings)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in MAKERS:
            made = Path(folder) / name
            made.mkdir()
            path = getattr(hostile_corpus, name)(made)
            print(f"{name}\n  neuroview: {_neuroview(path)}\n  library:   {_library(path)}", flush=True)


if __name__ == "__main__":
    main()
