"""A model's *brain* segment in a DICOM SEG: its own anatomical segment (SCT "Anatomical
Structure" / "Brain", AUTOMATIC, the model named), holding the whole mask the model produced, the
lesions inside it included (it was coded "Tissue" and held only the brain around the lesions).
Read back, the brain lies under the lesions again and keeps its whole mask as its extent."""

from __future__ import annotations

import dataclasses

import highdicom as hd
import numpy as np
import pytest

from neuroview.core.extent import encode_extent, extent_mask
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io.seg import load_seg, read_series_headers, save_seg
from tests.dataset.fake_dicom import make_ct_series


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ct")
    _datasets, array, ijk_to_ras = make_ct_series(folder)
    return folder, array.shape, ijk_to_ras


def _segmented(shape, ijk_to_ras):
    """What *AI > Segment* leaves: a lesion (1) inside the brain (2), whose extent is the whole
    brain mask."""
    brain = np.zeros(shape, bool)
    brain[4:28, 4:24, 1:7] = True
    lesion = np.zeros(shape, bool)
    lesion[10:14, 8:12, 3:5] = True
    labels = np.where(lesion, 1, np.where(brain, 2, 0)).astype(np.uint8)
    table = SegmentTable()
    table.add("lesion", value=1, origin="model", model="lesionseg@2.5.1")
    brain_segment = table.add("brain", value=2, origin="model", model="lesionseg@2.5.1", visible=False)
    table.put(dataclasses.replace(brain_segment, extent=encode_extent(brain)))
    return LabelMap(labels, ijk_to_ras, table), brain, lesion


def _whole(label_map, value):
    lo, mask = extent_mask(label_map.segments.get(value).extent, label_map.shape)
    out = np.zeros(label_map.shape, bool)
    out[tuple(slice(a, a + n) for a, n in zip(lo, mask.shape))] = mask
    return out


def test_brain_goes_to_pacs_as_its_own_anatomical_segment_whole(series, tmp_path):
    folder, shape, ijk_to_ras = series
    label_map, brain, lesion = _segmented(shape, ijk_to_ras)
    save_seg(label_map, read_series_headers([folder]), tmp_path / "seg.dcm")

    seg = hd.seg.segread(tmp_path / "seg.dcm")
    by_label = {seg.get_segment_description(n).segment_label: n for n in seg.segment_numbers}
    assert set(by_label) == {"lesion", "brain"}
    desc = seg.get_segment_description(by_label["brain"])
    assert (desc.segmented_property_category.value, desc.segmented_property_category.scheme_designator) \
        == ("91723000", "SCT")                                  # Anatomical Structure
    assert (desc.segmented_property_type.value, desc.segmented_property_type.meaning) \
        == ("12738006", "Brain")
    assert desc.algorithm_type.value == "AUTOMATIC"
    algorithm = desc.algorithm_identification[0]
    assert (algorithm.AlgorithmName, algorithm.AlgorithmVersion) == ("lesionseg", "2.5.1")
    lesion_desc = seg.get_segment_description(by_label["lesion"])
    assert lesion_desc.segmented_property_type.meaning == "Lesion"

    # highdicom's own volume of each segment, on the source grid: the brain holds the lesion too
    volume = seg.get_volume(combine_segments=False, skip_overlap_checks=True)
    planes = np.asarray(volume.array) > 0
    index = {n: i for i, n in enumerate(seg.segment_numbers)}
    brain_voxels = planes[..., index[by_label["brain"]]].sum()
    lesion_voxels = planes[..., index[by_label["lesion"]]].sum()
    assert (brain_voxels, lesion_voxels) == (brain.sum(), lesion.sum())
    both = planes[..., index[by_label["brain"]]] & planes[..., index[by_label["lesion"]]]
    assert both.sum() == lesion.sum()                           # the lesion lies inside the brain


def test_the_brain_read_back_lies_under_the_lesion_with_its_whole_mask(series, tmp_path):
    folder, shape, ijk_to_ras = series
    label_map, brain, lesion = _segmented(shape, ijk_to_ras)
    mapping = save_seg(label_map, read_series_headers([folder]), tmp_path / "seg.dcm")
    back = load_seg(tmp_path / "seg.dcm", volume=_Grid(shape, ijk_to_ras))
    numbers = {value: number for number, value in mapping.items()}
    assert np.array_equal(back.array == numbers[1], lesion)    # the lesion is not under the brain
    assert np.array_equal(back.array == numbers[2], brain & ~lesion)
    assert np.array_equal(_whole(back, numbers[2]), brain)     # context again, whole
    brain_back = back.segments.get(numbers[2])
    assert (brain_back.name, brain_back.origin, brain_back.model) == ("brain", "model", "lesionseg@2.5.1")
    assert not back.segments.get(numbers[1]).extent


def test_a_brain_without_its_extent_still_goes_as_the_brain(series, tmp_path):
    folder, shape, ijk_to_ras = series
    label_map, brain, lesion = _segmented(shape, ijk_to_ras)
    label_map.segments.put(dataclasses.replace(label_map.segments.get(2), extent={}))
    save_seg(label_map, read_series_headers([folder]), tmp_path / "seg.dcm")
    seg = hd.seg.segread(tmp_path / "seg.dcm")
    desc = seg.get_segment_description(2)
    assert desc.segment_label == "brain" and desc.segmented_property_type.meaning == "Brain"
    back = load_seg(tmp_path / "seg.dcm", volume=_Grid(shape, ijk_to_ras))
    assert np.array_equal(back.array == 2, brain & ~lesion) and np.array_equal(back.array == 1, lesion)


@dataclasses.dataclass
class _Grid:
    """The source image's grid, as ``load_seg`` places a SEG on it."""
    shape: tuple
    ijk_to_ras: np.ndarray
