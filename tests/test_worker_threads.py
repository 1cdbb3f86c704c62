"""A pytest-xdist worker computes on one thread of each pool (tests/conftest.py): `make test` runs
three workers on two cores, and a second OpenBLAS or OpenMP thread in each only waits, spinning, for
a core another worker uses."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.checkout import REPO


def test_a_worker_runs_one_blas_and_one_openmp_thread():
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        # the check runs in a worker: this test, in a pytest run of one worker
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "1", "-p", "no:cacheprovider",
                               f"{__file__}::{test_a_worker_runs_one_blas_and_one_openmp_thread.__name__}"],
                              cwd=REPO, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
        return
    import torch
    from threadpoolctl import threadpool_info

    pools = {(pool["internal_api"], pool["num_threads"]) for pool in threadpool_info()}
    assert ("openblas", 1) in pools and ("openblas", 2) not in pools, pools
    assert torch.get_num_threads() == 1
