"""``Session.set_params`` refuses a value the tool does not take, where it is given: it used to
keep ``radius_mm=-3``, ``mode='bogus'`` or ``radius_mm='5'`` and fail at the next stroke (an
unknown option raised a ``ToolError``, not a ``ValueError``). Each error names the tool, the
option and what it takes; the remembered parameters stay as they were and the next edit works."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from neuroview import Session
from neuroview.core.errors import ToolError

REFUSED = [
    ("paint", {"radius_mm": -3}, "paint: radius_mm must be a number above 0 (mm), not -3"),
    ("paint", {"radius_mm": 0}, "paint: radius_mm must be a number above 0"),
    ("paint", {"mode": "bogus"}, "paint: mode must be one of '2d', '3d', not 'bogus'"),
    ("paint", {"radius_mm": "5"}, "paint: radius_mm must be a number above 0 (mm), not '5'"),
    ("paint", {"radius_mm": float("nan")}, "paint: radius_mm must be a number"),
    ("paint", {"radius": 5}, "paint has no option radius; its options are"),
    ("erase", {"radius_mm": None}, "erase: radius_mm must be a number above 0"),
    ("fill", {"tolerance": -1.0}, "fill: tolerance must be a number of at least 0"),
    ("fill", {"intensity_low": "low"}, "fill: intensity_low must be a number (image intensity), or None"),
    ("fill", {"view": "diagonal"}, "fill: view must be one of axial, coronal, sagittal, i, j, k"),
    ("islands", {"connectivity": 8}, "islands: connectivity must be one of 6, 18, 26, not 8"),
    ("islands", {"min_voxels": 2.5}, "islands: min_voxels must be a whole number"),
    ("islands", {"operation": "largest"}, "islands: operation must be one of 'keep_largest'"),
    ("smoothing", {"kernel_mm": -1.0}, "smoothing: kernel_mm must be a number above 0 (mm)"),
    ("smoothing", {"method": "gaussian"}, "smoothing: method must be one of 'median', 'opening'"),
    ("grow", {"padding_mm": -2.0}, "grow: padding_mm must be a number of at least 0 (mm)"),
    ("margin", {"margin_mm": True}, "margin: margin_mm must be a number (mm), not True"),
    ("logical", {"operation": "xor"}, "logical: operation must be one of 'copy', 'add'"),
    ("threshold", {"low": [1, 2]}, "threshold: low must be a number"),
    ("interpolate", {"bogus": 1}, "interpolate has no option bogus"),
]


@pytest.mark.parametrize("tool, values, message", REFUSED,
                         ids=[f"{t}-{next(iter(v))}" for t, v, _ in REFUSED])
def test_a_value_the_tool_does_not_take_is_refused_where_it_is_given(small_image, tool, values, message):
    s = Session.open(small_image)
    s.set_params("paint", radius_mm=4.0, mode="3d")
    before = {name: dataclasses.asdict(params) for name, params in s.params.items()}
    with pytest.raises(ValueError) as raised:
        s.set_params(tool, **values)
    assert str(raised.value).startswith(message), str(raised.value)
    assert isinstance(raised.value, ToolError)   # the editor's message bar shows it as one
    assert {name: dataclasses.asdict(params) for name, params in s.params.items()} == before
    lesion = s.segments.add("lesion")   # the next edit works, with the options kept
    s.apply("paint", at_ras=tuple(s.volume.center_ras))
    fresh = Session.open(small_image)
    fresh.segments.add("lesion")
    fresh.apply("paint", at_ras=tuple(s.volume.center_ras), radius_mm=4.0, mode="3d")
    assert np.array_equal(s.labels.array == lesion.value, fresh.labels.array == lesion.value)
    assert np.count_nonzero(fresh.labels.array) > 0


def test_values_the_tools_take_are_kept(small_image):
    s = Session.open(small_image)
    s.set_params("paint", radius_mm=np.float32(2.5), mode="2d", view=(0, 0, 1),
                 plane_ras=np.array([0.0, 1.0, 2.0]), intensity_low=0, intensity_high=None)
    s.set_params("fill", tolerance=0, view="Coronal")
    s.set_params("islands", operation="remove_small", min_voxels=np.int64(10), connectivity=6)
    s.set_params("margin", margin_mm=-2)
    s.set_params("threshold", low=np.float64(0.35), high=None)
    s.set_params("erase", segment="all")
    assert s.params["paint"].radius_mm == 2.5 and s.params["paint"].view == (0, 0, 1)
    assert s.params["islands"].min_voxels == 10 and s.params["margin"].margin_mm == -2
    assert s.params["threshold"].low == 0.35 and s.params["erase"].segment == "all"
