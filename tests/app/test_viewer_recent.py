"""The recent-files list keeps the series chosen from paths of several (File > Recent reopens it)."""

from __future__ import annotations

from neuroview.app.viewer_recent import RecentEntry, RecentFiles


def test_recent_entries_keep_the_series_and_read_the_old_list(tmp_path):
    path = tmp_path / "recent.json"
    path.write_text('[["/data/a.nii.gz"], ["/data/study", "/data/more"]]')   # an older version's list
    recent = RecentFiles(path)
    assert recent.entries() == [RecentEntry(["/data/a.nii.gz"]), RecentEntry(["/data/study", "/data/more"])]
    recent.add(["/data/study", "/data/more"], "1.2.3.4", "split", "T1 MPRAGE")
    entries = recent.entries()
    assert entries[0] == RecentEntry(["/data/study", "/data/more"], "1.2.3.4", "split")
    assert entries[0].label() == "/data/study (+1): T1 MPRAGE" and len(entries) == 2
    recent.add(["/data/study", "/data/more"])           # opened again: one entry, the last choice
    assert [e.series for e in recent.entries()] == ["", ""] and len(recent.entries()) == 2
