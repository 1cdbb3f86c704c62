"""A head model on an untagged series of another body part: no BodyPartExamined (or a NIfTI
without sidecar) left ``ai.domain.out_of_domain`` nothing to read, and the bundled lesionseg
drew "lesions" and a "brain" on a knee (a 444 mL "brain", 3651 lesion voxels), a lumbar spine and
an abdomen. Its brain extraction, which runs anyway, now decides: a "brain" of a volume or a
length no head's has refuses the run in one line, before the lesion network; the person may run
it anyway (``allow_domain_mismatch``, the CLI's ``--allow-domain-mismatch``), and the result says
so in a note and in its segments' provenance. The heads of tests/ai/test_ai_bundled_heads.py and
the demo (tests/ai/test_ai_bundled_model.py) run through the same check. The spine and the
abdomen run whole in ``bench/not_a_head.py`` (43 s and 26 s here under load, against the knee's
11 s): the rule that refuses them (a 250 mm long "brain", a 5290 mL one) is checked on masks
below, and the knee takes the whole path."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai.preprocess import not_a_brain
from neuroview.core.errors import OutsideDomainError
from neuroview.core.volume import Volume
from neuroview.paths import resources_dir

LESIONSEG = str(resources_dir() / "models" / "lesionseg")
SEED = 11   # bench/not_a_head.py reports seed 0


def _ellipsoid(shape, radii_mm, spacing=1.0):
    grid = np.indices(shape, dtype=np.float32)
    centre = (np.asarray(shape) - 1) / 2
    return sum(((g - c) * spacing / r) ** 2 for g, c, r in zip(grid, centre, radii_mm)) <= 1


@pytest.mark.parametrize("radii, said", [
    ((70, 85, 60), ""),                                       # 1495 mL, 170 mm: a head's
    ((48, 48, 45), "its brain extraction found 435 mL, and a head's brain holds 700-2600 mL"),
    ((40, 120, 45), "its brain extraction found a region 240 mm long, and a brain is at most 220 mm"),
    ((120, 115, 100), "its brain extraction found 5781 mL, and a head's brain holds 700-2600 mL"),
])
def test_a_brain_mask_is_read_as_a_head_or_not(radii, said):
    shape = tuple(r + 4 for r in radii)   # 2 mm voxels: 8 mm round it
    assert not_a_brain(_ellipsoid(shape, radii, 2.0), np.diag([2.0, 2, 2, 1])) == said


def test_an_untagged_knee_is_refused_and_runs_when_told():
    """Refused after its brain extraction; told to run anyway, the same extraction (remembered)
    and the model give a result whose note and segments say what was overridden."""
    from neuroview.ai.domain import RUN_ANYWAY
    from neuroview.ai.not_heads import knee
    from neuroview.ai.segment import segment

    volume = Volume(*knee(SEED))
    why = "lesionseg@2.5.1 is made for head MR; this image does not look like a head (its brain " \
          "extraction found 4"
    with pytest.raises(OutsideDomainError) as refused:
        segment(volume, LESIONSEG, device="cpu")
    assert str(refused.value).startswith(why) and str(refused.value).endswith(" mL): not run on it")
    result = segment(volume, LESIONSEG, device="cpu", allow_domain_mismatch=True)
    overridden = str(refused.value).removesuffix(": not run on it")
    assert result.outside_domain == overridden
    assert RUN_ANYWAY in result.notes   # one short line, said once; the refusal is outside_domain
    assert result.notes.count(RUN_ANYWAY) == 1 and not any("whole heads" in n for n in result.notes)
    assert [s.outside_domain for s in result.segment_table()] == [overridden]
