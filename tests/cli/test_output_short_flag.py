"""``-o`` names the output of ``snapshot`` and ``followup`` as it does for ``segment``: ``snapshot
scan.nii.gz -o view.png`` (as ``segment scan.nii.gz -o mask.nii.gz``) stopped with
``the following arguments are required: --out`` and wrote nothing."""

from __future__ import annotations

import numpy as np
from PIL import Image


def test_snapshot_takes_o_for_its_png(cli, mni_path, tmp_path):
    target = tmp_path / "vue ü.png"
    result = cli("snapshot", mni_path, "-o", target, "--size", "128x128")
    assert result.returncode == 0, result.stderr
    pixels = np.asarray(Image.open(target).convert("L"))
    assert pixels.shape == (128, 128) and pixels.max() > 100      # the head, not a blank picture


def test_followup_names_o_for_its_folder(cli):
    result = cli("followup", "--help")
    assert result.returncode == 0 and "-o DIR, --out DIR" in result.stdout
