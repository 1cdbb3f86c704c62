"""The README's Python examples a new user copies first run as written, from a scratch folder:
opening a study (``scan``/``load``), the first ``Session`` example (run twice: its comment says a
second run gets the workspace's edits back), the annotation worklist and ``add_case``.

The first ``Session`` example raised ``a segment named 'lesion' already exists`` when run a second
time (the restored workspace already holds ``lesion``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.checkout import REPO

DEMO = REPO / "resources" / "demo" / "mni152_t1_lesions.nii.gz"


def _readme_block(containing: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if containing in b]
    assert len(blocks) == 1, f"{len(blocks)} README blocks hold {containing!r}"
    return blocks[0]


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """``code`` in a Python of its own, as a user runs a script (a session's workspace lock goes
    with its process)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_scan_example_lists_and_loads_a_study(tmp_path, monkeypatch):
    (tmp_path / "study").mkdir()
    shutil.copy(DEMO, tmp_path / "study" / "t1.nii.gz")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(_readme_block('scan("study/")'), "README.md", "exec"), names)
    volume = names["volume"]
    assert len(names["result"].candidates) == 1
    assert volume.array.shape == (197, 233, 189) and np.allclose(np.diag(volume.ijk_to_ras)[:3], 1)


def test_the_first_session_example_runs_twice_and_the_second_run_restores(tmp_path):
    shutil.copy(DEMO, tmp_path / "image.nii.gz")
    code = _readme_block('Session.open("image.nii.gz", workspace="ws/")') + (
        "\nprint(s.restored_steps, int((s.labels.array == seg.value).sum()), s.segments['lesion'].name)")
    first = _run(code, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    restored, voxels, name = first.stdout.split()
    assert restored == "0" and int(voxels) > 0 and name == "lesion"
    second = _run(code, tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    restored2, voxels2, _ = second.stdout.split()
    assert int(restored2) > 0 and voxels2 == voxels   # the same brush strokes on the restored edits
    from neuroview.io.nifti import load_nifti

    saved = load_nifti(tmp_path / "labels.nii.gz")
    assert int((np.asarray(saved.array) > 0).sum()) == int(voxels)


def test_the_worklist_example_resumes_and_moves_on(tmp_path, monkeypatch):
    (tmp_path / "cases").mkdir()
    for name in ("a.nii.gz", "b.nii.gz"):
        shutil.copy(DEMO, tmp_path / "cases" / name)
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(_readme_block("Worklist.open("), "README.md", "exec"), names)
    worklist, case = names["worklist"], names["case"]
    assert case.case_id == "b.nii.gz" and worklist.case("a.nii.gz").status == "corrected"


def test_the_add_case_example_adds_then_replaces(tmp_path, mni_volume, cli):
    assert cli("dataset", "init", tmp_path / "raw", "--name", "Lesions",
               "--labels", "background,lesion").returncode == 0
    from neuroview import Session

    dataset_dir = next((tmp_path / "raw").glob("Dataset*"))
    s = Session(mni_volume)
    s.segments.add("lesion")
    s.apply("paint", at_ras=(10.0, -5.0, 20.0), radius_mm=6.0)
    names = dict(dataset_dir=dataset_dir, volume=mni_volume, label_map=s.labels,
                 model_label_map=s.labels)
    code = compile(_readme_block("add_case("), "README.md", "exec")
    exec(code, names)
    assert names["record"].case == "nv_0001" and names["record"].replaced == []
    exec(code, names)   # the same image again replaces its label
    assert names["record"].case == "nv_0001" and len(names["record"].replaced) == 1
    assert (dataset_dir / "labelsTr" / "nv_0001.nii.gz").exists()


def test_the_interactive_input_example_runs_after_the_first(tmp_path, monkeypatch):
    """``s.press``/``drag``/``release``/``cancel_stroke``/``set_params``/``subscribe`` as the README
    writes them, on the first example's session (``p_ras``: a point the widget converted)."""
    shutil.copy(DEMO, tmp_path / "image.nii.gz")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(_readme_block('Session.open("image.nii.gz", workspace="ws/")'), "README.md", "exec"), names)
    s = names["s"]
    s.apply("erase", at_ras=(30.0, 30.0, 30.0), radius_mm=10)   # an empty spot for the stroke
    names["p_ras"] = (30.0, 30.0, 30.0)
    events = []
    exec(compile(_readme_block("box = s.press("), "README.md", "exec"), names)
    assert names["step"] is not None and s.params["paint"].radius_mm == 8
    s.subscribe(events.append)
    s.apply("paint", at_ras=(30.0, 30.0, 30.0), radius_mm=3)
    assert events and events[-1].kind == "commit"
    seen = len(events)
    names["unsubscribe"]()   # the README's own subscriber goes; ours stays
    s.apply("paint", at_ras=(30.0, 30.0, 30.0), radius_mm=4)
    assert len(events) > seen
    s.close()
