"""A 4D image that opens with a load warning shows both in the notice bar: the warning and "time
point 1 of N" (the warning replaced the time point note, so the user never learnt the image had
time points), and the time point line follows the *Time point* box with the warning kept."""

from __future__ import annotations

from frame_images import frames, open_and_wait

import neuroview.io.registry as registry

WARNING = "duplicate positions: 1 image left out"


def test_the_load_warning_and_the_time_point_note_both_show(qtbot, window, tmp_path, monkeypatch):
    real = registry.load_nifti

    def load_with_a_warning(path, **options):   # progress, cancel
        volume = real(path, **options)
        volume.warnings.append(WARNING)
        return volume

    monkeypatch.setattr(registry, "load_nifti", load_with_a_warning)
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", frames())
    bar = window.notice_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert f"Warning: {WARNING}" in bar.text and "showing time point 1 of 3" in bar.text
    window.display_panel.frame_box.setValue(2)
    assert f"Warning: {WARNING}" in bar.text and "showing time point 2 of 3" in bar.text
    assert "time point 1 of 3" not in bar.text and bar.text.count("4D image:") == 1
