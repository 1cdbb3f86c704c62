"""A head model on an image that is not a whole head says its result means little (a note, not a
refusal). nibabel's anatomical.nii (33 x 41 x 25 voxels at 2 mm: a crop inside the brain, no skull,
no air) passes the field-of-view refusal (over half the bundled model's 64 mm patch), and the
bundled lesionseg marked a 0.4 mL midline "lesion" in it with only "brain extraction skipped" to
say why. The demo and a whole synthetic head get no note."""

from __future__ import annotations

from pathlib import Path

import nibabel
import numpy as np
import pytest

from neuroview.ai import heads
from neuroview.ai.domain import domain_note, image_domain
from neuroview.ai.package import read_card
from neuroview.io.nifti import load_nifti

ANATOMICAL = Path(nibabel.__file__).parent / "tests" / "data" / "anatomical.nii"
CLI_FORKED = "what segment says on stderr about one file; the test needs no fresh process"
BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "models" / "lesionseg"
NOTE = ("was made for whole heads, and this image is not one (66 x 82 x 50 mm: smaller than a head; "
        "no air round it): its result means little")


@pytest.fixture(scope="module")
def lesion_card():
    return read_card(BUNDLED)


def test_a_crop_inside_the_brain_is_not_a_head(lesion_card):
    volume = load_nifti(ANATOMICAL)
    domain = image_domain(volume.array, volume.ijk_to_ras)
    assert domain.small and domain.no_background
    assert domain_note(lesion_card, domain) == f"{lesion_card.ref} {NOTE}"


def test_the_demo_and_whole_heads_get_no_note(lesion_card, mni_volume):
    assert domain_note(lesion_card, image_domain(mni_volume.array, mni_volume.ijk_to_ras)) == ""
    head = heads.synthetic_head("flair", skull=False)   # skull-stripped: still air round the brain
    assert domain_note(lesion_card, image_domain(head.image, head.ijk_to_ras)) == ""


def test_whole_field_of_view_without_background_is_said(lesion_card, mni_volume):
    """A head-sized field of view filled with tissue (no air anywhere) is not a head scan either."""
    brain = mni_volume.array[mni_volume.array > 50].astype(np.float32)
    filled = np.random.default_rng(0).choice(brain, mni_volume.array.shape)
    note = domain_note(lesion_card, image_domain(filled, mni_volume.ijk_to_ras))
    assert note == f"{lesion_card.ref} was made for whole heads, and this image is not one (no air " \
        "round it): its result means little"


def test_a_card_that_does_not_say_head_gets_no_note(lesion_card):
    volume = load_nifti(ANATOMICAL)
    other = lesion_card.__class__(**{**lesion_card.__dict__, "preprocessing": [],
                                     "description": "Liver lesions on abdominal CT"})
    assert domain_note(other, image_domain(volume.array, volume.ijk_to_ras)) == ""


def test_segment_says_so_on_the_command_line(cli, tmp_path):
    """``neuroview segment anatomical.nii``: the file still segments, and stderr says why its
    result means little (after the brain-extraction note, which gave the extent already)."""
    pytest.importorskip("torch")
    result = cli("segment", ANATOMICAL, "-o", tmp_path / "seg.nii.gz", "--model", BUNDLED,
                 "--device", "cpu")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert f"note: {ANATOMICAL}: brain extraction skipped: the field of view (66 x 82 x 50 mm) is smaller " \
        "than a head" in lines
    ref = read_card(BUNDLED).ref
    assert f"note: {ANATOMICAL}: {ref} was made for whole heads, and this image is not one (smaller than a " \
        "head; no air round it): its result means little" in lines
    assert nibabel.load(tmp_path / "seg.nii.gz").shape == (33, 41, 25)


def test_on_a_ct_air_is_below_minus_500_hu():
    """A CT head in full has air round it, a CT crop inside the skull none."""
    from ct_head_case import ct_head

    ct = ct_head(4)
    assert not image_domain(ct.array, ct.ijk_to_ras, is_ct=True).no_background
    inside = np.ascontiguousarray(ct.array[20:40, 20:40, 20:36])
    assert image_domain(inside, ct.ijk_to_ras, is_ct=True).no_background
