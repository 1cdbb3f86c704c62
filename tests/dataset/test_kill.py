"""``dataset add`` killed at any moment: the next ``list`` (or ``add``) leaves a sound dataset."""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
import signal
import time
from types import SimpleNamespace

import nibabel as nib
import numpy as np
from store_integrity import integrity_check

from neuroview.dataset.layout import init_dataset
from tests.durability import fork_killed

CLI_FORKED = "what `dataset list` repairs and says, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


POINTS = ["dataset-image", "dataset-staged", "dataset-linked", "dataset-ready", "dataset-moving"]


def _add(args, point=None, delay=None):
    """``neuroview dataset add ARGS`` by the command line's ``main`` in a forked copy of this
    process, killed at ``point`` or after ``delay`` s: (returncode, stderr). A fresh ``python -m
    neuroview`` per add cost 0.8 s of CPU (0.6 s of imports, where most delay-kills landed), 23
    times in this module; ``test_list_repairs_what_an_older_crash_left`` runs the command line as
    a process of its own."""
    from neuroview.cli.main import main

    return fork_killed(main, ["dataset", "add", *map(str, args)], point=point, delay=delay)


def _list(folder) -> SimpleNamespace:
    """``neuroview dataset list FOLDER`` through the command line's ``main`` in this process: the
    adds are killed, so they run in processes of their own, the listing that repairs after them
    need not (a process of its own cost 0.3 s of CPU, 24 times in this module)."""
    from neuroview.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["dataset", "list", str(folder)])
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def _check_sound(folder, links_file, verify):
    listing = _list(folder)
    assert listing.returncode == 0, listing.stderr
    assert "Traceback" not in listing.stderr
    cases = sorted(p.name[: -len(".nii.gz")] for p in (folder / "labelsTr").glob("*.nii.gz"))
    data = json.loads((folder / "dataset.json").read_text())
    assert data["numTraining"] == len(cases)
    for sub in ("imagesTr", "labelsTr"):
        assert all(not p.name.startswith(".") for p in (folder / sub).iterdir()), sub
    assert sorted(p.stem for p in (folder / "provenance").glob("*.json")) == cases
    assert sorted(p.name for p in (folder / "imagesTr").iterdir()) == [f"{c}_0000.nii.gz" for c in cases]
    links = json.loads(links_file.read_text())["cases"] if links_file.exists() else {}
    assert set(cases) <= set(links)
    for case in cases:
        assert case in listing.stdout
    verify(str(folder), num_processes=1)
    return cases


def small_image(volume):
    """The test MR at 8 mm (25x30x24): a kill loop writes it a dozen times."""
    affine = volume.ijk_to_ras.copy()
    affine[:3, :3] *= 2
    return np.ascontiguousarray(volume.array[::2, ::2, ::2]), affine


def test_dataset_add_killed_anywhere_leaves_a_sound_dataset(tmp_path, small_mr, monkeypatch):
    verify = integrity_check(monkeypatch)
    array, affine = small_image(small_mr)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    image, labels, reviewed = tmp_path / "t1.nii.gz", tmp_path / "mask.nii.gz", tmp_path / "rev.nii.gz"
    nib.save(nib.Nifti1Image(array, affine), image)
    mask = np.zeros(array.shape, np.uint8)
    mask[5:10, 6:11, 7:12] = 1
    nib.save(nib.Nifti1Image(mask, affine), labels)
    seen = np.zeros(array.shape, np.uint8)
    seen[:, :, 4:] = 1
    nib.save(nib.Nifti1Image(seen, affine), reviewed)
    links_file = tmp_path / "private" / "links.json"
    args = ["dataset", "add", folder, "--image", image, "--labels", labels, "--links", links_file]

    # How long an add takes here, to spread the random kills over it.
    start = time.monotonic()
    assert _add(args[2:]) == (0, "")
    duration = time.monotonic() - start
    assert _check_sound(folder, links_file, verify) == ["nv_0001"]

    rng = random.Random(16)
    plan = [(p, None) for p in POINTS] + [(None, rng.uniform(0.2, 1.0) * duration) for _ in range(7)]
    killed_at_points = 0
    for i, (point, delay) in enumerate(plan):
        extra = ["--reviewed", reviewed] if i % 2 else []  # half the cases add the "ignore" label
        other = tmp_path / f"t1_{i}.nii.gz"  # another image each time (the same one would replace)
        nib.save(nib.Nifti1Image(array + i + 1, affine), other)
        other_args = [folder, "--image", other, "--labels", labels, "--links", links_file]
        code, err = _add(other_args + extra, point, delay)
        assert "Traceback" not in err
        if point:
            assert code == -signal.SIGKILL, point  # the point was reached
            killed_at_points += 1
        _check_sound(folder, links_file, verify)
    assert killed_at_points == len(POINTS)
    # A kill after "ready" is completed, before it rolled back: both happened above.
    final = _check_sound(folder, links_file, verify)
    assert len(final) >= 1 + 2  # dataset-ready and dataset-moving are completed by the repair
    assert not any((folder / ".staging").iterdir())


