"""The recent-files list keeps the series chosen from paths of several (File > Recent reopens it)."""

from __future__ import annotations

from neuroview.app.viewer_recent import RecentEntry, RecentFiles, recent_labels


def test_recent_entries_keep_the_series_and_read_the_old_list(tmp_path):
    path = tmp_path / "recent.json"
    path.write_text('[["/data/a.nii.gz"], ["/data/study", "/data/more"]]')   # an older version's list
    recent = RecentFiles(path)
    assert recent.entries() == [RecentEntry(["/data/a.nii.gz"]), RecentEntry(["/data/study", "/data/more"])]
    recent.add(["/data/study", "/data/more"], "1.2.3.4", "split", "T1 MPRAGE")
    entries = recent.entries()
    assert entries[0] == RecentEntry(["/data/study", "/data/more"], "1.2.3.4", "split")
    assert entries[0].label(home="/home/ana") == "study (+1): T1 MPRAGE — /data" and len(entries) == 2
    recent.add(["/data/study", "/data/more"])           # opened again: one entry, the last choice
    assert [e.series for e in recent.entries()] == ["", ""] and len(recent.entries()) == 2


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
