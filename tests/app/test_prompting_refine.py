"""AI click on a lesion that is already segmented: the bundled network refines the mask without
cutting a hole where the user clicked or scribbled (issue #13).

The demo case's synthetic lesions, each labelled one voxel short of its truth (a proposal to
fix); an include click at its deepest voxel, or a scribble along its middle, inside that mask.
"""

import numpy as np
import pytest
from scipy import ndimage

from neuroview import Session
from neuroview.ai.interactive.model import bundled_path
from neuroview.ai.interactive.simulate import deepest_point, dice, scribble_on_slice
from neuroview.paths import resources_dir

DEMO = resources_dir() / "demo"
pytestmark = pytest.mark.skipif(not (bundled_path() / "model.json").exists()
                                or not (DEMO / "mni152_t1_lesions_truth.nii.gz").exists(),
                                reason="no bundled clickseg or demo case")


@pytest.fixture(scope="module")
def case():
    import nibabel as nib

    truth = np.asarray(nib.load(DEMO / "mni152_t1_lesions_truth.nii.gz").dataobj) == 1
    lesions, _ = ndimage.label(truth)
    return Session.open(DEMO / "mni152_t1_lesions.nii.gz"), lesions


@pytest.mark.parametrize("kind", ["click", "scribble"])
@pytest.mark.parametrize("lesion_id", [2, 4])
def test_an_include_prompt_inside_a_labelled_lesion_leaves_no_hole(case, lesion_id, kind):
    session, lesions = case
    if session.pending_preview is not None:
        session.discard_preview()
    lesion = lesions == lesion_id
    start = ndimage.binary_erosion(lesion)
    segment = session.segments["lesion"] if "lesion" in session.segments else session.segments.add("lesion")
    session.labels.array[:] = 0
    session.labels.array[start] = segment.value
    affine = session.volume.ijk_to_ras
    click = deepest_point(start)
    if kind == "click":
        prompt = {"point": tuple(affine[:3, :3] @ click + affine[:3, 3])}
    else:
        points = scribble_on_slice(start, 2)
        prompt = {"scribble": [tuple(affine[:3, :3] @ p + affine[:3, 3]) for p in points]}
    preview = session.prompt(segment, **prompt)
    shown = preview.full_array(session.labels.array) == segment.value
    i, j, k = click
    around = np.zeros_like(start)
    around[i - 3:i + 4, j - 3:j + 4, k - 3:k + 4] = True
    assert shown[tuple(click)]
    assert int((around & start & ~shown).sum()) == 0  # none of the mask near the click lost
    assert int((ndimage.binary_fill_holes(shown) & ~shown).sum()) == 0  # no hole anywhere
    assert dice(shown, lesion) >= dice(start, lesion) - 0.02
    session.discard_preview()
