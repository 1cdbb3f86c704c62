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
from tests.app.located_heads import located_head, off_ventricle_head, ventricle_distance_mm

pytest.importorskip("nilearn")


@functools.lru_cache(maxsize=2)
def _head(contrast: str):
    return located_head(contrast)


@functools.lru_cache(maxsize=2)
def _fitted(contrast: str):
    head = _head(contrast)
    return case_anatomy(head.image, head.ijk_to_ras, head.brain, head.labels > 0)


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
    image, affine, labels, brain = _oriented(head, sagittal)
    components, mask, origin = segment_components(labels, 1, affine)
    # stored axial: the fit the off-ventricle test uses too
    case = case_anatomy(image, affine, brain, labels > 0) if sagittal else _fitted(contrast)
    locations = locate_lesions(components, mask, origin, image, case)
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


@pytest.mark.parametrize("contrast, gap", [("t1", 1), ("flair", 1), ("flair", 2)])
def test_white_matter_between_it_and_the_ventricle(contrast, gap):
    """A periventricular lesion abuts the ventricle, no white matter between (MAGNIMS 2016):
    one or two 2 mm voxels of white matter between the lesion and the ventricle's edge make it
    deep white matter. (Told against the placed head's fit and tissue classes: the same head.)"""
    head = off_ventricle_head(contrast, gap)
    components, mask, origin = segment_components(head.labels, 1, head.ijk_to_ras)
    locations = locate_lesions(components, mask, origin, head.image, _fitted(contrast))
    assert [location.text() for location in locations] == ["deep white matter"]


@pytest.mark.parametrize("contrast", ["t1", "flair"])
def test_a_lesion_outlined_one_voxel_short_of_its_ventricle(contrast):
    """The placed periventricular lesion's mask without its voxels next to the ventricle (the
    image unchanged: they are still lesion there, not white matter): it still abuts it."""
    from scipy import ndimage

    head = _head(contrast)
    centre = dict((name, c) for name, c in head.expected)["periventricular"]
    ids = ndimage.label(head.labels, np.ones((3, 3, 3)))[0]
    number = ids[tuple(np.rint(np.linalg.inv(head.ijk_to_ras) @ [*centre, 1])[:3].astype(int))]
    assert number > 0
    own = ids == number
    short = own & (ventricle_distance_mm() > 2.0)
    assert 0 < np.count_nonzero(short) < np.count_nonzero(own)
    components, mask, origin = segment_components(short.astype(np.uint8), 1, head.ijk_to_ras)
    located = locate_lesions(components, mask, origin, head.image, _fitted(contrast))
    assert [location.text() for location in located] == ["periventricular"]


def test_the_demo_case_lesion_one_voxel_off_its_ventricle():
    """The demo case's four truth lesions: 1, 2 and 4 touch a lateral ventricle; lesion 3 has
    one 1 mm voxel of white matter between its edge and the ventricle's partial-volume edge, so
    it is deep white matter (it was periventricular by a 3 mm reach)."""
    from neuroview.app.followup_brain import brain_mask_by_threshold
    from neuroview.cli.demo import lesion_case, lesion_truth
    from neuroview.io.nifti import load_nifti

    image, truth = load_nifti(lesion_case()), load_nifti(lesion_truth())
    array = np.asarray(image.array, np.float32)
    _, locations, case = _located(array, image.ijk_to_ras, np.asarray(truth.array),
                                  brain_mask_by_threshold(array))
    assert case.problem == ""
    assert [location.text() for location in locations] == [
        "periventricular", "periventricular", "deep white matter", "periventricular"]


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
