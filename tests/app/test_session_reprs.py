"""What Jupyter shows for the objects a Session hands back: the label map, a preview and a
prompt's answer name their arrays' shape and type instead of printing the voxels (a label map's
repr was 1 500 characters of zeros, a prompt's answer some 6 000)."""

import numpy as np

from neuroview.ai.interactive.engine import PromptResult
from neuroview.ai.interactive.roi import RoiGrid
from neuroview.app.session import Session
from neuroview.core.volume import Volume


def _session():
    image = np.zeros((40, 40, 20), np.float32)
    image[10:20, 10:30, 5:15] = 100.0
    s = Session(Volume(image, np.diag([1.0, 1.0, 2.0, 1.0])))
    inside, outside = s.segments.add("lesion"), s.segments.add("background")
    s.apply("paint", at_ras=(14.0, 20.0, 20.0), radius_mm=2, segment=inside)
    s.apply("paint", at_ras=(32.0, 20.0, 20.0), radius_mm=2, segment=outside)
    return s


def test_label_map_and_preview_reprs_are_one_short_line():
    s = _session()
    assert repr(s.labels) == ("LabelMap(array=uint8(40, 40, 20), spacing=(1.0, 1.0, 2.0), "
                              "segments=['lesion', 'background'])")
    preview = s.preview("grow", segments=["lesion", "background"])
    text = repr(preview)
    assert "\n" not in text and len(text) < 400, text
    lo, hi = preview.box
    shape = tuple(b - a for a, b in zip(lo, hi))
    assert f"Proposal(lo={tuple(lo)}, region=uint8{shape})" in text
    assert "'tool': " not in text and text.startswith("Preview(tool='grow'")


def test_prompt_result_repr_names_its_arrays():
    result = PromptResult((3, 4, 5), np.zeros((17, 17, 17), np.float32),
                          RoiGrid(np.eye(4), (32, 32, 32)), 1, 1.7094,
                          np.ones((17, 17, 17), bool))
    assert repr(result) == ("PromptResult(lo=(3, 4, 5), probability=float32(17, 17, 17), "
                            "covered=bool(17, 17, 17), rounds=1, seconds=1.71)")


def test_a_steps_diff_names_its_attributes_as_they_are_spelled():
    """The repr said ``changed=13``; ``step.diff.changed`` is an AttributeError (it is n_changed)."""
    s = _session()
    diff = s.history.undo_steps[-1].diff
    assert repr(diff) == f"VoxelDiff(box={diff.box}, n_changed={diff.n_changed}, nbytes={diff.nbytes})"
