"""How ``neuroview convert`` writes: atomically (temporary file + rename), without fsync.

Its NIfTI is derived data the user can make again (dcm2niix does not fsync either); a process
killed mid-write must still never leave half a file under the final name. Saves of what a user
made (label maps, the journal, training sets) keep their fsync.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np

from neuroview.io.nifti import save_nifti
from tests.checkout import REPO

CONVERT_WATCHING_FSYNC = r"""
import os, sys
synced = []
real = os.fsync
def fsync(fd):
    synced.append(os.readlink(f"/proc/self/fd/{fd}"))
    return real(fd)
os.fsync = fsync
from neuroview.cli.main import main
code = main(["convert", sys.argv[1], sys.argv[2]])
print("SYNCED", repr(synced))
sys.exit(code)
"""

CONVERT_KILLED_MID_WRITE = r"""
import os, signal, sys
from neuroview.io import nifti_header
real = nifti_header._write_file
def half_then_kill(tmp, head, array, gzipped):
    real(tmp, head, array, gzipped)
    with open(tmp, "r+b") as handle:
        handle.truncate(os.path.getsize(tmp) // 2)
    os.kill(os.getpid(), signal.SIGKILL)
nifti_header._write_file = half_then_kill
from neuroview.cli.main import main
main(["convert", sys.argv[1], sys.argv[2]])
"""


def _run(script: str, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_convert_writes_without_fsync_and_a_label_save_with(make_series, tmp_path, monkeypatch):
    series = make_series("write_no_fsync", n_slices=8)
    out = tmp_path / "converted" / "t1.nii"
    proc = _run(CONVERT_WATCHING_FSYNC, series.folder, out)
    assert proc.returncode == 0, proc.stderr
    synced = eval(proc.stdout.split("SYNCED", 1)[1])  # noqa: S307 - our own child's repr
    assert not [p for p in synced if p.startswith(str(out.parent))], synced
    written = nib.load(out)
    assert np.allclose(written.affine, series.ijk_to_ras, atol=1e-4)
    assert written.shape[:3] == series.values.shape[:3]

    seen = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (seen.append(os.readlink(f"/proc/self/fd/{fd}")),
                                                 real(fd))[1])
    save_nifti(np.zeros((4, 4, 4), np.uint8), np.eye(4), tmp_path / "labels.nii.gz")
    assert any(Path(p).parent == tmp_path for p in seen)  # the default save is durable


def test_convert_killed_mid_write_leaves_no_partial_file(make_series, tmp_path):
    series = make_series("write_killed", n_slices=8)
    out_dir = tmp_path / "converted"
    out = out_dir / "t1.nii"
    proc = _run(CONVERT_KILLED_MID_WRITE, series.folder, out)
    assert proc.returncode == -9, proc.stderr
    assert not out.exists()
    assert all(p.name.startswith(".") for p in out_dir.iterdir())  # only the temporary
    proc = _run(CONVERT_WATCHING_FSYNC, series.folder, out)  # converting again works
    assert proc.returncode == 0 and nib.load(out).shape[:3] == series.values.shape[:3]
