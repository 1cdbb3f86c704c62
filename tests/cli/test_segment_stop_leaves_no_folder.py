"""A single ``neuroview segment a.nii.gz out/`` stopped (Ctrl+C, SIGTERM) before its label map
was written left ``out/`` behind, made by the command and empty (session 40's CLI walk). The
folder it made is removed; a folder the user made is kept, empty or not."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.cli import series_choice
from neuroview.cli.stop_signals import Terminated

CLI_FORKED = "what segment leaves on disk when stopped while reading; no model runs, no network"


def _stopped(*args, **kwargs):
    raise Terminated   # SIGTERM (and Ctrl+C's KeyboardInterrupt) while the series is read


def test_a_stopped_segment_removes_the_empty_folder_it_made(tmp_path, cli, monkeypatch):
    nib.save(nib.Nifti1Image(np.zeros((24, 24, 24), np.int16), np.diag([3.0, 3.0, 3.0, 1.0])),
             tmp_path / "t1.nii.gz")
    monkeypatch.setattr(series_choice, "load_series", _stopped)
    monkeypatch.chdir(tmp_path)

    result = cli("segment", "t1.nii.gz", "-o", "new/masks/")
    assert result.returncode == 143, result.stdout + result.stderr
    assert "stopped (SIGTERM)" in result.stderr
    assert not (tmp_path / "new").exists()   # nor the new folder above it

    (tmp_path / "mine").mkdir()   # the user's own folder stays, empty as it was
    assert cli("segment", "t1.nii.gz", "-o", "mine").returncode == 143
    assert (tmp_path / "mine").is_dir() and not list((tmp_path / "mine").iterdir())
