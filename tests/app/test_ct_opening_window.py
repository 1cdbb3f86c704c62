"""A CT whose header names no window opens at the window for what it is: a head at brain 80/40,
a chest or abdomen at 400/40, as a PACS viewer opens it (every CT opened at brain 80/40, a
chest's lungs and fat black, its muscle and vessels white). The header's window still comes
first; MR keeps its automatic window. Series written as scanners write them (ct_maker)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402
from head_neck_ct import head_neck_shoulders  # noqa: E402

from neuroview.app.ct_opening import opening_ct_preset  # noqa: E402
from neuroview.app.view_presets import (  # noqa: E402
    AUTO,
    CT_PRESETS,
    not_hounsfield,
    opening_3d_preset,
    preset_window_level,
    shown_unit,
)
from neuroview.app.view_state import ViewerState  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.io import load  # noqa: E402

CHEST = dict(chest=True, spacing=8.0, fov_mm=250.0)


def opened_at(folder) -> tuple[float, float]:
    state = ViewerState.for_volume(load(folder))
    return state.window, state.level


def test_a_chest_with_no_window_or_body_part_opens_at_soft_tissue(tmp_path):
    write_ct(tmp_path / "chest", **CHEST)
    assert opened_at(tmp_path / "chest") == CT_PRESETS["Soft tissue"] == (400.0, 40.0)


def test_a_head_with_no_window_still_opens_at_brain(tmp_path):
    write_ct(tmp_path / "head")
    assert opened_at(tmp_path / "head") == (80.0, 40.0)


@pytest.mark.parametrize("part, expected", [("ABDOMEN", (400.0, 40.0)), ("CHEST", (400.0, 40.0)),
                                            ("HEAD", (80.0, 40.0)), ("BRAIN", (80.0, 40.0))])
def test_body_part_examined_decides_before_the_voxels(tmp_path, part, expected):
    # a head-sized image (a small child's abdomen is as narrow) goes by its header's body part
    write_ct(tmp_path / "ct", body_part=part)
    assert opened_at(tmp_path / "ct") == expected


def test_a_head_body_part_on_a_chest_sized_image_opens_at_brain(tmp_path):
    write_ct(tmp_path / "ct", body_part="HEAD", **CHEST)
    assert opened_at(tmp_path / "ct") == (80.0, 40.0)


def test_the_header_window_comes_first(tmp_path):
    write_ct(tmp_path / "chest", header_window=(1500, -600), **CHEST)
    assert opened_at(tmp_path / "chest") == (1500.0, -600.0)


def test_a_head_and_neck_ct_reaching_the_shoulders_opens_at_brain():
    # a third of its slices are the shoulders': their areas (690 cm2) made the 75th percentile
    image = head_neck_shoulders()
    volume = Volume(image, np.diag([3.0, 3.0, 5.0, 1.0]), modality="CT", intensity_unit="HU")
    state = ViewerState.for_volume(volume)
    assert (state.window, state.level) == CT_PRESETS["Brain"] == (80.0, 40.0)   # was 400/40
    assert opening_3d_preset(volume) == "CT bone"


def test_a_ct_that_is_mostly_chest_below_its_neck_opens_at_soft_tissue():
    image = head_neck_shoulders(shoulder_slices=60)[:, :, :80]   # shoulders to the neck's top
    volume = Volume(image, np.diag([3.0, 3.0, 5.0, 1.0]), modality="CT", intensity_unit="HU")
    assert ViewerState.for_volume(volume).window == 400.0


def test_a_ct_whose_numbers_are_not_hounsfield_units_opens_at_auto(tmp_path):
    """A series whose header says CT, its voxels stored with air near 0 and tissue near 1060
    (RescaleIntercept 0 where it should be -1024, as some cone-beam CTs write them): it opened at
    brain 80/40, every voxel but air white. It opens at *Auto*, the body mid-grey."""
    import pydicom

    written = write_ct(tmp_path / "cbct", unsigned=True, padding=0, size=64, spacing=3.5,
                       fov_mm=200.0, n_slices=8)
    for path in written.folder.glob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.RescaleIntercept = "0"
        ds.save_as(path)
    volume = load(written.folder)
    assert volume.modality == "CT" and volume.array.min() >= 0   # air at 19-29
    state = ViewerState.for_volume(volume)
    assert (state.window, state.level) == preset_window_level(AUTO, volume)
    brain = (35 + 1024 - (state.level - state.window / 2)) / state.window   # 35 HU stored + 1024
    assert 0.2 < brain < 0.8
    assert opening_3d_preset(volume) == "MR default"   # CT bone's ramp from 300 HU: a solid block


def test_a_ct_run_whose_first_time_point_is_blank_reads_in_hounsfield_units():
    """A 4D CT (a perfusion run) whose time point 1 is blank (0 everywhere) and whose later ones
    hold air at -1000 HU: the numbers are Hounsfield units by every time point, as the Window
    boxes range. By time point 1 alone (until session 46) they were not: the pointer read the
    values without 'HU' and the CT presets drew it as a cone-beam CT's."""
    run = np.zeros((24, 24, 8, 3), np.int16)
    run[..., 1:] = -1000                    # air
    run[6:18, 6:18, 2:6, 1:] = 40          # soft tissue
    volume = Volume(run, np.diag([2.0, 2.0, 3.0, 1.0]), modality="CT", intensity_unit="HU")
    assert not not_hounsfield(volume)
    assert shown_unit(volume) == "HU"


