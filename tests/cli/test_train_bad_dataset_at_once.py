"""``neuroview train --dataset`` on a folder holding no usable dataset says so before it loads
torch: it loaded torch first (2.5 s of processor time here, more on a laptop) and only then read
the folder, so a wrong folder picked in AI > Train model... failed seconds later."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.checkout import REPO

CODE = """import sys
from neuroview.cli.main import main
code = main(["train", "--dataset", sys.argv[1], "--out", "x", "--device", "cpu"])
print("torch loaded" if "torch" in sys.modules else "torch not loaded", code)
"""


def test_a_folder_without_a_dataset_is_said_before_torch_loads(tmp_path):
    (tmp_path / "no_dataset_here").mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEUROVIEW_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", CODE, str(tmp_path / "no_dataset_here")],
                          capture_output=True, text=True, timeout=120, env=env)
    said = "no_dataset_here: no dataset.json: not an nnU-Net v2 raw dataset folder"
    assert said in done.stderr, done.stderr
    assert done.stdout.split() == ["torch", "not", "loaded", "1"]


def test_a_dataset_of_one_case_is_refused_saying_how_many_it_needs(tmp_path, rng, capsys):
    """The smallest training set the command and AI > Train model... take: one case to train on,
    one held out (the split never holds out none, nor all)."""
    import json

    from neuroview.cli.main import main
    from tests.ui.train_data import make_raw_dataset

    root = make_raw_dataset(tmp_path, rng)
    for name in [f"c{n}" for n in range(1, 6)]:
        (root / "labelsTr" / f"{name}.nii.gz").unlink()
        (root / "imagesTr" / f"{name}_0000.nii.gz").unlink()
    (root / "dataset.json").write_text(json.dumps({**json.loads((root / "dataset.json").read_text()),
                                                   "numTraining": 1}))
    assert main(["train", "--dataset", str(root), "--out", "x", "--device", "cpu"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "labelsTr: needs at least 2 labelled cases, found 1" in err
    assert "one to train on and one held out" in err and "Send to training set" in err
