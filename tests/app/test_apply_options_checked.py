"""``Session.apply``'s one-off options are checked as ``set_params`` checks them, before the tool
runs: ``radius_mm=nan`` painted a voxel, ``view='diagonal'`` painted a 3D ball and
``margin_mm=True`` grew the segment by 1 mm, each as an undo step written to the journal;
``radius_mm='5'`` raised a ``TypeError`` from deep inside the brush, an unknown option another
message than ``set_params``'s. Now each is the same one-line ``ToolOptionError`` as
``set_params`` gives, and the label map, the history and the workspace files stay as they were."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from neuroview import Session
from neuroview.core.errors import ToolError

REFUSED = [
    ("paint", {"radius_mm": float("nan")}),
    ("paint", {"radius_mm": -3}),
    ("paint", {"radius_mm": "5"}),
    ("paint", {"mode": "bogus"}),
    ("paint", {"view": "diagonal"}),
    ("paint", {"radius": 5}),
    ("erase", {"intensity_low": "low"}),
    ("fill", {"tolerance": -1.0}),
    ("islands", {"min_voxels": 2.5}),
    ("islands", {"connectivity": 8}),
    ("smoothing", {"kernel_mm": -1.0}),
    ("margin", {"margin_mm": True}),
    ("threshold", {"low": [1, 2]}),
    ("logical", {"operation": "xor"}),
]


def workspace_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def painted(small_image, workspace) -> Session:
    s = Session.open(small_image, workspace=workspace)
    s.segments.add("lesion")
    s.apply("paint", at_ras=tuple(s.volume.center_ras), radius_mm=6.0, mode="3d")
    s.segments.add("edema")   # logical's other segment; lesion stays the one the tools write
    s.segments.select("lesion")
    return s


@pytest.mark.parametrize("tool, values", REFUSED, ids=[f"{t}-{next(iter(v))}" for t, v in REFUSED])
def test_a_bad_option_given_to_apply_is_refused_before_anything_is_written(small_image, tmp_path,
                                                                           tool, values):
    s = painted(small_image, tmp_path / "ws")
    with pytest.raises(ValueError) as remembered:   # the message set_params gives
        s.set_params(tool, **values)
    labels, steps, version = s.labels.array.copy(), len(s.history), s.version
    files = workspace_files(tmp_path / "ws")
    extra = {"other": "edema"} if tool == "logical" else {}
    with pytest.raises(ValueError) as raised:
        s.apply(tool, at_ras=tuple(s.volume.center_ras), **values, **extra)
    assert str(raised.value) == str(remembered.value)
    assert isinstance(raised.value, ToolError)   # the editor's message bar shows it as one
    assert "\n" not in str(raised.value)
    assert np.array_equal(s.labels.array, labels)
    assert (len(s.history), s.version) == (steps, version)
    assert workspace_files(tmp_path / "ws") == files   # no journal record, no blob
    assert s.undo().name == "segments.add"   # Ctrl+Z: the step before, not a refused one
    assert np.array_equal(s.labels.array, labels)


def test_a_bad_option_to_press_leaves_the_open_stroke_open(small_image, tmp_path):
    """A press with a bad option while a stroke is open neither commits that stroke nor starts one."""
    s = painted(small_image, tmp_path / "ws")
    steps = len(s.history)
    centre = np.asarray(s.volume.center_ras, dtype=float)
    s.press("erase", tuple(centre), radius_mm=3.0, mode="3d")
    with pytest.raises(ValueError, match=r"^paint: radius_mm must be a number above 0 \(mm\), not -1$"):
        s.press("paint", tuple(centre + 20), radius_mm=-1)
    assert len(s.history) == steps
    assert s.release() is not None and len(s.history) == steps + 1   # the erase, as drawn


def test_good_one_off_options_still_apply_once_and_are_not_remembered(small_image, tmp_path):
    s = Session.open(small_image, workspace=tmp_path / "ws")
    lesion = s.segments.add("lesion")
    centre = tuple(s.volume.center_ras)
    s.apply("paint", at_ras=centre, radius_mm=np.float32(6.0), mode="3d", view=(0, 0, 1),
            plane_ras=np.array(centre), intensity_low=None)
    assert np.count_nonzero(s.labels.array == lesion.value) > 20   # a 6 mm ball of 3 mm voxels
    assert s.params["paint"].radius_mm == 5.0   # the one-off radius is not remembered
    s.apply("islands", operation="remove_small", min_voxels=np.int64(1), connectivity=6)
    s.apply("margin", margin_mm=-3)
    assert len(s.history) == 3


@pytest.mark.parametrize("where", [{"at_ras": (10.0, 5.0)}, {"at_ras": (float("nan"), 0, 0)},
                                   {"at_ras": "centre"}, {"path": [(1.0, 2.0, 3.0), (4.0, 5.0)]}],
                         ids=["two-numbers", "nan", "text", "path-point"])
def test_a_point_that_is_not_three_ras_numbers_is_refused_in_one_line(small_image, tmp_path, where):
    """``at_ras=(10, 5)`` raised numpy's 'matmul: Input operand 1 has a mismatch in its core
    dimension 0, with gufunc signature ...'; a bad path point did so after the brush had painted."""
    s = painted(small_image, tmp_path / "ws")
    labels, steps = s.labels.array.copy(), len(s.history)
    files = workspace_files(tmp_path / "ws")
    where = {"at_ras": tuple(s.volume.center_ras), **where}
    with pytest.raises(ToolError) as raised:
        s.apply("paint", radius_mm=4.0, **where)
    what = "a path point" if "path" in where else "at_ras"
    bad = where["path"][1] if "path" in where else where["at_ras"]
    assert str(raised.value) == f"{what} must be three finite RAS coordinates in mm, got {bad!r}"
    assert np.array_equal(s.labels.array, labels) and len(s.history) == steps
    assert workspace_files(tmp_path / "ws") == files
    assert s.apply("erase", at_ras=tuple(s.volume.center_ras), radius_mm=4.0) is not None   # no open stroke
    assert len(s.history) == steps + 1