def _head_on_a_headrest() -> np.ndarray:
    """[column, row, slice] HU, 2.5 mm voxels: a head (skull, brain) in air that the scanner's
    noise lifts to -965 +- 15 HU, on a headrest's foam (-800 HU) below it."""
    x = (np.arange(96) - 47.5) * 2.5
    cx, cy = np.meshgrid(x, x, indexing="ij")
    slab = np.where((cx / 75) ** 2 + (cy / 95) ** 2 < 1, 1000.0, -965.0)
    slab = np.where((cx / 69) ** 2 + (cy / 89) ** 2 < 1, 35.0, slab)
    slab = np.where((np.abs(cx) < 90) & (cy > 97) & (cy < 112), -800.0, slab)
    noise = np.random.default_rng(5).normal(0.0, 15.0, (96, 96, 4))
    return slab[:, :, None] + np.where(slab[:, :, None] < -600, noise, 0.0)


def test_a_head_in_noisy_air_on_a_headrest_opens_as_a_head():
    # its air above -950 HU and the headrest's foam read as lung: 27 % of the slice, a chest
    volume = Volume(_head_on_a_headrest().astype(np.float32), np.diag([2.5, 2.5, 5.0, 1.0]),
                    modality="CT", intensity_unit="HU")
    state = ViewerState.for_volume(volume)
    assert (state.window, state.level) == CT_PRESETS["Brain"]   # was 400/40
    assert opening_3d_preset(volume) == "CT bone"                # was CT soft tissue


@pytest.mark.parametrize("name, head", [("693_UNCR.dcm", True), ("CT_small.dcm", False)])
def test_pydicom_datas_head_ct_is_a_head_and_its_cut_chest_a_chest(name, head):
    """pydicom-data's GE head CT (a subdural haematoma, on a headrest) opened its 3D view at CT
    soft tissue, and would have opened at 400/40 without its header's window; pydicom's CT_small
    (a spine between two lungs that the field of view cuts, no air) stays a chest."""
    from pydicom.data import get_testdata_file

    path = get_testdata_file(name)
    if path is None:
        pytest.skip(f"pydicom's {name} is not installed")
    volume = load(path)
    assert opening_ct_preset(volume) == ("Brain" if head else "Soft tissue")
    assert opening_3d_preset(volume) == ("CT bone" if head else "CT soft tissue")
