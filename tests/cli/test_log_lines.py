"""A log record a command makes reaches the terminal as the other lines do, ``neuroview: ...``:
Python's handler of last resort wrote it bare until session 44 (``dataset add`` repairing what a
killed add left: ``Dataset501_Lesions: removed the unfinished case ...``, beside ``note:`` and
``neuroview: error:`` lines)."""

from __future__ import annotations

import logging

import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import save_nifti

CLI_FORKED = "what a command writes on stderr as a fresh process (tests.checkout); no network runs"


def test_a_warning_record_is_one_neuroview_line(tmp_path, cli):
    dataset = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])
    (dataset / ".staging" / "case_0007").mkdir(parents=True)   # an add killed mid-way
    image = np.random.default_rng(0).normal(100, 5, (12, 10, 8)).astype(np.float32)
    labels = np.zeros(image.shape, np.uint8)
    labels[2:5, 2:5, 2:4] = 1
    save_nifti(image, np.eye(4), tmp_path / "image.nii.gz")
    save_nifti(labels, np.eye(4), tmp_path / "labels.nii.gz")
    result = cli("dataset", "add", dataset, "--image", tmp_path / "image.nii.gz",
                 "--labels", tmp_path / "labels.nii.gz")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "neuroview: Dataset501_Lesions: removed the unfinished case case_0007 (its adding was interrupted)"]
    assert result.stdout == "nv_0001\n"


def test_an_error_record_says_error(capsys, monkeypatch):
    from neuroview.cli.log_lines import install

    monkeypatch.setattr(logging, "lastResort", logging.lastResort)   # put back after the test
    install()
    logging.lastResort.handle(logging.LogRecord("neuroview.ui.workers", logging.ERROR, __file__, 1,
                                                "Internal error in the background job %s", ("Saving",), None))
    assert capsys.readouterr().err == "neuroview: error: Internal error in the background job Saving\n"
