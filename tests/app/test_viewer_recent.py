"""The recent-files list keeps the series chosen from paths of several (File > Recent reopens it)."""

from __future__ import annotations

from neuroview.app.viewer_recent import RecentEntry, RecentFiles, recent_labels


def test_recent_entries_keep_the_series_and_read_the_old_list(tmp_path):
    path = tmp_path / "recent.json"
    path.write_text('[["/data/a.nii.gz"], ["/data/study", "/data/more"]]')   # an older version's list
    recent = RecentFiles(path)
    assert recent.entries() == [RecentEntry(["/data/a.nii.gz"]), RecentEntry(["/data/study", "/data/more"])]
    uid = "1.2.826.0.1.3680043.8.498.4711.2.22"   # a DICOM series' scan key: its UID
    recent.add(["/data/study", "/data/more"], uid, "split", "T1 MPRAGE")
    entries = recent.entries()
    assert entries[0].paths == ["/data/study", "/data/more"] and entries[0].uneven == "split"
    assert entries[0].chose(uid) and not entries[0].chose(uid + ".2") and not entries[1].chose(uid)
    # no UID of the study in the data folder: a digest of it (the UID was kept until session 44)
    assert uid not in path.read_text() and "4711" not in path.read_text()
    assert entries[0].label(home="/home/ana") == "study (+1): T1 MPRAGE — /data" and len(entries) == 2
    recent.add(["/data/study", "/data/more"])           # opened again: one entry, the last choice
    assert [e.series for e in recent.entries()] == ["", ""] and len(recent.entries()) == 2
    path.write_text(f'[{{"paths": ["/data/study"], "series": "{uid}", "uneven": ""}}]')
    assert RecentFiles(path).entries()[0].chose(uid)   # as a list before session 44 kept it


def test_the_menu_names_a_file_by_name_and_folder_and_tells_two_of_one_name_apart():
    """File > Recent listed whole paths (``/home/ana/cases/patient_x/t1/brain.nii.gz``): now the
    name and its folder's name, more of the folder only where two entries would read the same,
    as VS Code's and Slicer's recent lists do; the whole path is the tooltip."""
    home = "/home/ana"
    entries = [RecentEntry(["/home/ana/cases/doe/t1/brain.nii.gz"]),
               RecentEntry(["/home/ana/cases/roe/t1/brain.nii.gz"]),
               RecentEntry(["/mnt/pacs/flair.nii.gz"]),
               RecentEntry(["/home/ana/scan.nii.gz"]),
               RecentEntry(["/srv/a/study", "/srv/a/more"], "1.2.3", "", "T1 MPRAGE")]
    assert recent_labels(entries, home) == [
        "brain.nii.gz — …/doe/t1", "brain.nii.gz — …/roe/t1", "flair.nii.gz — …/pacs",
        "scan.nii.gz — ~", "study (+1): T1 MPRAGE — …/a"]
    assert recent_labels(entries[:1], home) == ["brain.nii.gz — …/t1"]
    same_folders = [RecentEntry(["/x/t1/brain.nii.gz"]), RecentEntry(["/home/ana/x/t1/brain.nii.gz"])]
    assert recent_labels(same_folders, home) == ["brain.nii.gz — /x/t1", "brain.nii.gz — ~/x/t1"]
    assert entries[4].tooltip() == "/srv/a/study\n/srv/a/more"


def test_a_pacs_series_is_kept_by_a_digest_of_its_cache_folder_not_its_uid():
    """A series retrieved from a PACS lies in the cache in a folder named by its UID: the list
    kept that folder (so the UID) in session 47's first version, against the rule that the data
    folder's settings never keep a DICOM UID. It keeps a digest and finds the folder again."""
    import json
    import shutil

    from neuroview.app.series_digest import series_digest
    from neuroview.paths import user_data_dir

    uid = "1.2.826.0.1.3680043.8.498.4711.3.33"
    folder = user_data_dir() / "pacs-cache" / uid
    folder.mkdir(parents=True)
    recent = RecentFiles()
    recent.add([folder], pacs="MR 3 FLAIR, 2026-12-07 14:30")
    kept = recent.path.read_text()
    assert uid not in kept and "4711" not in kept
    assert json.loads(kept)[0]["paths"] == [f"pacs-cache:{series_digest(uid)}"]
    entry = recent.entries()[0]
    assert entry.paths == [str(folder)] and entry.label() == "MR 3 FLAIR, 2026-12-07 14:30 — PACS"
    recent.add([folder], pacs="MR 3 FLAIR, 2026-12-07 14:30")   # opened again: still one entry
    assert len(recent.entries()) == 1
    shutil.rmtree(folder)   # the cache let it go: opening it says it is not found
    assert recent.entries()[0].paths == [str(folder.parent / series_digest(uid))]
