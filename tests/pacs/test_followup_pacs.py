"""A follow-up of series on a PACS (a real Orthanc): two heads made with pydicom (the MNI template
sampled on an axial grid and on an oblique one), uploaded, then compared by series UID
(``pacs://SERVER/SERIES_UID``) on the command line and picked in the window's *Open follow-up*
dialog through the PACS browser: the tables are those of the same series read from local folders."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import pick_series
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from series_maker import SeriesSpec, write_series

from neuroview.cli.main import main
from neuroview.io import load
from neuroview.io.nifti import save_nifti
from neuroview.io.pacs import SeriesCache, save_server, store
from tests.app.followup_cases import lesion_masks
from tests.app.followup_tables import same_table, shown_csv
from tests.jobs_stopped import stop_jobs

HEADS = {"t1": SeriesSpec(rows=60, cols=52, n_slices=50, row_spacing=3.6, col_spacing=3.2,
                          slice_step=3.4, description="T1 baseline", seed=1),
         "t2": SeriesSpec(orientation="oblique", rows=56, cols=56, n_slices=46, row_spacing=3.5,
                          col_spacing=3.3, slice_step=3.6, description="T1 follow-up", seed=2)}


@pytest.fixture(scope="module", autouse=True)
def registered_once():
    """The local folders' pair, then the same series read from the PACS by the command line and
    by the window, registered once (:func:`tests.registration_reuse.registrations_reused`, keyed by
    the images' bytes and the options): a series the PACS gave back other than the local one, by
    a byte, is registered anew and its table is compared as before."""
    from tests.registration_reuse import registrations_reused

    with registrations_reused({}) as reused:
        yield reused


@pytest.fixture(scope="module")
def uploaded(orthanc, mni_volume, tmp_path_factory):
    """Both heads on the Orthanc (made and sent once for the module's tests, which only read
    them), their lesion masks (the follow-up's lesions changed) as local NIfTI files on the grids
    neuroview reads, and the follow-up table of the local folders (``lesions_tp2.csv``): the
    reference both tests compare with. ``(folder, {name: (series folder, series UID)}, table)``."""
    orthanc.clear()
    folder = tmp_path_factory.mktemp("followup-pacs")
    out = {}
    for name, spec in HEADS.items():
        written = write_series(folder / name, mni_volume, spec)
        volume = load(written.folder)
        save_nifti(lesion_masks(volume.shape, volume.ijk_to_ras, np.eye(4), name == "t2"),
                   volume.ijk_to_ras, folder / f"{name}_lesions.nii.gz")
        uid = str(pydicom.dcmread(written.files[0], stop_before_pixels=True).SeriesInstanceUID)
        out[name] = (written.folder, uid)
    store(server_config(orthanc), [series for series, _ in out.values()])
    (base_folder, _), (later_folder, _) = out.values()
    with pytest.MonkeyPatch.context() as patch:  # not the user's folder: this fixture runs first
        patch.setenv("NEUROVIEW_HOME", str(folder / "home"))
        assert main(["followup", str(base_folder), str(later_folder), *masks(folder),
                     "--out", str(folder / "local")]) == 0
    return folder, out, (folder / "local" / "lesions_tp2.csv").read_text()


@pytest.fixture
def heads_on_pacs(uploaded, orthanc, tmp_path, monkeypatch):
    """The module's heads, the Orthanc known as server ``lab`` in this test's own user folder."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(orthanc, name="lab"))
    return uploaded


def masks(folder):
    return ["--labels-baseline", str(folder / "t1_lesions.nii.gz"),
            "--labels", str(folder / "t2_lesions.nii.gz"), "--brain-threshold"]


def test_followup_of_series_on_a_pacs_gives_the_local_table(heads_on_pacs, tmp_path, capsys):
    folder, heads, local = heads_on_pacs
    (_, base_uid), (_, later_uid) = heads.values()
    assert main(["followup", f"pacs://lab/{base_uid}", f"pacs://lab/{later_uid}", *masks(folder),
                 "--out", str(tmp_path / "pacs")]) == 0
    assert same_table((tmp_path / "pacs" / "lesions_tp2.csv").read_text(), local)
    assert sorted(line.split(",")[1] for line in local.splitlines()[1:]) == sorted(
        ["new", "enlarging", "enlarging", "stable", "shrinking", "resolved"])
    # both series came through the local cache, as neuroview pacs get brings them
    cache = SeriesCache(tmp_path / "home" / "pacs-cache")
    assert cache.lookup(base_uid) is not None and cache.lookup(later_uid) is not None
    capsys.readouterr()
    # a wrong server or UID: one line naming it, no traceback
    assert main(["followup", "pacs://nowhere/1.2.3", f"pacs://lab/{later_uid}", *masks(folder),
                 "--out", str(tmp_path / "bad")]) == 1
    assert main(["followup", "pacs://lab/not-a-uid", f"pacs://lab/{later_uid}", *masks(folder),
                 "--out", str(tmp_path / "bad")]) == 1
    assert main(["followup", "pacs://lab/1.2.3.4.5", f"pacs://lab/{later_uid}", *masks(folder),
                 "--out", str(tmp_path / "bad")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "Traceback" not in "".join(err)
    assert "no DICOM server named 'nowhere'" in err[0]
    assert "not a DICOM UID" in err[1]
    assert "lab has no series 1.2.3.4.5" in err[2]


def test_the_window_picks_both_series_in_the_pacs_browser(heads_on_pacs, tmp_path, qtbot):
    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    folder, heads, local = heads_on_pacs
    (_, base_uid), (_, later_uid) = heads.values()
    picked = []

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        for key, description in (("baseline", "T1 baseline"), ("followup", "T1 follow-up")):
            QTimer.singleShot(200, lambda d=description: pick_series(qtbot, d))
            qtbot.mouseClick(dialog.pacs_buttons[key], Qt.LeftButton)  # runs the browser
            picked.append(dialog.paths()[key])
        qtbot.mouseClick(dialog.brain_threshold, Qt.LeftButton,
                         pos=QPoint(8, dialog.brain_threshold.height() // 2))
        qtbot.keyClicks(dialog.edits["baseline_labels"], str(folder / "t1_lesions.nii.gz"))
        qtbot.keyClicks(dialog.edits["followup_labels"], str(folder / "t2_lesions.nii.gz"))
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok), Qt.LeftButton)

    QTimer.singleShot(200, fill_dialog)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Open follow-up...").trigger()
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=300000)
    assert [p.rsplit("/", 1)[1] for p in picked] == [base_uid, later_uid]
    assert all(p.startswith("pacs://lab/") for p in picked)
    view = window.followup_window
    assert same_table(shown_csv(view), local)
    stop_jobs(window.runner)
