"""``compare``'s progress is one, from 0 to 1: registration, lesion matching, then the brain
volume change halfway between the studies (two brain extractions), each in its share. It started
again at 0 for matching and for each extraction."""

from __future__ import annotations

import numpy as np

import neuroview.app.followup as followup
from neuroview.app.followup import StudyInput, compare
from neuroview.app.followup_brain import BRAIN_EXTRACTED


def _head(shape=(40, 44, 36)):
    ijk = np.indices(shape, dtype=np.float32)
    centre = (np.asarray(shape, np.float32) - 1)[:, None, None, None] / 2
    r = np.sqrt((((ijk - centre) / (np.asarray(shape)[:, None, None, None] / 3)) ** 2).sum(axis=0))
    image = np.where(r < 1, 100.0 + 40 * np.cos(6 * r) + 5 * ijk[0] / shape[0], 0).astype(np.float32)
    lesions = ((np.abs(ijk - centre) <= 2).all(axis=0)).astype(np.uint8)
    return image, lesions, r < 1.1


def test_compare_reports_one_progress_over_its_stages(monkeypatch):
    image, lesions, brain = _head()
    affine = np.diag([2.0, 2.0, 2.0, 1.0])

    def extract(volume, device, name, progress, cancel):   # deepbet stands aside: its progress only
        progress(0, 1, f"{name}: extracting the brain")
        progress(1, 1, f"{name}: brain extracted")
        return np.asarray(volume.array) > 50, BRAIN_EXTRACTED

    monkeypatch.setattr(followup, "extract_brain", extract)
    studies = [StudyInput(image, affine, lesions, brain, name, brain_source=BRAIN_EXTRACTED)
               for name in ("baseline", "follow-up 1")]
    seen = []
    compare(*studies, progress=lambda done, total, text: seen.append((done / total, text)))
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions), "the progress went back"
    assert fractions[-1] == 1.0
    said = dict((text, fraction) for fraction, text in seen)
    # registration [0, 0.5], then one extraction in each quarter
    assert 0 < said["rigid registration, level 1/3"] <= 0.5
    assert said["baseline halfway: extracting the brain"] == 0.5
    assert said["follow-up 1 halfway: extracting the brain"] == 0.75
