"""Arguments that can be checked without the image are refused before it is read: ``neuroview
snapshot --window 0`` on a 512x512x600 CT said "--window must be positive" only after reading
all 300 MB of it (seconds), and ``--frame 0`` or ``--series 0`` only after the whole load. The
input here is not an image at all: a refusal that names the argument, not the file, was made
before any reading."""

from __future__ import annotations

import pytest

CLI_FORKED = "claims about what a command says before it reads its input; no network"


@pytest.fixture(scope="module")
def not_an_image(tmp_path_factory):
    path = tmp_path_factory.mktemp("args") / "ct.nii.gz"
    path.write_bytes(b"not a NIfTI file at all")
    return path


@pytest.mark.parametrize("verb, arguments, said", [
    ("snapshot", ["--window", "0", "--level", "40"], "argument --window: must be a positive number, got '0'"),
    ("snapshot", ["--window", "-400", "--level", "40"], "argument --window: must be a positive number"),
    ("snapshot", ["--window", "400", "--level", "nan"], "argument --level: must be a finite number"),
    ("snapshot", ["--frame", "0"], "argument --frame: must be 1 or more (counted from 1), got '0'"),
    ("snapshot", ["--series", "0"], "argument --series: must be 1 or more"),
    ("snapshot", ["--slab", "0"], "argument --slab: must be a positive number, got '0'"),
    ("snapshot", ["--slab", "5000"], "argument --slab: must be at most 200 mm, got '5000'"),
    ("snapshot", ["--slab", "10", "--slab-mode", "max"], "argument --slab-mode: invalid choice: 'max'"),
    ("convert", ["--frame", "0"], "argument --frame: must be 1 or more"),
    ("segment", ["--series", "-1"], "argument --series: must be 1 or more"),
])
def test_a_wrong_number_is_refused_before_the_image_is_read(cli, tmp_path, not_an_image, verb,
                                                            arguments, said):
    out = tmp_path / ("view.png" if verb == "snapshot" else "out.nii.gz")
    args = [verb, not_an_image, *arguments]
    args += ["--out", out] if verb == "snapshot" else [out]
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert said in last and "NIfTI" not in result.stderr, result.stderr
    assert not out.exists()


def test_a_slab_mode_without_a_slab_is_refused_before_the_image_is_read(cli, tmp_path,
                                                                        not_an_image):
    out = tmp_path / "view.png"
    result = cli("snapshot", not_an_image, "--slab-mode", "minip", "--out", out)
    assert result.returncode == 1 and not out.exists()
    assert result.stderr.strip().splitlines() == [
        "neuroview: error: --slab-mode goes with --slab MM (the slab's thickness)"], result.stderr


def test_a_missing_label_file_is_named_before_the_image_is_read(cli, tmp_path, not_an_image):
    out = tmp_path / "view.png"
    result = cli("snapshot", not_an_image, "--labels", tmp_path / "mask.nii.gz", "--out", out)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: --labels {tmp_path / 'mask.nii.gz'}: no such file or folder"]
    assert not out.exists()


@pytest.mark.parametrize("arguments, said", [
    (["--epochs", "0"], "argument --epochs: must be 1 or more, got '0'"),
    (["--iterations", "0"], "argument --iterations: must be 1 or more"),
    (["--batch-size", "0"], "argument --batch-size: must be 1 or more"),
    (["--threads", "0"], "argument --threads: must be 1 or more"),
    (["--minutes", "-1"], "argument --minutes: must be a positive number, got '-1'"),
    (["--learning-rate", "0"], "argument --learning-rate: must be a positive number"),
    (["--spacing", "nan"], "argument --spacing: must be a finite number"),
    (["--validation-fraction", "1.5"], "argument --validation-fraction: must be a share above 0 "
                                       "and below 1 (0.2: 20 %), got '1.5'"),
    (["--validation-fraction", "0"], "argument --validation-fraction: must be a share above 0"),
])
def test_train_refuses_a_count_of_nothing_before_any_work(cli, tmp_path, arguments, said):
    """``train --epochs 0`` trained nothing and registered the untrained network as a new model
    (held-out Dice 0.00, 358 false regions a case), exit 0; a negative ``--minutes`` or a
    ``--threads 0`` went on as far as torch; a ``--validation-fraction`` of 1.5, 0 or -3 was
    taken as the nearest split that held out one case."""
    result = cli("train", "--dataset", tmp_path / "no_dataset", "--out", "zz", *arguments)
    assert result.returncode == 2, result.stderr   # argparse's; the missing dataset would be 1
    assert said in result.stderr.strip().splitlines()[-1], result.stderr
