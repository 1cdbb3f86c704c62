"""One lesion table across three time points (baseline, follow-up 1, follow-up 2): lesions made up
in the baseline's world (tests/app/followup_cases.py, TRACKED) and drawn on three grids of other
voxel sizes, fields of view and poses: a lesion new at tp2 that grows at tp3, one resolved at tp3,
one that shrinks at tp2, two that merge at tp3, one stable."""

from __future__ import annotations

import numpy as np
import pytest
from three_time_points import GRIDS, POSES, write_three_time_points

from neuroview.app.followup import StudyInput
from neuroview.app.followup_lesions import MatchThresholds, for_reading
from neuroview.app.followup_track import track_lesions
from tests.app.followup_cases import TRACKED, grid, rigid, tracked_masks


def three_time_points(mni_volume):
    """``(studies, baseline_to_study)``: the lesion masks of TRACKED on three grids."""
    studies, transforms = [], []
    for t, ((spacing, margin), (rotation, shift)) in enumerate(zip(GRIDS, POSES)):
        shape, affine = grid(mni_volume, spacing, margin)
        truth = rigid(rotation, shift, mni_volume.center_ras)
        lesions = tracked_masks(shape, affine, np.linalg.inv(truth), t)
        studies.append(StudyInput(np.zeros(shape, np.float32), affine, lesions, name=f"tp{t + 1}"))
        transforms.append(truth)
    return studies, transforms


def drawn_ml(study: StudyInput, truth, t: int, name: str) -> float:
    mask = tracked_masks(study.lesions.shape, study.ijk_to_ras, np.linalg.inv(truth), t, only=name)
    return np.count_nonzero(mask) * abs(np.linalg.det(study.ijk_to_ras[:3, :3])) / 1000


def test_each_lesion_is_one_row_with_its_volume_at_every_time_point(mni_volume):
    studies, transforms = three_time_points(mni_volume)
    tracking = track_lesions(studies, transforms)
    assert len(tracking.rows) == len(TRACKED)
    for name, (points, radii, steps) in TRACKED.items():
        centre = np.mean(points, axis=0)
        row = min(tracking.rows, key=lambda r: np.linalg.norm(np.subtract(r.position_ras, centre)))
        assert np.linalg.norm(np.subtract(row.position_ras, centre)) < 3.0, name
        assert row.steps == list(steps), name
        assert row.status == steps[-1], name
        for t, study in enumerate(studies):
            expected = drawn_ml(study, transforms[t], t, name)
            assert row.volumes_ml[t] == pytest.approx(expected, rel=0.05, abs=1e-9), (name, t)
            assert (row.volumes_ml[t] > 0) == (radii[t] > 0), (name, t)
    merged = next(r for r in tracking.rows if r.event)
    assert (merged.event, merged.parts) == ("merged at tp3", [2, 2, 1])
    new = next(r for r in tracking.rows if r.steps[0] == "new")
    assert new.change_pct is None and new.change_ml == pytest.approx(new.volumes_ml[2])


def test_the_csv_has_a_volume_column_per_time_point(mni_volume):
    studies, transforms = three_time_points(mni_volume)
    lines = track_lesions(studies, transforms).csv().splitlines()
    assert lines[0] == ("id,status,event,volume_tp1_ml,volume_tp2_ml,volume_tp3_ml,change_ml,"
                        "change_pct,status_tp2,status_tp3,x_ras_mm,y_ras_mm,z_ras_mm,parts_tp1,parts_tp2,parts_tp3")
    assert len(lines) == len(TRACKED) + 1
    assert sorted(line.split(",")[1] for line in lines[1:]) == sorted(s[-1] for _, _, s in TRACKED.values())


def test_other_thresholds_change_the_statuses_not_the_links(mni_volume):
    """The lesion that shrinks from 8 to 5.5 mm radius (-67 %) stays shrinking at 50 % but is
    stable at 80 %; a restatus gives what a new tracking with those thresholds gives."""
    studies, transforms = three_time_points(mni_volume)
    tracking = track_lesions(studies, transforms)
    strict = MatchThresholds(min_change_pct=80.0, min_change_ml=0.05)
    tracking.restatus(strict)
    assert tracking.csv() == track_lesions(studies, transforms, strict).csv()
    shrunk = min(tracking.rows, key=lambda r: np.linalg.norm(
        np.subtract(r.position_ras, TRACKED["shrunk at tp2"][0][0])))
    assert shrunk.steps == ["stable", "stable"]
    tracking.restatus(MatchThresholds(min_change_pct=50.0, min_change_ml=0.05))
    assert shrunk.steps == ["shrinking", "stable"]


def test_a_lesion_that_splits_is_marked_at_its_time_point():
    affine = np.eye(4)
    one = np.zeros((30, 30, 30), np.uint8)
    one[5:15, 5:15, 5:15] = 1
    split = one.copy()
    split[9:11] = 0
    studies = [StudyInput(one, affine, m) for m in (one, one, split)]
    row, = track_lesions(studies, [np.eye(4)] * 3).rows
    assert (row.event, row.parts, row.steps) == ("split at tp3", [1, 1, 2], ["stable", "stable"])


def test_the_cli_writes_one_table_across_three_registered_time_points(mni_volume, tmp_path, capsys):
    """``neuroview followup t1 t2 t3``: registered on the anatomy (not given the transforms), each
    made-up lesion gets its statuses exactly and its volumes within 5 % in ``lesions.csv``; the
    report holds that table. The command line's main in this process (its claim is what the
    command writes; a fresh ``python -m neuroview`` spent about 0.9 s of CPU importing first)."""
    from neuroview.cli.main import main

    studies = write_three_time_points(mni_volume, tmp_path)
    out = tmp_path / "out"
    code = main(["followup", *(str(tmp_path / f"t{t}.nii.gz") for t in (1, 2, 3)),
                 "--labels-baseline", str(tmp_path / "t1_lesions.nii.gz"),
                 "--labels", str(tmp_path / "t2_lesions.nii.gz"), str(tmp_path / "t3_lesions.nii.gz"),
                 "--brain-threshold", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "lesions.csv (all time points)" in printed.out
    lines = [line.split(",") for line in (out / "lesions.csv").read_text().splitlines()]
    header, rows = lines[0], lines[1:]
    assert len(rows) == len(TRACKED)
    column = {name: header.index(name) for name in header}
    for name, (points, _, steps) in TRACKED.items():
        centre = np.mean(points, axis=0)
        row = min(rows, key=lambda r: np.linalg.norm(
            np.array([r[column["x_ras_mm"]], r[column["y_ras_mm"]], r[column["z_ras_mm"]]], float) - centre))
        assert [row[column["status_tp2"]], row[column["status_tp3"]]] == list(steps), name
        assert row[column["status"]] == steps[-1], name
        for t, study in enumerate(studies):
            truth = rigid(*POSES[t], mni_volume.center_ras)
            assert float(row[column[f"volume_tp{t + 1}_ml"]]) == pytest.approx(
                drawn_ml(study, truth, t, name), rel=0.05, abs=1e-9), (name, t)
    report = (out / "report.html").read_text()
    assert "Lesions across all time points" in report
    for row in for_reading(header, rows)[1]:   # the positions as sides there (L 21.1)
        assert "".join(f"<td>{c}</td>" for c in row) in report
