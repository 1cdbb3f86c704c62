"""A label map with one box-shaped segment, for the training-set tests. A helper module, not
the conftest: importing ``tests.dataset.conftest`` ran that conftest a second time
(``tests/test_collect_together.py``)."""

from __future__ import annotations

import numpy as np

from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume


def lesion_map(volume: Volume, name="lesion", value=1, box=(slice(10, 20), slice(12, 22), slice(14, 24)),
               origin="human", model="") -> LabelMap:
    """A label map on ``volume``'s grid: segment ``name`` (``value``, made by ``origin``) in ``box``."""
    array = np.zeros(volume.shape, np.uint8)
    array[box] = value
    table = SegmentTable()
    table.add(name, value=value, origin=origin, model=model)
    return LabelMap(array, volume.ijk_to_ras.copy(), table)


def noise_image(seed: int) -> Volume:
    """A 24x26x28 MR image of noise at 2 mm (each seed another image: another case)."""
    array = np.random.default_rng(seed).normal(100, 10, (24, 26, 28)).astype(np.float32)
    return Volume(array, np.diag([2.0, 2.0, 2.0, 1.0]), modality="MR")
