"""Opening a folder of cases leaves out the label maps neuroview saved there (a file with its
``NAME.segments.json``: *Save labels* proposes the image's own folder): the series chooser offered
``case-labels.nii.gz`` as one more image to open, and a folder of one image and its saved labels
asked which of the two to open. The status line names what was left out."""

from __future__ import annotations

import json

from editor_helpers import wait_for_session, write_image, write_two_label_mask

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _saved_labels(folder, volume, name):
    """``name.nii.gz`` and ``name.segments.json`` as *Save labels* writes them."""
    mask, _ = write_two_label_mask(folder, volume)
    mask = mask.rename(folder / f"{name}.nii.gz")
    segments = [{"value": 1, "name": "lesion", "color": [255, 0, 0]},
                {"value": 2, "name": "cyst", "color": [0, 0, 255]}]
    (folder / f"{name}.segments.json").write_text(json.dumps(segments))
    return mask


def test_a_folder_of_one_image_and_its_saved_labels_opens_the_image(qtbot, window, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    path, volume = write_image(folder, "case_03")
    _saved_labels(folder, volume, "case_03-labels")
    window.open_paths([folder])
    session = wait_for_session(qtbot, window)
    assert window.series_dialog is None                     # no chooser: one image in the folder
    assert session.volume.source_path.endswith("case_03.nii.gz")
    assert not session.labels.array.any()                    # the image, not the mask as an image
    assert window.statusBar().currentMessage().startswith(
        "Left out case_03-labels.nii.gz: a label map saved by neuroview, not an image")


def test_the_chooser_lists_the_images_only(qtbot, window, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    _path, volume = write_image(folder, "case_01")
    write_image(folder, "case_02", "lps")
    _saved_labels(folder, volume, "case_01-labels")
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    listed = [window.series_dialog.list.item(i).text() for i in range(window.series_dialog.list.count())]
    assert [text.split(" |")[0] for text in listed] == ["case_01.nii.gz", "case_02.nii.gz"]
    window.series_dialog.reject()


def test_a_label_map_opened_alone_still_opens(qtbot, window, tmp_path):
    _path, volume = write_image(tmp_path, "case_01")
    mask = _saved_labels(tmp_path, volume, "case_01-labels")
    window.open_paths([mask])
    session = wait_for_session(qtbot, window)
    assert session.volume.source_path.endswith("case_01-labels.nii.gz")
