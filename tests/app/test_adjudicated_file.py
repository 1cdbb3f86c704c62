"""A label file saved after the readers' *Apply to label map* says who adjudicated each segment
in its ``NAME.segments.json``, and *Load labels* gives the segment list's ``adjudicated`` back
with the adjudicator's name, in a case that no longer has the workspace (closing the window after
a save sets it aside). Until session 40 the reopened labels read ``file labels.nii.gz``, the
adjudication gone. A sidecar without the mark (an older one) loads as before."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.label_files import sidecar_path
from neuroview.io import load
from tests.app.readers_series import ann_and_bob, apply_outline, modelled_case
from tests.durability import killed_after


@pytest.fixture(scope="module")
def saved(tmp_path_factory, mni_volume):
    """Bob's outline applied by Sam Senior and saved (labels.nii.gz), then a voxel erased by hand
    and saved again (edited.nii.gz): (folder, lesion value, the two label files)."""
    root = tmp_path_factory.mktemp("adjudicated_file")
    folder, _volume, _ann, _bob = ann_and_bob(root, mni_volume)
    case, comparison = modelled_case(folder, root / "ws")
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    value = case.labels.segments.by_name("lesion").value
    first = case.save_labels(root / "labels.nii.gz")
    corner = np.argwhere(case.labels.array == value)[0]
    case.session.apply("erase", at_ras=(case.volume.ijk_to_ras @ np.append(corner, 1.0))[:3],
                       radius_mm=1.0, mode="2d", segment=value)
    second = case.save_labels(root / "edited.nii.gz")
    case.close()
    return folder, value, first, second


def _reopened(folder, workspace, path):
    """A new case of the series (another workspace: the first set aside) with ``path`` loaded."""
    case = Case.open(load(folder), workspace=workspace)
    case.session.load_labels(path)
    return case


def test_the_reloaded_segment_reads_adjudicated_by_the_same_adjudicator(saved, tmp_path):
    folder, value, first, second = saved
    (row,) = [r for r in json.loads(sidecar_path(first).read_text()) if r["value"] == value]
    assert row["adjudicated"] == {"by": "Sam Senior", "drawn": False}
    case = _reopened(folder, tmp_path / "ws", first)
    assert case.session.segments.source_cell(value) == ("adjudicated", "adjudicated by Sam Senior")
    case.session.undo()   # Ctrl+Z of the load: nothing adjudicated
    assert value not in case.labels.segments or case.session.segments.adjudicated(value) is None
    case.session.redo()
    assert case.session.segments.source_cell(value)[0] == "adjudicated"
    again = case.save_labels(tmp_path / "again.nii.gz")   # saved again (a compaction): still said
    (row,) = [r for r in json.loads(sidecar_path(again).read_text()) if r["value"] == value]
    assert row["adjudicated"] == {"by": "Sam Senior", "drawn": False}
    assert case.session.segments.source_cell(value)[0] == "adjudicated"
    case.close()

    case = _reopened(folder, tmp_path / "ws2", second)   # corrected by hand before the save
    assert case.session.segments.source_cell(value) == ("adjudicated + drawn", "adjudicated by Sam Senior")
    case.close()


def test_add_to_training_set_records_the_reloaded_segment_adjudicated(saved, tmp_path, capsys):
    """*Add to training set* after the reload: the segment is ``adjudicated``, by Sam Senior,
    nothing changed; an erasure after the load is counted against the file's voxels. Until
    session 41 the record said ``loaded``, the adjudicator gone, while the list read
    ``adjudicated by Sam Senior``."""
    from neuroview.cli.main import main
    from neuroview.dataset.layout import init_dataset

    folder, value, first, _second = saved
    case = _reopened(folder, tmp_path / "ws", first)
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(dataset)
    (segment,) = record.segments
    assert (segment.source, segment.hand_edited, segment.changed_voxels) == ("adjudicated", False, 0)
    assert record.annotator == "Sam Senior"
    kept = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())
    assert kept["adjudication"]["adjudicator"] == "Sam Senior"
    assert main(["dataset", "list", str(dataset)]) == 0
    listed = capsys.readouterr().out
    assert "lesion (adjudicated)" in listed and "adjudicated by Sam Senior, as its label file says" in listed

    before = case.labels.array == value
    corner = np.argwhere(before)[0]
    case.session.apply("erase", at_ras=(case.volume.ijk_to_ras @ np.append(corner, 1.0))[:3],
                       radius_mm=1.0, mode="2d", segment=value)
    erased = int(np.count_nonzero(before & (case.labels.array != value)))
    assert erased > 0
    (segment,) = case.send_to_training_set(dataset, same_image="replace").segments
    assert (segment.source, segment.hand_edited, segment.changed_voxels) == ("adjudicated", True, erased)
    case.close()


def test_a_restore_after_a_kill_keeps_the_loaded_mark(saved, tmp_path):
    """Loaded, then killed before anything was saved: *Restore* reads the load step's marks from
    the crash journal."""
    folder, value, first, _second = saved
    killed_after(_reopened, folder, tmp_path / "ws", first)
    case = Case.open(load(folder), tmp_path / "ws", restore=True)
    assert (case.labels.array == value).any()
    assert case.session.segments.source_cell(value) == ("adjudicated", "adjudicated by Sam Senior")
    case.close()


def test_a_plain_file_loaded_over_the_adjudicated_segment_ends_its_mark(saved, tmp_path):
    """Its voxels replace the adjudicated ones: the segment reads the file, and the case is no
    adjudicated version (it read ``adjudicated`` still until session 40); Ctrl+Z gives it back."""
    folder, value, first, _second = saved
    case = _reopened(folder, tmp_path / "ws", first)
    plain = np.zeros(case.labels.array.shape, np.uint8)
    plain[1:3, 1:3, 1:3] = value
    nib.save(nib.Nifti1Image(plain, case.volume.ijk_to_ras), tmp_path / "plain.nii.gz")
    case.session.load_labels(tmp_path / "plain.nii.gz")
    assert case.session.segments.source_cell(value)[0] == "file plain.nii.gz"
    assert value not in case.session.segments.adjudication_marks()
    case.session.undo()
    assert case.session.segments.source_cell(value) == ("adjudicated", "adjudicated by Sam Senior")
    case.close()

    case, comparison = modelled_case(folder, tmp_path / "ws-apply")   # over an Apply of this session
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    assert case.adjudication is not None
    case.session.load_labels(tmp_path / "plain.nii.gz")
    assert case.session.segments.source_cell(value)[0] == "file plain.nii.gz"
    assert case.adjudication is None   # Add to training set: not the adjudicator's version
    case.close()


def test_an_older_sidecar_without_the_mark_still_loads(saved, tmp_path):
    """Without the mark (an older sidecar), or with a damaged one, the segment is the file's."""
    folder, value, first, _second = saved
    rows = json.loads(sidecar_path(first).read_text())
    for name, mark in (("old", None), ("damaged", {"by": 5, "drawn": "no"})):
        path = tmp_path / f"{name}.nii.gz"
        path.write_bytes(first.read_bytes())
        kept = [{**{k: v for k, v in r.items() if k != "adjudicated"},
                 **({"adjudicated": mark} if mark else {})} for r in rows]
        sidecar_path(path).write_text(json.dumps(kept))
        case = _reopened(folder, tmp_path / f"ws-{name}", path)
        assert case.labels.segments.get(value).name == "lesion"
        assert np.array_equal(case.labels.array, np.asarray(nib.load(path).dataobj))
        assert case.session.segments.source_cell(value)[0] == f"file {name}.nii.gz"
        case.close()


