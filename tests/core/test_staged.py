"""A follow-up's outputs (``neuroview followup --out``, the window's *Report...*) are written in a
hidden folder, then renamed into the output folder one by one: a kill or an error between two
renames left part of the new set beside the earlier run's (a new table with the old report). Now
an intent file names the renames: the next write in the folder (or ``finish_moves``) completes
the set, and the report is renamed last, so a report in the folder means the whole set is."""

from __future__ import annotations

import os
import signal

import pytest

from neuroview.core.staged import INTENT, finish_moves, staged_folder
from tests.durability import fork_killed

LAST = ("report.html",)


def _write_set(out, run: str):
    with staged_folder(out, last=LAST) as stage:
        for name in ("lesions.csv", "lesions_tp2.csv", "keyslices/tp2_lesion1_tp1.png", "report.html"):
            (stage / name).parent.mkdir(exist_ok=True)
            (stage / name).write_text(f"{run} {name}")


def _files(out) -> dict:
    return {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()}


def _whole(run: str) -> dict:
    return {name: f"{run} {name}" for name in
            ("keyslices/tp2_lesion1_tp1.png", "lesions.csv", "lesions_tp2.csv", "report.html")}


def test_an_error_between_renames_is_completed_by_the_next_write(tmp_path, monkeypatch):
    out = tmp_path / "followup"
    _write_set(out, "first")
    assert _files(out) == _whole("first")
    real, calls = os.replace, []

    def replace(source, target):
        calls.append(os.path.basename(target))
        if len(calls) > 1:
            raise OSError(5, "Input/output error")
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        _write_set(out, "second")
    monkeypatch.setattr(os, "replace", real)
    assert calls[-1] != "report.html"                    # the report goes last
    assert (out / "report.html").read_text() == "first report.html"   # not yet the new one's
    assert (out / INTENT).exists()

    assert finish_moves(out)                             # what the next run does first
    assert _files(out) == _whole("second")               # the whole second set, nothing hidden
    assert sorted(p.name for p in out.iterdir()) == ["keyslices", "lesions.csv", "lesions_tp2.csv",
                                                      "report.html"]
    assert not finish_moves(out)


def test_a_kill_between_renames_is_completed_by_the_next_run(tmp_path):
    out = tmp_path / "followup"
    _write_set(out, "first")
    code, _err = fork_killed(_write_set, out, "second", point="staged-moving")
    assert code == -signal.SIGKILL
    shown = {k: v for k, v in _files(out).items() if not k.startswith(".")}
    assert sorted(v.split()[0] for v in shown.values()) == ["first"] * 3 + ["second"]   # one moved
    assert shown["report.html"] == "first report.html"
    _write_set(out, "third")                             # the next run completes, then writes
    assert _files(out) == _whole("third")
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_failed_write_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "followup"
    _write_set(out, "first")
    with pytest.raises(RuntimeError), staged_folder(out, last=LAST) as stage:
        (stage / "lesions.csv").write_text("half")
        raise RuntimeError("stopped")
    assert _files(out) == _whole("first")
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
