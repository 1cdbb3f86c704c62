import numpy as np
import pytest

from neuroview.core import geometry
from neuroview.core.errors import GeometryError, LabelMapError
from neuroview.core.labels import LabelMap, SegmentTable, as_label_array
from neuroview.core.volume import Volume
from tests.core.edit_tool_cases import _rotation


@pytest.mark.parametrize(
    "directions, code",
    [
        (np.eye(3), "RAS"),
        (np.diag([-1, -1, 1]), "LPS"),
        (np.array([[0, 0, -1], [1, 0, 0], [0, -1, 0]]), "AIL"),  # sagittal-like ordering
        (np.diag([-1, 1, 1]), "LAS"),
    ],
)
def test_orientation_code_matches_nibabel(directions, code):
    import nibabel as nib

    affine = geometry.affine_from_spacing((0.8, 1.2, 3.0), (10, -20, 5), directions)
    assert geometry.orientation_code(affine) == code
    assert "".join(nib.aff2axcodes(affine)) == code
    assert not geometry.is_oblique(affine)


def test_oblique_is_flagged_and_closest_axes_named():
    import nibabel as nib

    affine = geometry.affine_from_spacing((1, 1, 2), (0, 0, 0), _rotation(0, 20) @ np.diag([-1, -1, 1]))
    assert geometry.is_oblique(affine)
    assert geometry.orientation_code(affine) == "".join(nib.aff2axcodes(affine))


def test_volume_point_round_trip_and_spacing():
    affine = geometry.affine_from_spacing((0.5, 0.7, 3.0), (-90, 120, -60), _rotation(2, 30))
    volume = Volume(np.zeros((20, 30, 10), np.int16), affine)
    assert np.allclose(volume.spacing, (0.5, 0.7, 3.0))
    ijk = np.array([[0, 0, 0], [19, 29, 9], [3.5, 2.25, 7.0]])
    p_ras = volume.ijk_to_ras_points(ijk)
    assert np.allclose(p_ras[0], (-90, 120, -60))
    assert np.allclose(volume.ras_to_ijk_points(p_ras), ijk)
    assert volume.ras_to_voxel(p_ras[1]) == (19, 29, 9)
    assert volume.ras_to_voxel(p_ras[1] + 100) is None
    assert volume.is_oblique and volume.orientation_label.endswith("(oblique)")


def test_pixel_area_is_the_parallelogram_of_the_in_plane_axes():
    """A slice's pixel on a rotated and sheared grid: the area the two in-plane columns span,
    built here from the parallelogram's base and height (not a cross product); the product of
    the voxel sizes on an orthogonal grid given by its sizes."""
    linear = _rotation(1, 25) @ np.array([[0.8, 0.0, 0.0], [0.0, 0.9, 0.0], [0.0, 0.4, 3.0]])
    affine = np.eye(4)
    affine[:3, :3] = linear
    for axis in range(3):
        a, b = (linear[:, n] for n in range(3) if n != axis)
        height = np.linalg.norm(b - (a @ b) / (a @ a) * a)   # b's part perpendicular to a
        assert geometry.pixel_area_mm2(affine, axis) == pytest.approx(np.linalg.norm(a) * height)
    assert geometry.pixel_area_mm2(affine, 2) < np.prod(geometry.spacing_from_affine(affine)[:2])
    assert geometry.pixel_area_mm2((0.5, 0.7, 3.0), 1) == pytest.approx(1.5)


def test_ball_reach_and_perpendicular_axes_on_rotated_and_sheared_grids():
    """A ball's reach along each voxel axis is the largest index offset of a point on its
    sphere, found here by sampling the sphere; a rotation keeps the axes perpendicular (reach
    radius / size), a shear does not (reach more along the axes it couples)."""
    rotated = geometry.affine_from_spacing((0.7, 0.9, 3.0), directions=_rotation(0, 25))
    sheared = rotated.copy()
    sheared[:3, 2] = _rotation(0, 25) @ (0.0, 3.0 * np.sin(np.radians(20)), 3.0 * np.cos(np.radians(20)))
    rng = np.random.default_rng(0)
    sphere = rng.normal(size=(200_000, 3))
    sphere = 4.0 * sphere / np.linalg.norm(sphere, axis=1, keepdims=True)
    for affine, perpendicular in ((rotated, True), (sheared, False)):
        assert geometry.perpendicular_axes(affine) is perpendicular
        sampled = np.abs(sphere @ np.linalg.inv(affine[:3, :3]).T).max(axis=0)
        assert np.allclose(geometry.ball_reach(affine, 4.0), sampled, rtol=1e-3)
    assert np.allclose(geometry.ball_reach(rotated, 4.0), 4.0 / np.array([0.7, 0.9, 3.0]))
    assert geometry.ball_reach(sheared, 4.0)[1] > 4.0 / 0.9 * 1.05