def test_the_adjudicator_reads_the_same_from_the_apply_and_from_the_file(saved, tmp_path, capsys):
    """The session's own *Apply* and the reloaded label file's mark name the adjudicator alike in
    the training set's record and ``dataset list`` (``Sam Senior``); the SEG keeps DICOM's PN
    (``Senior^Sam``). Until session 41 the Apply's record said ``Senior^Sam``."""
    import pydicom

    from neuroview.cli.main import main
    from neuroview.dataset.layout import init_dataset

    folder, _value, first, _second = saved
    written = {}
    for how in ("apply", "file"):
        if how == "apply":
            case, comparison = modelled_case(folder, tmp_path / "ws-apply")
            apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
        else:
            case = _reopened(folder, tmp_path / "ws-file", first)
        dataset = init_dataset(tmp_path / how, "Lesions", ["background", "lesion"])
        record = case.send_to_training_set(dataset)
        kept = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())
        assert main(["dataset", "list", str(dataset)]) == 0
        written[how] = (kept["annotator"], kept["adjudication"]["adjudicator"], capsys.readouterr().out)
        if how == "apply":
            from neuroview.app.readers import save_adjudicated_seg

            seg = save_adjudicated_seg(case, tmp_path / "adjudicated.dcm")
            head = pydicom.dcmread(seg, stop_before_pixels=True)
            assert str(head.ContentCreatorName) == "Senior^Sam"
            beside = json.loads((tmp_path / "adjudicated.dcm.provenance.json").read_text())
            assert beside["adjudicator"] == "Sam Senior"
        case.close()
    for how, (annotator, adjudicator, listed) in written.items():
        assert annotator == adjudicator == "Sam Senior", how
        assert "by Sam Senior  " in listed and "adjudicated by Sam Senior" in listed, how
        assert "^" not in listed, how


def test_a_segment_saved_adjudicated_and_drawn_goes_to_the_training_set_hand_edited(saved, tmp_path):
    """Corrected by hand before the save (``adjudicated + drawn``), reopened and loaded: the
    record's segment is hand edited, though no voxel changed since the load (the count starts at
    the load). Until session 41 it went as ``hand_edited: false``."""
    from neuroview.dataset.layout import init_dataset

    folder, value, _first, second = saved
    (row,) = [r for r in json.loads(sidecar_path(second).read_text()) if r["value"] == value]
    assert row["adjudicated"] == {"by": "Sam Senior", "drawn": True}
    case = _reopened(folder, tmp_path / "ws", second)
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(dataset)
    (segment,) = record.segments
    assert (segment.source, segment.hand_edited, segment.changed_voxels) == ("adjudicated", True, 0)
    kept = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())
    assert kept["segments"][0]["hand_edited"] is True
    case.close()
