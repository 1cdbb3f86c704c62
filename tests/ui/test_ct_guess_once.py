"""Opening an image guesses whether it is a CT (a NIfTI has no modality: its voxels tell) once:
the window, the presets list and the 3D view's preset used to run the guess four times on the
same voxels (a 512x512x300 CT: its 2 M voxel sample read four times)."""

from __future__ import annotations

from editor_helpers import open_image, write_image

from neuroview.core import modality


def test_opening_an_image_runs_the_ct_guess_once(qtbot, window, tmp_path, monkeypatch):
    calls = []
    real = modality.looks_like_ct

    def counted(image):
        calls.append(image.shape)
        return real(image)

    monkeypatch.setattr(modality, "looks_like_ct", counted)
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.wait(500)                                   # the 3D view's preset comes after the slices
    assert calls == [volume.shape]
    box = window.display_panel.preset_box
    offered = [box.itemText(i) for i in range(box.count())]
    assert "Auto (percentiles)" in offered and "Brain" not in offered   # an MR: no CT table
