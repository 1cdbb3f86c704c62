"""A CT through a model whose card asks for brain extraction (the bundled lesionseg): the brain
extraction network reads MR only, so on a CT it is skipped with a note, as on a slab. It used to
run: on a head CT in Hounsfield units it returned a 'brain' of 1885 mL that the window showed as a
segment and used to cut the model's result."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from ct_head_case import ct_head  # noqa: E402

from neuroview.ai import heads  # noqa: E402
from neuroview.ai.preprocess import apply_preprocessing  # noqa: E402
from neuroview.core.modality import looks_like_ct  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402

STEP = [{"step": "brain_extraction", "margin_mm": 3}]


def test_brain_extraction_is_skipped_on_a_ct_and_says_so():
    ct = ct_head()
    prepared = apply_preprocessing(STEP, [ct.array], ct.ijk_to_ras)
    assert prepared.brain is None and prepared.allowed is None
    assert np.array_equal(prepared.images[0], ct.array)        # the model sees the CT as it is
    assert prepared.notes == ["brain extraction skipped: the image is a CT (Hounsfield units), and "
                              "the brain extraction network reads MR only"]


def test_mr_heads_are_not_taken_for_ct(mni_volume):
    assert not looks_like_ct(mni_volume.array)
    assert not looks_like_ct(heads.wm_lesion_head(70000, "t1", lesions=1).image)
    assert looks_like_ct(ct_head().array)


def test_an_mr_model_on_a_ct_says_so(tmp_path):
    """The bundled lesionseg (T1) on a head CT gave 'lesion 0.000 mL' and nothing else, which
    reads as 'no lesion'; the result now says that the model was made for MR."""
    from neuroview.ai.segment import segment
    from tests.ai.preprocess_models import everywhere_model

    package = everywhere_model(tmp_path, STEP)
    ct = ct_head(4)
    slab = Volume(np.ascontiguousarray(ct.array[:, :, 20:36]), ct.ijk_to_ras, modality="CT")  # fast
    result = segment(slab, str(package), device="cpu")
    assert result.notes == [   # not "was made for whole heads, and this image is not one" too
        "brain extraction skipped: the field of view (232 x 268 x 64 mm) is smaller than a head",
        "everywhere@1.0.0 was made for MR (T1), and this image is a CT: its result means little"]
    assert result.brain_mask is None


def test_the_uncertainty_map_says_when_brain_extraction_was_skipped(tmp_path):
    """AI > Show uncertainty where brain extraction is skipped (a CT, a slab): the map was not
    limited to a brain, and its notice did not say so (Segment's did)."""
    from neuroview.app.uncertainty import compute_uncertainty
    from tests.ai.preprocess_models import everywhere_model

    package = everywhere_model(tmp_path, STEP)
    ct = ct_head(4)
    slab = Volume(np.ascontiguousarray(ct.array[:, :, 20:36]), ct.ijk_to_ras)   # 64 mm: fast
    uncertainty = compute_uncertainty(slab, str(package), flips=((),), device="cpu")
    assert uncertainty.describe().endswith("(brain extraction skipped: the field of view (232 x 268 x "
                                           "64 mm) is smaller than a head)")


def test_an_image_whose_header_says_mr_gets_no_ct_note(tmp_path):
    """Negative values (an MR phase image) do not make an image a CT when its header says MR."""
    from neuroview.ai.segment import segment
    from tests.ai.preprocess_models import everywhere_model

    ct = ct_head(4)
    slab = Volume(np.ascontiguousarray(ct.array[:, :, 20:36]), ct.ijk_to_ras, modality="MR")
    result = segment(slab, str(everywhere_model(tmp_path, [])), device="cpu")
    assert not any("made for MR" in note for note in result.notes)
