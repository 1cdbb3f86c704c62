"""What a ``neuroview`` command imports before it does its work: every CLI call pays it (the test
suite some hundreds of times). ``--help`` of every verb needs none of the big libraries; a
command on NIfTI files needs nibabel but not pydicom, which ``import nibabel`` used to import at
once (0.25 s of CPU of a 0.5 s ``import nibabel``: ``neuroview info t1.nii.gz`` took 0.65 s of
CPU, 0.25 s since)."""

from __future__ import annotations

import os
import subprocess
import sys

import nibabel as nib
import numpy as np
from pydicom.data import get_testdata_file

from tests.checkout import REPO
from tests.first_paint import first_paint_script

HEAVY = ("torch", "PySide6", "vtkmodules", "pydicom", "nibabel", "scipy", "SimpleITK", "highdicom",
         "pynetdicom")

RUN_AND_LIST_MODULES = r"""
import contextlib, io, json, sys
from neuroview.cli.main import main
outputs = []
for line in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            code = main(line.split("\t"))
        except SystemExit as exc:   # --help
            code = exc.code
    outputs.append([code, out.getvalue()])
print(json.dumps({"outputs": outputs, "modules": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def _commands(*commands: list) -> tuple[list, list[str]]:
    """Run the commands one after the other in one fresh process, as ``neuroview`` runs each;
    returns ``[(exit status, stdout)]`` and the big libraries imported by then."""
    import json

    proc = subprocess.run([sys.executable, "-c", RUN_AND_LIST_MODULES,
                           *("\t".join(map(str, c)) for c in commands)],
                          env=dict(os.environ, PYTHONPATH=str(REPO)), cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout.splitlines()[-1])
    return answer["outputs"], answer["modules"]


def test_help_of_every_verb_imports_none_of_the_big_libraries():
    from neuroview.cli.main import VERBS

    outputs, modules = _commands(["--help"], *([verb, "--help"] for verb in VERBS))
    assert [code for code, _ in outputs] == [0] * (len(VERBS) + 1)
    assert "headless verbs" in outputs[0][1] and "usage: neuroview convert" in outputs[2][1]
    assert modules == []


def _nifti(path, data, extension: bytes | None = None):
    img = nib.Nifti1Image(data, np.diag([1.0, 1.2, 1.5, 1.0]))
    if extension is not None:  # a DICOM header extension (code 2), as dcm2nii once wrote them
        img.header.extensions.append(nib.nifti1.Nifti1Extension(2, extension))
    nib.save(img, path)
    return path


def test_commands_on_nifti_files_do_not_import_pydicom(tmp_path):
    data = np.arange(20 * 18 * 12, dtype=np.int16).reshape(20, 18, 12)
    mask = (data % 7 == 0).astype(np.uint8)
    image = _nifti(tmp_path / "t1.nii.gz", data)
    labels = _nifti(tmp_path / "t1-labels.nii.gz", mask)
    outputs, modules = _commands(
        ["info", image], ["convert", image, tmp_path / "out.nii"],
        ["dataset", "init", tmp_path / "sets", "--name", "Start", "--labels", "background,lesion"],
        ["dataset", "add", tmp_path / "sets" / "Dataset501_Start", "--image", image,
         "--labels", labels])
    assert [code for code, _ in outputs] == [0, 0, 0, 0], outputs
    assert outputs[0][1].startswith("[1] t1.nii.gz | - | 20x18x12 | 1x1.2x1.5 mm | RAS")
    assert "nibabel" in modules and "pydicom" not in modules
    assert np.array_equal(np.asarray(nib.load(tmp_path / "out.nii").dataobj), data)
    added = tmp_path / "sets" / "Dataset501_Start" / "labelsTr" / "nv_0001.nii.gz"
    assert np.array_equal(np.asarray(nib.load(added).dataobj), mask)


def test_a_dicom_extension_and_a_file_that_needs_pydicom_in_one_command(tmp_path):
    """nibabel, imported without pydicom, keeps a NIfTI's DICOM extension as bytes (neuroview
    never reads it); pydicom is still imported for the DICOM file given beside it."""
    data = np.arange(16 * 16 * 8, dtype=np.int16).reshape(16, 16, 8)
    plain = _nifti(tmp_path / "plain.nii", data)
    with_extension = _nifti(tmp_path / "ext.nii", data, extension=b"\x08\x00\x60\x00CS\x02\x00MR")
    big_endian = get_testdata_file("MR_small_bigendian.dcm")
    outputs, modules = _commands(["info", plain, with_extension, big_endian],
                                 ["convert", with_extension, tmp_path / "out.nii"])
    assert [code for code, _ in outputs] == [0, 0], outputs
    lines = [line.split(" ", 1)[1] for line in outputs[0][1].splitlines() if line.startswith("[")]
    assert lines[0].replace("plain.nii", "ext.nii") == lines[1]  # the same description
    assert any(" | 64x64x1 | " in line for line in lines)
    assert "pydicom" in modules  # for the big-endian file
    assert np.array_equal(np.asarray(nib.load(tmp_path / "out.nii").dataobj), data)


FIRST_PAINT = first_paint_script(
    'import json; print(json.dumps({"shape": list(window.controller.volume.array.shape), '
    '"modules": sorted(m for m in %r if m in sys.modules)}))' % (HEAVY + ("scipy.ndimage", "scipy.spatial"),))


def test_the_window_shows_a_nifti_without_scipys_image_functions_pydicom_or_torch(tmp_path):
    """``neuroview t1.nii.gz``: by the first paint of the image the window has imported Qt, VTK
    and nibabel, not scipy.ndimage and scipy.spatial (the editing tools import them when used:
    0.4 s of CPU, a third of the window's start), pydicom or torch."""
    import json

    image = _nifti(tmp_path / "t1.nii.gz", np.arange(24 * 20 * 16, dtype=np.int16).reshape(24, 20, 16))
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen",
               NEUROVIEW_HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(image)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout.splitlines()[-1])
    assert shown["shape"] == [24, 20, 16]
    assert {"PySide6", "vtkmodules", "nibabel"} <= set(shown["modules"])
    assert not {"scipy.ndimage", "scipy.spatial", "pydicom", "torch"} & set(shown["modules"])
