"""A model's brain segment starts hidden after *AI > Segment* (context, not a finding, that would
cover the image); read back from a DICOM SEG it came in shown, so a case saved to PACS and
reopened did not look as it did. A labels file keeps each segment's Show box in its sidecar."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.label_files import prepare_label_file
from neuroview.app.session import Session
from neuroview.core.volume import Volume
from neuroview.io.seg import read_series_headers, save_seg
from tests.app.context_cases import model_run
from tests.dataset.fake_dicom import make_ct_series


@pytest.fixture(scope="module")
def ct(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ct")
    _datasets, array, ijk_to_ras = make_ct_series(folder)
    return folder, Volume(array.astype(np.float32), ijk_to_ras)


def _shown(session: Session) -> dict[str, bool]:
    return {s.name: s.visible for s in session.labels.segments}


def _reopened(path, volume) -> Session:
    session = Session(volume)
    session.apply_labels(prepare_label_file(path, volume))
    return session


def test_a_brain_read_back_from_a_dicom_seg_starts_hidden_as_after_themodel_run(ct, tmp_path):
    folder, volume = ct
    run = model_run(volume)
    assert _shown(run) == {"lesion": True, "brain": False}      # the model's rule
    save_seg(run.labels, read_series_headers([folder]), tmp_path / "seg.dcm")

    reopened = _reopened(tmp_path / "seg.dcm", volume)
    assert _shown(reopened) == {"lesion": True, "brain": False}
    brain = next(s for s in reopened.labels.segments if s.name == "brain")
    assert (reopened.labels.array == brain.value).sum() == (run.labels.array == brain.value).sum()


@pytest.mark.parametrize("shown", [False, True])
def test_a_labels_file_keeps_the_brains_show_box(ct, tmp_path, shown):
    _folder, volume = ct
    run = model_run(volume)
    brain = next(s for s in run.labels.segments if s.name == "brain")
    run.segments.hide(brain.value, hidden=not shown)
    run.save_labels(tmp_path / "labels.nii.gz")

    assert _shown(_reopened(tmp_path / "labels.nii.gz", volume)) == {"lesion": True, "brain": shown}
