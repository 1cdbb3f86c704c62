"""A CT's padding record (``core.ct_padding.Padding``) writes the file's number back only into
the array it was found in. It matched that array by ``id()``: once the array was freed, another
array of the same shape could get its id (CPython reuses the memory) and had its voxels set to
the padding number where the old one's padding was, as if they were the file's."""

from __future__ import annotations

import gc

import numpy as np

from neuroview.core.ct_padding import AIR_HU, fill_padding
from neuroview.core.volume import Volume

SHAPE = (32, 32, 4)
PADDING = -3024


def _padded() -> np.ndarray:
    x = np.arange(SHAPE[0]) - (SHAPE[0] - 1) / 2
    slab = np.where(np.hypot(*np.meshgrid(x, x, indexing="ij")) > 15, PADDING, 40)
    return np.repeat(slab[:, :, None], SHAPE[2], axis=2).astype(np.int16)


def test_the_array_it_was_found_in_gets_the_files_number_back():
    image = _padded()
    array = image.copy()
    padding = fill_padding(array, PADDING)
    assert array.min() == AIR_HU and padding.count == np.count_nonzero(image == PADDING)
    np.testing.assert_array_equal(padding.restored(array), image)
    assert array.min() == AIR_HU                     # a copy: the view keeps its air


def test_a_new_array_that_gets_a_freed_arrays_id_is_left_as_it_is():
    for _ in range(200):
        old = _padded()
        padding = fill_padding(old, PADDING)
        old_id = id(old)
        del old
        gc.collect()
        new = np.full(SHAPE, 40, dtype=np.int16)      # another image, same shape
        if id(new) == old_id:
            break
    assert id(new) == old_id                          # the case the id match got wrong
    restored = padding.restored(new)
    assert restored is new
    assert set(np.unique(restored)) == {40}           # was -3024 outside the circle


def test_a_volume_whose_array_was_replaced_writes_the_new_array():
    array = _padded()
    volume = Volume(array, np.eye(4), padding=fill_padding(array, PADDING))
    volume.array = np.full(SHAPE, 7, dtype=np.int16)
    del array
    gc.collect()
    assert set(np.unique(volume.file_array())) == {7}
