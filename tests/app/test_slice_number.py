"""Each slice view says which slice it shows of how many (``18/30``, lower right), as PACS
viewers number images: counted from the I, P or L end (Home's), whatever order the file stores
its slices in, and through an oblique series resliced as the wheel steps through it."""

import nibabel as nib
import numpy as np

from neuroview.app.view_state import ViewerState


def _flair_affine():
    """An axial FLAIR as DICOM stores it: 0.9 x 0.9 mm in plane, 5 mm slices, the first slice the
    highest (k runs towards I), rows towards P, columns towards L (LPS)."""
    return np.array([[-0.9, 0, 0, 115.0], [0, -0.9, 0, 100.0], [0, 0, -5.0, 80.0], [0, 0, 0, 1.0]])


def test_the_axial_number_counts_slices_from_the_inferior_end():
    affine = _flair_affine()
    state = ViewerState((256, 256, 30), affine, 100.0, 50.0)
    assert nib.aff2axcodes(affine) == ("L", "P", "I")
    for k in (0, 7, 29):
        state.crosshair_ras = (affine @ [128, 128, k, 1.0])[:3]
        assert state.slice_number("axial") == (30 - k, 30)   # k = 29 is the lowest: slice 1
        assert state.slice_number_text("axial") == f"{30 - k}/30"
    state.crosshair_ras = (affine @ [128, 128, 29, 1.0])[:3]
    state.scroll("axial", 1)   # PgUp: towards S, the next number
    assert state.slice_number("axial") == (2, 30)
    assert state.slice_number("sagittal") == (128, 256)   # i runs towards L: i = 255 is the first
    assert state.slice_number("coronal") == (128, 256)    # j runs towards P: j = 255 is the first


def test_an_oblique_series_resliced_numbers_what_the_wheel_steps_through():
    tilt = np.radians(15.0)
    rotation = np.array([[1, 0, 0], [0, np.cos(tilt), -np.sin(tilt)], [0, np.sin(tilt), np.cos(tilt)]])
    affine = np.eye(4)
    affine[:3, :3] = rotation @ np.diag([0.9, 0.9, 4.0])
    state = ViewerState((224, 256, 40), affine, 100.0, 50.0)
    across = state.slices_across("axial")
    count = state.slice_number("axial")[1]
    assert count in (across - 1, across)   # the last step may be a part of one
    state.scroll("axial", -across)     # Home
    assert state.slice_number("axial") == (1, count)
    state.scroll("axial", 5)
    assert state.slice_number("axial") == (6, count)
    state.scroll("axial", across)      # End
    assert state.slice_number("axial") == (count, count)


def test_the_number_is_drawn_in_the_lower_right_corner():
    from neuroview.core.volume import Volume
    from neuroview.render.slices import render_view
    from neuroview.render.text import draw_text

    affine = _flair_affine()
    volume = Volume(np.zeros((64, 64, 30), np.float32), affine)
    state = ViewerState(volume.shape, affine, 100.0, 50.0)
    state.crosshair_ras = (affine @ [32, 32, 12, 1.0])[:3]
    rgb = render_view(volume, state, "axial", 320, 240, crosshair=False).rgb
    corner = np.zeros((240, 320, 3), np.uint8)   # the same text drawn alone where it belongs
    draw_text(corner, "18/30", 316, 237, (230, 230, 230), "bottom-right", size=12)
    drawn = corner.max(axis=2) > 0
    assert drawn[221:, 250:].sum() > 30 and not drawn[:221].any() and not drawn[:, :200].any()
    np.testing.assert_array_equal(rgb[221:, 250:], corner[221:, 250:])   # the scale bar above


def test_acquisition_planes_of_a_gantry_tilted_ct_show_its_images_one_by_one():
    """A head CT tilted 20 degrees (slices 5 mm apart along the table, 4.7 mm along their normal,
    as loaded: the grid sheared): *Acquisition planes* show the acquired images, the axial view
    numbering them 1-25 and Up stepping one image. The sheared axes' nearest rotation turned the
    view 10 degrees off them: 34 steps, each picture cut across several acquired images."""
    from neuroview.core.volume import Volume
    from neuroview.render.slices import render_view

    tilt = np.radians(20.0)
    affine = np.eye(4)
    affine[:3, :3] = np.column_stack([(-0.9, 0, 0), 0.9 * np.array([0, -np.cos(tilt), -np.sin(tilt)]),
                                      (0, 0, 5.0)])
    shape = (64, 64, 25)
    volume = Volume(np.broadcast_to(np.arange(25, dtype=np.float32) * 10, shape).copy(), affine,
                    modality="CT")
    state = ViewerState.for_volume(volume)
    state.set_orientation_mode("acquisition")
    state.interpolate = False
    state.set_window_level(400.0, 120.0)
    state.crosshair_ras = (affine @ [32, 32, 12, 1.0])[:3]
    for k in range(12, 16):
        assert state.slice_number_text("axial") == f"{k + 1}/25"
        ijk = np.linalg.solve(affine, np.append(state.crosshair_ras, 1.0))[:3]
        assert abs(ijk[2] - k) < 1e-6
        picture = render_view(volume, state, "axial", 120, 120, crosshair=False, annotations=False).rgb
        greys = set(np.unique(picture[..., 0])) - {0}   # the image, not the black around it
        assert greys == {round((k * 10 - 120 + 200) / 400 * 255)}, (k, greys)
        state.scroll("axial", 1)