def test_apply_linear_and_apply_affine_equal_the_plain_product_bit_for_bit():
    """``apply_linear`` computes ``points @ m.T`` another way (it is faster on a busy machine):
    on random oblique, sheared affines, for single points, lists, stacks of points, float32,
    float64 and integer voxel indices, from a few points to more than OpenBLAS splits over
    threads, its result equals the plain product bit for bit, in shape and dtype too."""
    rng = np.random.default_rng(7)
    shapes = [(3,), (1, 3), (5, 3), (30_011, 3), (4, 1500, 3)]
    for trial in range(4):
        affine = geometry.affine_from_spacing(rng.uniform(0.3, 3.0, 3), rng.normal(0, 80, 3),
                                              _rotation(trial % 3, rng.uniform(-40, 40)))
        affine[:3, :3] += rng.uniform(-0.2, 0.2, (3, 3))           # sheared, not only rotated
        for shape in shapes:
            for dtype in (np.float64, np.float32, np.int64):
                points = (rng.normal(0, 120, shape)).astype(dtype)
                for m in (affine[:3, :3], np.linalg.inv(affine)[:3, :3].astype(np.float32),
                          affine[:2, :3]):
                    got, old = geometry.apply_linear(m, points), points @ m.T
                    assert got.shape == old.shape and got.dtype == old.dtype
                    assert np.array_equal(got, old)
            plain = np.asarray(points, float) @ affine[:3, :3].T + affine[:3, 3]
            assert np.array_equal(geometry.apply_affine(affine, points), plain)


def test_volume_rejects_singular_affine():
    with pytest.raises(GeometryError):
        Volume(np.zeros((2, 2, 2)), np.diag([1, 0, 1, 1]))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", [(0, 0), (1, 3), (3, 2)])
def test_volume_refuses_a_non_finite_affine_naming_its_source(bad, where):
    """A NaN in the affine passed the singular test (NaN < 1e-12 is false) and crashed the window
    where the image was first drawn; now the Volume is refused where it is made, in one line
    naming the file (or, for an image with no file, its description). (3, 2): a DICOM series'
    resampling once left NaN in the last row (d9360bcc), a segmentation fault in the window."""
    affine = np.diag([0.5, 0.5, 2.0, 1.0])
    affine[where] = bad
    with pytest.raises(GeometryError, match="non-finite") as caught:
        Volume(np.zeros((2, 2, 2)), affine, source_path="/data/head.nii.gz")
    assert str(caught.value).startswith("/data/head.nii.gz: ")
    assert "\n" not in str(caught.value)
    with pytest.raises(GeometryError, match="^lesion result: .*non-finite"):
        Volume(np.zeros((2, 2, 2)), affine, description="lesion result")


def test_label_arrays_refuse_floats_and_negative_values():
    assert as_label_array(np.array([0.0, 2.0, 3.0])).dtype == np.uint8
    assert as_label_array(np.array([0, 300])).dtype == np.uint16
    with pytest.raises(LabelMapError):
        as_label_array(np.array([0.5, 1.0]))
    with pytest.raises(LabelMapError):
        as_label_array(np.array([-1, 1]))


def test_segment_table_round_trip_and_label_map_grid_check():
    table = SegmentTable()
    lesion = table.add("lesion")
    table.add("oedema", color=(1, 2, 3), origin="model", model="lesionnet@1")
    assert lesion.value == 1 and table.next_value() == 3
    again = SegmentTable.from_list(table.to_list())
    assert again.by_name("oedema").color == (1, 2, 3) and again.get(2).model == "lesionnet@1"
    volume = Volume(np.zeros((4, 5, 6), np.int16), np.eye(4))
    labels = LabelMap.empty_like(volume)
    assert labels.on_grid_of(volume)
    shifted = LabelMap(np.zeros((4, 5, 6), np.uint8), geometry.affine_from_spacing((1, 1, 1), (0.5, 0, 0)))
    with pytest.raises(GeometryError):
        shifted.require_grid_of(volume)


@pytest.mark.parametrize("directions, expected", [(np.eye(3), (9, 11, 13)),
                                                  (np.diag([-1.0, -1.0, 1.0]), (8, 10, 13))])
def test_a_point_halfway_between_voxels_goes_to_the_plus_ras_one(directions, expected):
    """One tie rule for every tool: the voxel on the +RAS side (right, anterior, superior) in RAS
    and LPS storage alike, as the slice views draw. numpy's round-half-to-even picked (8, 10, 12)
    for both: the -RAS neighbour on every axis in RAS storage, a mix in LPS storage."""
    shape = (18, 22, 26)
    affine = geometry.affine_from_spacing((2.0, 2.0, 2.0), (0.0, 0.0, 0.0), directions)
    volume = Volume(np.zeros(shape, np.int16), affine)
    centre = volume.center_ras   # (8.5, 10.5, 12.5) in voxels: a tie on every axis
    assert np.allclose(volume.ras_to_ijk_points(centre), (8.5, 10.5, 12.5))
    assert volume.ras_to_voxel(centre) == expected
    chosen = volume.ijk_to_ras_points(np.asarray(expected, float))
    assert np.all(chosen > centre)   # the +RAS neighbour on every axis (reference: world space)
    assert tuple(geometry.nearest_ijk(volume.ras_to_ijk, centre)) == expected
