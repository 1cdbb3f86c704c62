"""Each lesion's McDonald location on synthetic heads whose lesions were placed at known places
(``tests.app.located_heads``), in two contrasts and two orientations; and the cases where no
location can be told, each with its reason."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from neuroview.ai.heads import reorient
from neuroview.app.components import segment_components
from neuroview.app.lesion_location import (
    UNKNOWN,
    case_anatomy,
    counts_text,
    locate_lesions,
    location_counts,
)
from tests.app.located_heads import located_head

pytest.importorskip("nilearn")


@functools.lru_cache(maxsize=2)
def _head(contrast: str):
    return located_head(contrast)


def _oriented(head, sagittal: bool):
    """The head's arrays as stored (axial, RAS) or in a sagittal scanner's axis order."""
    if not sagittal:
        return head.image, head.ijk_to_ras, head.labels, head.brain
    image, affine = reorient(head.image, head.ijk_to_ras)
    return (image, affine, reorient(head.labels, head.ijk_to_ras)[0],
            reorient(head.brain, head.ijk_to_ras)[0])


def _located(image, affine, labels, brain, **kwargs):
    components, mask, origin = segment_components(labels, 1, affine)
    case = case_anatomy(image, affine, brain, labels > 0, **kwargs)
    return components, locate_lesions(components, mask, origin, image, case), case


@pytest.mark.parametrize("contrast", ["t1", "flair"])
@pytest.mark.parametrize("sagittal", [False, True], ids=["axial", "sagittal"])
def test_each_lesion_where_it_was_placed(contrast, sagittal):
    head = _head(contrast)
    components, locations, case = _located(*_oriented(head, sagittal))
    assert case.problem == ""
    assert len(components) == len(head.expected)
    told = {}
    for component, location in zip(components, locations):
        distances = [np.linalg.norm(np.array(component.centroid_ras) - centre)
                     for _, centre in head.expected]
        assert min(distances) < 1.0
        told[int(np.argmin(distances))] = location.text()
    assert [told[n] for n in range(len(head.expected))] == [name for name, _ in head.expected]
    # the summary a radiologist checks: lesions per location, in McDonald's order
    assert counts_text(locations) == ("periventricular 1, juxtacortical 1, infratentorial 2, "
                                      "deep white matter 1")


def test_a_ct_is_not_located():
    head = _head("t1")
    _, locations, case = _located(head.image, head.ijk_to_ras, head.labels, head.brain, ct=True)
    assert {location.text() for location in locations} == {"unknown (a CT: told on MR images only)"}
    assert case.to_template is None   # nothing fitted


def test_no_brain_mask_no_location():
    head = _head("t1")
    _, locations, _ = _located(head.image, head.ijk_to_ras, head.labels, None)
    assert location_counts(locations) == {UNKNOWN: len(head.expected)}
    assert locations[0].why.startswith("no brain mask")


def test_a_slab_is_not_located():
    """Ten 2 mm slices through the lesions' level: too little brain to fit the template to."""
    head = _head("t1")
    slab = (slice(None), slice(None), slice(60, 70))
    _, _, case = _located(head.image[slab], head.ijk_to_ras, head.labels[slab], head.brain[slab])
    assert case.problem == ("the image covers 20 mm along one axis: too little of the brain to "
                            "fit the template to")


def test_a_brain_mask_the_template_cannot_fit():
    """Half a brain (everything right of the midline) fits no brain: told, not guessed."""
    head = _head("flair")
    x = (np.moveaxis(np.indices(head.brain.shape), 0, -1) @ head.ijk_to_ras[:3, :3].T
         + head.ijk_to_ras[:3, 3])[..., 0]
    half = head.brain & (x > 0)
    _, locations, case = _located(head.image, head.ijk_to_ras, head.labels, half)
    assert case.problem.startswith("the MNI152 template did not fit this brain (brain masks' Dice 0.")
    assert {location.name for location in locations} == {UNKNOWN}


def test_tissues_not_told_apart():
    """An image of noise inside a brain mask: no class fills the ventricles."""
    head = _head("t1")
    noise = np.random.default_rng(0).uniform(100, 200, head.image.shape).astype(np.float32)
    noise[~head.brain] = 0
    _, locations, case = _located(noise, head.ijk_to_ras, head.labels, head.brain)
    assert "not told apart by intensity" in case.problem
    assert all(location.name == UNKNOWN for location in locations)