def _label_and_record(folder):
    label = np.asarray(nib.load(folder / "labelsTr" / "nv_0001.nii.gz").dataobj)
    record = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    return int(np.count_nonzero(label == 1)), record["segments"][0]["final_voxels"], record["annotator"]


def test_dataset_replace_killed_anywhere_leaves_the_old_or_the_new_label(tmp_path, small_mr, monkeypatch):
    """The same image sent again replaces its case's label; killed anywhere, the case has either
    its old label and provenance or the new ones (never one of each, never a missing file)."""
    verify = integrity_check(monkeypatch)
    array, affine = small_image(small_mr)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    image = tmp_path / "t1.nii.gz"
    nib.save(nib.Nifti1Image(array, affine), image)
    masks = {}
    for name, size in (("big", 5), ("small", 3)):   # 125 and 27 voxels: the label says which
        mask = np.zeros(array.shape, np.uint8)
        mask[5:5 + size, 6:6 + size, 7:7 + size] = 1
        masks[size ** 3] = tmp_path / f"{name}.nii.gz"
        nib.save(nib.Nifti1Image(mask, affine), masks[size ** 3])
    links_file = tmp_path / "private" / "links.json"

    def args(voxels, annotator, copy):
        source = tmp_path / f"copy_{copy}.nii.gz"   # the same image under another name each time
        shutil.copy(image, source)
        return [folder, "--image", source, "--labels", masks[voxels], "--links", links_file,
                "--annotator", annotator]

    start = time.monotonic()
    assert _add(args(125, "a0", 0)) == (0, "")
    duration = time.monotonic() - start
    assert _check_sound(folder, links_file, verify) == ["nv_0001"]
    rng = random.Random(8)
    plan = [(p, None) for p in POINTS] + [(None, rng.uniform(0.2, 1.0) * duration) for _ in range(5)]
    for i, (point, delay) in enumerate(plan, start=1):
        before = _label_and_record(folder)
        voxels = 27 if before[0] == 125 else 125
        code, err = _add(args(voxels, f"a{i}", i), point, delay)
        assert "Traceback" not in err
        if point:
            assert code == -signal.SIGKILL, point
        assert _check_sound(folder, links_file, verify) == ["nv_0001"]   # one case, never two
        after = _label_and_record(folder)
        assert after in (before, (voxels, voxels, f"a{i}")), (point, before, after)
        if point in ("dataset-ready", "dataset-moving"):   # past the point of no return: completed
            assert after == (voxels, voxels, f"a{i}"), point
        elif point:                                          # before it: rolled back
            assert after == before, point
    assert not any((folder / ".staging").iterdir())


def test_list_repairs_what_an_older_crash_left(tmp_path, small_mr, cli):
    """A case without provenance, a hidden temporary in labelsTr and a wrong numTraining (what a
    killed add of earlier versions left) are repaired by ``list``, which then succeeds."""
    from neuroview.core.volume import Volume
    from neuroview.dataset.store import add_case, list_cases
    from tests.dataset.label_maps import lesion_map

    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    add_case(folder, small_mr, lesion_map(small_mr), links_path=tmp_path / "l.json")
    brighter = Volume(small_mr.array * 2, small_mr.ijk_to_ras, modality="MR")  # a second image
    add_case(folder, brighter, lesion_map(small_mr), links_path=tmp_path / "l.json")
    (folder / "provenance" / "nv_0002.json").unlink()
    (folder / "labelsTr" / ".nv_0003.nii.k2j4.nii.gz").write_bytes(b"half")
    data = json.loads((folder / "dataset.json").read_text())
    (folder / "dataset.json").write_text(json.dumps({**data, "numTraining": 3}))

    listing = cli("dataset", "list", folder)
    assert listing.returncode == 0, listing.stderr
    assert "case nv_0002 was incomplete" in listing.stderr
    assert "removed the temporary file labelsTr/.nv_0003" in listing.stderr
    assert "numTraining" in listing.stderr
    # each fix is a note, as the terminal's other notes (it was a bare 'repaired: ...')
    assert all(line.startswith("note: repaired: ") for line in listing.stderr.splitlines()), listing.stderr
    assert [r.case for r in list_cases(folder)] == ["nv_0001"]
    assert json.loads((folder / "dataset.json").read_text())["numTraining"] == 1
    aside = next((folder / "incomplete").iterdir())
    assert sorted(p.name for p in aside.iterdir()) == ["nv_0002.nii.gz", "nv_0002_0000.nii.gz"]
    # Nothing left to repair: a second list writes nothing and says nothing.
    again = cli("dataset", "list", folder)
    assert again.returncode == 0 and again.stderr == ""
