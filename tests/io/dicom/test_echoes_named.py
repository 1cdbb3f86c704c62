"""A Siemens multi-echo GRE (T2*) series as the scanner writes it: one SeriesInstanceUID,
EchoNumbers 1..4 at TE 5, 10, 15, 20 ms, the same slice positions for each echo. Split by echo as
dcm2niix splits it (``_e1`` ... ``_e4``, one 3D volume each), and each echo says which it is, as
dcm2niix's sidecar does (``"EchoNumber": 2``, ``"EchoTime": 0.01``): ``echo 2, TE 10 ms`` in
``info`` and the series chooser (``SeriesCandidate.origin``) and on the image (``Volume.source_
metadata``, named in its views and measurements: ``app.frames.image_part_text``); a NIfTI that
dcm2niix wrote from it says the same by its sidecar. Until session 51 only ``_e2`` told them
apart, and the echo time was nowhere."""

from __future__ import annotations

import json
import shutil
import subprocess

import nibabel as nib
import numpy as np
import pytest
from pydicom.uid import generate_uid
from series_maker import DCM2NIIX, compare_in_world

from neuroview.app.frames import image_part_text
from neuroview.io import scan
from neuroview.io.nifti import load_nifti

ECHO_TIMES = (5.0, 10.0, 15.0, 20.0)


@pytest.fixture(scope="module")
def multi_echo(tmp_path_factory, make_series):
    """The four echoes' files in one folder, and dcm2niix's NIfTIs and sidecars of it."""
    root = tmp_path_factory.mktemp("multi-echo")
    (root / "series").mkdir()
    uid = generate_uid()
    for number, te in enumerate(ECHO_TIMES, start=1):
        series = make_series(f"gre-echo-{number}", series_uid=uid, n_slices=6, echo_number=number,
                             echo_time=te, first_instance=1 + 6 * (number - 1),
                             value_scale=float(np.exp(-te / 25.0)), description="gre_me_t2star")
        for path in series.files:
            shutil.copy(path, root / "series" / f"e{number}_{path.name}")
    out = root / "dcm2niix"
    out.mkdir()
    proc = subprocess.run([DCM2NIIX, "-z", "n", "-b", "y", "-f", "%d", "-o", str(out),
                           str(root / "series")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return root / "series", out


def test_each_echo_is_a_volume_named_by_its_echo_and_te_as_dcm2niix(multi_echo):
    folder, out = multi_echo
    candidates = scan(folder).candidates
    references = sorted(out.glob("*.nii"))
    assert [p.name for p in references] == [f"gre_me_t2star_e{n}.nii" for n in range(1, 5)]
    assert [c.description for c in candidates] == [p.stem for p in references]
    for candidate, reference in zip(candidates, references):
        said = json.loads(reference.with_suffix(".json").read_text())
        words = f"echo {said['EchoNumber']}, TE {said['EchoTime'] * 1000:g} ms"
        assert candidate.origin().startswith(words + ", ")         # info's and the chooser's line
        volume = candidate.load()
        assert image_part_text(volume) == words                     # its views and measurements
        image = nib.load(reference)
        compare_in_world(volume.array, volume.ijk_to_ras, np.asarray(image.dataobj), image.affine)
        assert image_part_text(load_nifti(reference)) == words       # dcm2niix's file, the same
    assert [c.echo for c in candidates] == [f"echo {n}, TE {te:g} ms"
                                            for n, te in enumerate(ECHO_TIMES, start=1)]


def test_a_single_echo_series_names_no_echo(make_series, tmp_path):
    series = make_series("gre-single-echo", n_slices=6, echo_number=1, echo_time=20.0)
    (candidate,) = scan(series.folder).candidates
    assert candidate.echo == "" and image_part_text(candidate.load()) == ""
    out = tmp_path / "dcm2niix"
    out.mkdir()
    subprocess.run([DCM2NIIX, "-z", "n", "-b", "y", "-f", "%d", "-o", str(out), str(series.folder)],
                   capture_output=True, timeout=120, check=True)
    (reference,) = out.glob("*.nii")
    assert "EchoNumber" not in json.loads(reference.with_suffix(".json").read_text())
    assert image_part_text(load_nifti(reference)) == ""


def test_echoes_without_echo_numbers_are_named_by_their_echo_time(make_series, tmp_path):
    """Echoes that give no EchoNumbers (dcm2niix names them by TE, ``_e4.2``): ``TE 4.2 ms``."""
    uid = generate_uid()
    for index, te in enumerate((4.2, 9.5)):
        series = make_series(f"gre-te-only-{index}", series_uid=uid, n_slices=6,
                             first_instance=1 + 6 * index, echo_time=te, value_scale=1.0 - 0.2 * index)
        shutil.copytree(series.folder, tmp_path / str(index))
    candidates = scan(tmp_path).candidates
    assert sorted((c.description[-5:], c.echo) for c in candidates) == [
        ("_e4.2", "TE 4.2 ms"), ("_e9.5", "TE 9.5 ms")]
    assert sorted(image_part_text(c.load()) for c in candidates) == ["TE 4.2 ms", "TE 9.5 ms"]
