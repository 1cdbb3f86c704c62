"""Session 52's hostile headers (``tests/io/hostile_corpus.py``: a CT slice's pixel data cut, 16-bit
pixels said to be 8 or 32 bits, 65535x65535 or -5 rows, a deflated dataset of garbage, a NIfTI with
no orientation code and NaN voxel sizes, a gzip bomb declaring 4 GiB) opened one after another in
one window: each is one line in the red bar naming the file, no reader's own text, the image on
screen stays and the window opens the next. 16-bit pixels said to be 8 bits opened as stripes of
their low and high bytes until session 52 (pydicom drops the rest as padding)."""

from __future__ import annotations

import numpy as np

from tests.io import hostile_corpus

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

LINES = {
    "dicom_pixel_data_cut": "DICOM header declares 1 frame of 128x128 but the pixel data holds 1000 bytes",
    "dicom_8_bits_said_of_16": "DICOM header declares 1 frame of 128x128 at 8 bits (16384 bytes) but "
                               "the pixel data holds 32768 bytes (BitsAllocated or the frame count is "
                               "wrong: a lying header)",
    "dicom_32_bits_said_of_16": "DICOM header declares 1 frame of 128x128 but the pixel data holds "
                                "32768 bytes",
    "dicom_rows_huge": "DICOM header declares 1 frame of 65535x65535",
    "dicom_rows_negative": "DICOM Rows is -5, not a number of pixels (damaged header)",
    "dicom_deflated_garbage": "deflated DICOM dataset cannot be inflated",
    "nifti_no_codes_nan_pixdim": "header has a non-finite affine (NaN or infinity)",
    "nifti_gz_bomb": "the image needs 4.0 GB of memory",
}


def test_each_hostile_header_is_one_line_and_the_image_stays(qtbot, window, tmp_path, monkeypatch):
    from editor_helpers import open_image, write_image

    # the bomb is refused by what this machine could hold; the same on a larger one
    monkeypatch.setattr("neuroview.core.memory.available_bytes", lambda: 3_700_000_000)
    good, volume = write_image(tmp_path)
    open_image(qtbot, window, good)
    for name, words in LINES.items():
        folder = tmp_path / name
        folder.mkdir()
        path = getattr(hostile_corpus, name)(folder)
        window.message_bar.hide()
        window.open_paths([str(path)])
        qtbot.waitUntil(lambda: not window.runner.busy and window.message_bar.isVisible(),
                        timeout=30000)
        said = window.message_bar.text
        assert said.startswith(f"{path}: ") and words in said and "\n" not in said, (name, said)
        assert "Traceback" not in said and "pydicom" not in said and "nibabel" not in said, said
        assert window.controller.volume.source_path == str(good), name
    assert np.array_equal(window.controller.volume.array, volume.array)
    window.open_paths([str(good)])   # the window goes on opening files
    qtbot.waitUntil(lambda: not window.runner.busy and not window.message_bar.isVisible(),
                    timeout=30000)
