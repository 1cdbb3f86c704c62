"""One rule (``core.extent.is_context``) says which segment is a model's brain: the training set
stores it as background, the follow-up leaves it out of the lesions and the DICOM SEG writer codes
it as the brain. Each of the three had its own test, and a brain read back from a SEG under
another name (its extent kept) was context to the SEG writer only: the training set asked which
label it was and the follow-up matched it as one lesion of a litre."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from neuroview.app.label_files import prepare_label_file, save_label_files, sidecar_path
from neuroview.app.session import Session
from neuroview.core.extent import without_context
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume
from neuroview.dataset.layout import DatasetInfo
from neuroview.dataset.segment_labels import unmatched_segments
from neuroview.io.seg import read_series_headers, save_seg
from neuroview.io.seg_context import codes_for
from tests.app.context_cases import masks, model_run
from tests.dataset.fake_dicom import make_ct_series

INFO = DatasetInfo(Path("."), "Lesions", {"background": 0, "lesion": 1}, {"0": "CT"}, 0, "uid")


@pytest.fixture(scope="module")
def ct(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ct")
    _datasets, array, ijk_to_ras = make_ct_series(folder)
    return folder, Volume(array.astype(np.float32), ijk_to_ras)


def _loaded(path, volume) -> LabelMap:
    """The labels a file gives a session (*Load labels*)."""
    session = Session(volume)
    session.apply_labels(prepare_label_file(path, volume))
    return session.labels


def _answers(label_map: LabelMap) -> dict[str, tuple[bool, bool, bool]]:
    """Segment name -> (context to the training set: neither a label nor asked about; to the
    follow-up: not a lesion; to the SEG writer: coded as the brain)."""
    unmatched = set(unmatched_segments(label_map, INFO))   # asked which label each is
    lesions = without_context(label_map)
    out = {}
    for segment in label_map.segments:
        present = bool((label_map.array == segment.value).any())
        assert present, segment.name
        out[segment.name] = (segment.name not in unmatched and segment.name not in INFO.foreground,
                             not (lesions == segment.value).any(),
                             codes_for(segment)[1].meaning == "Brain")
    return out


def _agree(label_map: LabelMap, context: dict[str, bool]) -> None:
    answers = _answers(label_map)
    assert answers == {name: (flag,) * 3 for name, flag in context.items()}


def test_a_model_runs_brain_is_context_to_all_three(ct):
    _agree(model_run(ct[1]).labels, {"lesion": False, "brain": True})


def test_a_brain_read_back_from_a_dicom_seg_is_context_to_all_three(ct, tmp_path):
    folder, volume = ct
    labels = model_run(volume).labels
    save_seg(labels, read_series_headers([folder]), tmp_path / "seg.dcm")
    _agree(_loaded(tmp_path / "seg.dcm", volume), {"lesion": False, "brain": True})


def test_a_renamed_brain_read_back_from_a_dicom_seg_is_still_context(ct, tmp_path):
    """The brain renamed before it went to PACS: coded as the brain, read back with its extent.
    Before, the training set asked which label 'Whole brain' was and the follow-up counted it."""
    folder, volume = ct
    labels = model_run(volume).labels
    brain = next(s for s in labels.segments if s.name == "brain")
    labels.segments.put(dataclasses.replace(brain, name="Whole brain"))
    save_seg(labels, read_series_headers([folder]), tmp_path / "seg.dcm")
    _agree(_loaded(tmp_path / "seg.dcm", volume), {"lesion": False, "Whole brain": True})


def test_brains_in_slicer_seg_nrrd_files(ct, tmp_path):
    """Saved by neuroview as .seg.nrrd (its sidecar says a model made the brain): context. Made in
    3D Slicer (no sidecar: a person's segments, whatever their names): not context."""
    _folder, volume = ct
    labels = model_run(volume).labels
    ours = save_label_files(labels, volume.ijk_to_ras, tmp_path / "ours.seg.nrrd")
    _agree(_loaded(ours, volume), {"lesion": False, "brain": True})

    table = SegmentTable()
    table.add("lesion", value=1)
    table.add("Brain", value=2)
    theirs = save_label_files(LabelMap(labels.array, volume.ijk_to_ras, table), volume.ijk_to_ras,
                              tmp_path / "slicer.seg.nrrd")
    sidecar_path(theirs).unlink()   # Slicer writes none
    loaded = _loaded(theirs, volume)
    assert [s.origin for s in loaded.segments] == ["loaded", "loaded"]
    _agree(loaded, {"lesion": False, "Brain": False})


def test_a_users_segment_merely_named_brain_is_no_context(ct):
    _folder, volume = ct
    brain, lesion = masks(volume.shape)
    session = Session(volume)
    table = session.labels.segments
    table.add("lesion", value=1)
    table.add("brain", value=2)
    session.labels.array[brain] = 2
    session.labels.array[lesion] = 1
    _agree(session.labels, {"lesion": False, "brain": False})
