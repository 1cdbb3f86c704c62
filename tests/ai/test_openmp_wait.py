"""torch's OpenMP threads sleep when idle instead of spinning 300000 rounds (libgomp's default).

On the shared 2-core machine at load 4, with the default two threads, spinning made one
uncertainty map of a 56x64x30 image cost 69 s of CPU (72 s wall) against 11 s when the idle
thread sleeps (the same map to the bit), and ``dataset rank`` of three such cases 158 s against
about 30 s: thousands of small parallel regions, each ending with a thread spinning while its
partner waited for a core (``bench/uncertainty_threads.py``). libgomp reports the spin count it
took from the environment when ``OMP_DISPLAY_ENV=VERBOSE``: that count is what these tests read,
in the process the user runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import nibabel as nib
import numpy as np
import pytest

from neuroview.dataset.layout import init_dataset
from tests.checkout import REPO

SPIN = re.compile(r"GOMP_SPINCOUNT = '(\d+)'")


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["OMP_DISPLAY_ENV"] = "VERBOSE"
    env.update(extra)
    return env


def _spin_count(stderr: str) -> int:
    found = SPIN.findall(stderr)
    if not found:
        pytest.skip("torch's OpenMP runtime is not libgomp (no GOMP_SPINCOUNT reported)")
    return int(found[-1])


def test_rank_command_runs_the_model_with_sleeping_openmp_threads(tmp_path):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    cases = tmp_path / "cases"
    cases.mkdir()
    image = np.random.default_rng(0).normal(100, 20, (24, 28, 20)).astype(np.float32)
    image[8:16, 8:20, 6:14] += 200
    nib.save(nib.Nifti1Image(image, np.diag([2.0, 2.0, 2.0, 1.0])), cases / "c0.nii.gz")
    output = tmp_path / "next.csv"

    result = subprocess.run([sys.executable, "-m", "neuroview", "dataset", "rank", str(folder),
                             "--cases", str(cases), "--output", str(output)],
                            env=_env(), capture_output=True, text=True, timeout=600)

    assert result.returncode == 0, result.stderr
    assert "c0.nii.gz" in output.read_text()           # the model ran on the case
    assert _spin_count(result.stderr) == 0, result.stderr   # 300000 before


@pytest.mark.parametrize("user_env, spins", [({"GOMP_SPINCOUNT": "300000"}, 300000),
                                             ({"OMP_WAIT_POLICY": "ACTIVE"}, None)])
def test_a_wait_policy_the_user_set_is_kept(user_env, spins):
    code = "import neuroview.ai, torch; torch.ones(4) + 1"
    result = subprocess.run([sys.executable, "-c", code], env=_env(**user_env), cwd=REPO,
                            capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stderr
    count = _spin_count(result.stderr)
    assert count == spins if spins is not None else count > 300000   # ACTIVE: spin (almost) forever
