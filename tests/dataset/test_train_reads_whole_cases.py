"""``neuroview train --dataset`` (and ``models compare --dataset``) read whole cases only: not one a
window's Send is moving into place, nor one a killed Send left half moved in.

A training run started while a case moved in stopped with "dataset.json says numTraining=2 but
labelsTr holds 3" (in a walk, 227 of 436 reads made while two annotators sent 20 cases); after a
Send killed there it refused the dataset until someone ran ``dataset list``."""

from __future__ import annotations

import os
import threading

import pytest

from neuroview.ai.finetune import read_dataset
from neuroview.cli.dataset import dataset_folder
from neuroview.core import crash
from neuroview.core.errors import DatasetError
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map


def _scan(small_mr, factor):
    return Volume(small_mr.array * factor, small_mr.ijk_to_ras, modality="MR")


def _two_cases(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    for factor in (1.0, 1.5):
        add_case(folder, _scan(small_mr, factor), lesion_map(small_mr), Provenance(annotator="dr.a"),
                 links_path=tmp_path / "links.json")
    return folder


def _at_the_label_moved_in(monkeypatch, then):
    """Call ``then()`` when the next add has moved its label into labelsTr (the second rename of
    a one-channel case), before dataset.json counts it."""
    renames = []

    def point(name):
        if name == "dataset-moving":
            renames.append(name)
            if len(renames) == 2:
                then()

    monkeypatch.setattr(crash, "point", point)


def test_a_training_run_starting_while_a_case_moves_in_waits_for_it(tmp_path, small_mr, monkeypatch):
    folder = _two_cases(tmp_path, small_mr)
    read = []

    def training_reads():
        try:
            read.append(len(read_dataset(folder).cases))
        except DatasetError as exc:
            read.append(exc.message)

    reader = threading.Thread(target=training_reads)

    def start_reading():
        reader.start()
        reader.join(timeout=1.0)   # it waits for the add (the lock), which then goes on

    _at_the_label_moved_in(monkeypatch, start_reading)
    add_case(folder, _scan(small_mr, 2.0), lesion_map(small_mr), Provenance(annotator="dr.b"),
             links_path=tmp_path / "links.json")
    reader.join(timeout=30)
    assert read == [3]


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after the point runs (no except clause catches it)."""


def test_training_completes_a_case_a_killed_send_left_half_moved_in(tmp_path, small_mr, monkeypatch,
                                                                   capsys):
    folder = _two_cases(tmp_path, small_mr)
    point = crash.point

    def killed():
        raise _Killed

    _at_the_label_moved_in(monkeypatch, killed)
    with pytest.raises(_Killed):
        add_case(folder, _scan(small_mr, 2.0), lesion_map(small_mr), Provenance(annotator="dr.b"),
                 links_path=tmp_path / "links.json")
    monkeypatch.setattr(crash, "point", point)

    dataset = read_dataset(dataset_folder(str(tmp_path)))   # what train --dataset DIR reads
    assert [case.name for case in dataset.cases] == ["nv_0001", "nv_0002", "nv_0003"]
    assert all(path.exists() for case in dataset.cases for path in case.images)
    assert "repaired:" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_lock_files_place_does_not_hang_training(tmp_path, small_mr):
    folder = _two_cases(tmp_path, small_mr)
    (folder / ".neuroview.lock").unlink()
    os.mkfifo(folder / ".neuroview.lock")
    read = []
    reader = threading.Thread(target=lambda: read.append(len(read_dataset(folder).cases)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert read == [2], "the read waited on the FIFO"
