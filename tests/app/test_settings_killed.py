"""The views kept per image (``views.json``) and the follow-up's marks (``followup-marks.json``)
survive a kill at any instant of their writes: 30 SIGKILLs each, at random, of a process writing
them over and over; after each the file reads back whole (json, and the app's own reader, which
sets a damaged file aside as ``NAME.bad``), with the newest version or a newer one."""

from __future__ import annotations

import json

from neuroview.app.followup_chosen import remember_marks, saved_marks
from neuroview.app.view_memory import MAX_IMAGES, MEMORY_FILE, remember_view, remembered_view
from neuroview.paths import user_data_path
from tests.kill_loop import kill_loop, temporaries

KILLS = 30


def _version(path, key, app_reader, version_of) -> int:
    """The version ``path`` holds for ``key`` (0: none yet), read as bytes by json (a torn file
    raises), then by the app's reader, which must read the same and set nothing aside as damaged."""
    if not path.exists():
        return 0
    kept = json.loads(path.read_bytes()).get(key)
    version = 0 if kept is None else version_of(kept)
    by_app = app_reader(key)
    assert not path.with_name(path.name + ".bad").exists(), "the app's reader found it damaged"
    assert (0 if not by_app else version_of(by_app)) == version
    return version


def test_views_survive_a_kill_anywhere():
    path = user_data_path() / MEMORY_FILE
    path.write_text(json.dumps({f"image{n}": {"window": 1.0, "level": 0.0, "crosshair": [n * 1.5, 2.0, 3.0]}
                                for n in range(MAX_IMAGES - 1)}))   # 199 other images' views

    def write(version):
        remember_view("image", {"window": float(version), "level": 0.0, "crosshair": [1.0, 2.0, 3.0]})

    last, landed = kill_loop(path, write, lambda: _version(path, "image", remembered_view,
                                                          lambda r: int(r["window"])), kills=KILLS)
    print(f"views.json: version {last} after {KILLS} kills, {landed} inside a write")
    assert last >= KILLS and landed >= 1, (last, landed)   # a third of the kills land inside a write
    assert len(json.loads(path.read_text())) == MAX_IMAGES


def test_followup_marks_survive_a_kill_anywhere():
    path = user_data_path() / "followup-marks.json"
    path.write_text(json.dumps({f"{n:064x}": [{"lesion": m, "wrong": True} for m in range(20)]
                                for n in range(99)}))   # 99 other sets of studies marked

    def write(version):
        remember_marks("studies", [{"lesion": m, "wrong": True, "version": version} for m in range(20)])

    last, landed = kill_loop(path, write, lambda: _version(path, "studies", saved_marks,
                                                          lambda marks: marks[0]["version"]), kills=KILLS)
    print(f"followup-marks.json: version {last} after {KILLS} kills, {landed} inside a write")
    assert last >= KILLS and landed >= 1, (last, landed)
    assert len(json.loads(path.read_text())) == 100
    assert temporaries(path)   # the kills' temporaries: left, never read as the file


def test_the_next_write_deletes_what_killed_writes_left_an_hour_ago():
    """Each kill inside a write left its temporary in the data folder for good (the loop above
    left 11 to 21); the next write deletes those an hour old, not a younger one, which may be
    another window's write in progress."""
    import os
    import time

    path = user_data_path() / MEMORY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    old, young = path.with_name(".views.a1b2c3d4.json"), path.with_name(".views.e5f6a7b8.json")
    for left in (old, young):
        left.write_text('{"image": {"wind')
    hour_ago = time.time() - 3601
    os.utime(old, (hour_ago, hour_ago))
    remember_view("image", {"window": 5.0, "level": 0.0})
    assert temporaries(path) == {young.name}
    assert remembered_view("image") == {"window": 5.0, "level": 0.0}
