"""A real ``dataset add`` killed once its plan of moves was written, the plan damaged since:
``dataset repair`` (or the next add) completes the case when each of its files reads whole, sets
it aside when one does not, and survives its own kill -9 at any moment of that."""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import signal

import nibabel as nib
import numpy as np
import pytest

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map, noise_image
from tests.durability import fork_killed


def _run(*args):
    from neuroview.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["dataset", *map(str, args)])
    return code, out.getvalue(), err.getvalue()


def _killed_after_plan(tmp_path, reviewed=None):
    """A dataset holding nv_0001 whole and nv_0002 staged, its add killed right after its plan of
    moves, that plan then cut short: (folder, nv_0002's label map)."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    links = tmp_path / "private" / "links.json"
    first = noise_image(1)
    add_case(folder, first, lesion_map(first), links_path=links)
    second = noise_image(2)
    labels = lesion_map(second, box=(slice(3, 9), slice(4, 8), slice(5, 12)))
    add = functools.partial(add_case, folder, second, labels, links_path=links, reviewed=reviewed)
    code, err = fork_killed(add, point="dataset-ready")
    assert code == -signal.SIGKILL, err
    plan = folder / ".staging" / "nv_0002" / "ready.json"
    plan.write_text(plan.read_text()[:25])   # a bad sector: the plan cut short
    return folder, labels


def _num_training(folder):
    return json.loads((folder / "dataset.json").read_text())["numTraining"]


def test_list_goes_on_and_repair_completes_a_whole_case(tmp_path):
    folder, labels = _killed_after_plan(tmp_path)
    code, out, err = _run("list", folder)
    assert code == 0 and err.startswith("note: nv_0002's add was interrupted"), err
    assert "nv_0001" in out and "nv_0002" not in out and _num_training(folder) == 1
    code, out, err = _run("repair", folder)
    assert (code, err) == (0, ""), err
    assert out.startswith("completed case nv_0002, whose adding was interrupted and whose plan of "
                          "moves was damaged"), out
    label = np.asarray(nib.load(folder / "labelsTr" / "nv_0002.nii.gz").dataobj)
    assert np.array_equal(label, labels.array)
    assert _num_training(folder) == 2 and not any((folder / ".staging").iterdir())
    code, out, err = _run("list", folder)
    assert (code, err) == (0, "") and "nv_0002" in out and out.rstrip().count("\n") == 2, out


def test_a_partial_case_gets_its_ignore_label_declared(tmp_path):
    reviewed = np.zeros((24, 26, 28), bool)
    reviewed[:, :, 10:] = True
    folder, _ = _killed_after_plan(tmp_path, reviewed=reviewed)
    assert "ignore" not in json.loads((folder / "dataset.json").read_text())["labels"]
    assert _run("repair", folder)[1].startswith("completed case nv_0002")
    data = json.loads((folder / "dataset.json").read_text())
    assert data["labels"] == {"background": 0, "lesion": 1, "ignore": 2} and data["numTraining"] == 2
    label = np.asarray(nib.load(folder / "labelsTr" / "nv_0002.nii.gz").dataobj)
    assert set(np.unique(label[:, :, :10])) == {2}


@pytest.mark.parametrize(("cut", "said"), [(40, "nv_0002.nii.gz cannot be read"),
                                           (5, "nv_0002.nii.gz is cut short")])
def test_a_cut_label_is_set_aside_and_not_counted(tmp_path, cut, said):
    """Cut in its voxels, or in its trailer (every voxel reads, as the viewer opens such a file:
    until session 52's fix it was counted; ``add`` wrote it whole, so it was damaged since)."""
    folder, _ = _killed_after_plan(tmp_path)
    label = folder / ".staging" / "nv_0002" / "nv_0002.nii.gz"
    label.write_bytes(label.read_bytes()[:-cut])
    staged = sorted(p.name for p in label.parent.iterdir())
    code, out, err = _run("repair", folder)
    assert (code, err) == (0, "") and "set aside the interrupted add of nv_0002" in out, out
    assert said in out, out
    aside = next((folder / "incomplete").iterdir())
    assert sorted(p.name for p in aside.iterdir()) == staged   # nothing lost
    assert not (folder / "labelsTr" / "nv_0002.nii.gz").exists() and _num_training(folder) == 1
    assert _run("list", folder)[:1] + _run("list", folder)[2:] == (0, "")


def test_the_next_add_settles_it(tmp_path):
    folder, labels = _killed_after_plan(tmp_path)
    third = noise_image(3)
    record = add_case(folder, third, lesion_map(third), links_path=tmp_path / "private" / "links.json")
    assert record.case == "nv_0003" and _num_training(folder) == 3
    assert np.array_equal(np.asarray(nib.load(folder / "labelsTr" / "nv_0002.nii.gz").dataobj),
                          labels.array)


@pytest.mark.parametrize("point", ["dataset-replanned", "dataset-moving", None])
def test_repair_killed_while_settling_leaves_a_sound_dataset(tmp_path, point):
    """Killed after writing the new plan, amid its moves, or 0.3 s in: the next ``list`` (a whole
    plan) or ``repair`` (still the damaged one) ends with nv_0002 in place, counted once."""
    from neuroview.cli.main import main

    folder, labels = _killed_after_plan(tmp_path)
    code, err = fork_killed(main, ["dataset", "repair", str(folder)], point=point,
                            delay=None if point else 0.3)
    assert "Traceback" not in err
    if point:
        assert code == -signal.SIGKILL, err
    _run("list", folder)
    _run("repair", folder)
    code, out, err = _run("list", folder)
    assert (code, err) == (0, "") and out.rstrip().count("\n") == 2, out + err
    assert np.array_equal(np.asarray(nib.load(folder / "labelsTr" / "nv_0002.nii.gz").dataobj),
                          labels.array)
    assert _num_training(folder) == 2 and not any((folder / ".staging").iterdir())
    with gzip.open(folder / "imagesTr" / "nv_0002_0000.nii.gz") as image:
        assert len(image.read()) > 0


def test_training_says_which_case_it_leaves_out(tmp_path, capsys):
    """``train --dataset`` (and Train's dataset) reads the dataset as ``list`` does: the unsettled
    case is left out, said in the same note (it was left out without a word)."""
    from neuroview.cli.dataset import dataset_folder

    folder, _ = _killed_after_plan(tmp_path)
    capsys.readouterr()
    assert dataset_folder(str(folder)) == str(folder)
    err = capsys.readouterr().err
    assert err.startswith("note: nv_0002's add was interrupted and its plan of moves") and \
        err.count("\n") == 1 and f"`neuroview dataset repair {folder}`" in err, err
    assert _num_training(folder) == 1


def test_a_label_of_values_the_dataset_lacks_is_set_aside(tmp_path):
    """A staged label that reads whole but holds a value no label of the dataset has (written
    over since) is not counted: training would learn a class the dataset does not name."""
    folder, labels = _killed_after_plan(tmp_path)
    label = folder / ".staging" / "nv_0002" / "nv_0002.nii.gz"
    image = nib.load(label)
    nib.save(nib.Nifti1Image(np.asarray(image.dataobj) * 9, image.affine), label)
    code, out, _ = _run("repair", folder)
    assert "nv_0002.nii.gz holds values that are not labels of the dataset" in out, out
    assert not (folder / "labelsTr" / "nv_0002.nii.gz").exists() and _num_training(folder) == 1


def _moved_in_before_the_kill(tmp_path):
    """:func:`_killed_after_plan`, its image and label moved into place before the kill (as
    ``move_in`` renames them one by one): the label counted by training's reader, not by
    ``numTraining``."""
    import os

    folder, labels = _killed_after_plan(tmp_path)
    staged = folder / ".staging" / "nv_0002"
    for name, sub in (("nv_0002_0000.nii.gz", "imagesTr"), ("nv_0002.nii.gz", "labelsTr")):
        os.replace(staged / name, folder / sub / name)
    return folder, labels


def test_a_label_moved_in_before_the_kill_is_settled_before_training(tmp_path, capsys):
    """Training read such a dataset as damaged ('dataset.json says numTraining=1 but labelsTr
    holds 2') while its note said the case was left out: the repair it runs settles the case."""
    from neuroview.ai.finetune import read_dataset
    from neuroview.cli.dataset import dataset_folder

    folder, labels = _moved_in_before_the_kill(tmp_path)
    capsys.readouterr()
    dataset_folder(str(folder))   # as train --dataset and Train model... read it
    err = capsys.readouterr().err
    assert err.startswith("note: repaired: completed case nv_0002, whose adding was interrupted and "
                          "whose plan of moves was damaged"), err
    assert [c.name for c in read_dataset(folder).cases] == ["nv_0001", "nv_0002"]
    assert np.array_equal(np.asarray(nib.load(folder / "labelsTr" / "nv_0002.nii.gz").dataobj),
                          labels.array)
    assert _num_training(folder) == 2 and not any((folder / ".staging").iterdir())


def test_a_label_moved_in_of_a_case_not_whole_is_set_aside_with_the_rest(tmp_path):
    """Its staged provenance damaged too: the label and image moved in go to the one folder of
    incomplete/ the staged files went to (nothing lost, nothing counted), and training reads on."""
    from neuroview.ai.finetune import read_dataset

    folder, _ = _moved_in_before_the_kill(tmp_path)
    (folder / ".staging" / "nv_0002" / "nv_0002.json").write_text("{")
    code, out, err = _run("list", folder)
    assert code == 0 and "set aside the interrupted add of nv_0002" in err, err
    (aside,) = (folder / "incomplete").iterdir()
    assert sorted(p.name for p in aside.iterdir()) == ["nv_0002.json", "nv_0002.nii.gz",
                                                       "nv_0002_0000.nii.gz", "ready.json"]
    assert _num_training(folder) == 1 and not (folder / "labelsTr" / "nv_0002.nii.gz").exists()
    with pytest.raises(Exception, match="needs at least 2 labelled cases, found 1"):
        read_dataset(folder)   # the one case left: not a count at odds with numTraining
    assert _run("repair", folder)[1] == "nothing to repair\n"


def test_killed_while_settling_a_label_moved_in_leaves_a_sound_dataset(tmp_path):
    from neuroview.ai.finetune import read_dataset
    from neuroview.cli.main import main

    folder, labels = _moved_in_before_the_kill(tmp_path)
    code, err = fork_killed(main, ["dataset", "list", str(folder)], point="dataset-replanned")
    assert code == -signal.SIGKILL and "Traceback" not in err, err
    _run("list", folder)
    assert [c.name for c in read_dataset(folder).cases] == ["nv_0001", "nv_0002"]
    assert np.array_equal(np.asarray(nib.load(folder / "labelsTr" / "nv_0002.nii.gz").dataobj),
                          labels.array)
    assert _num_training(folder) == 2 and not any((folder / ".staging").iterdir())
