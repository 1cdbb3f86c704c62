"""The MNI152 template's regions lesion locations are told against come bundled
(``resources/anatomy``, made by ``packaging/make_anatomy.py`` from nilearn's template): read
without nilearn, the same as the script makes them, one line when a file is missing or damaged."""

from __future__ import annotations

import importlib.util
import shutil
import sys

import numpy as np
import pytest

from neuroview.ai import mni_regions
from neuroview.app.components import segment_components
from neuroview.app.lesion_location import UNKNOWN, case_anatomy, locate_lesions
from tests.checkout import REPO


@pytest.fixture
def fresh(monkeypatch):
    """template_regions() read again in the test, and again after it."""
    mni_regions.template_regions.cache_clear()
    monkeypatch.setitem(sys.modules, "nilearn", None)  # import nilearn fails, as without dev extras
    yield mni_regions.template_regions
    mni_regions.template_regions.cache_clear()


def test_read_without_nilearn(fresh):
    regions = fresh()
    ml = {name: np.count_nonzero(getattr(regions, name)) * 8 / 1000
          for name in ("brain", "infratentorial", "ventricles", "cortex")}
    assert 1500 < ml["brain"] < 2000 and 140 < ml["infratentorial"] < 260
    assert 15 < ml["ventricles"] < 20 and 200 < ml["cortex"] < 700
    # the pons (MNI 0, -25, -35) is well below the tentorium, the corpus callosum (0, 0, 25) above
    ijk = np.rint(np.linalg.inv(regions.ijk_to_ras) @ [[0, 0], [-25, 0], [-35, 25], [1, 1]])[:3].astype(int)
    assert regions.tentorium_mm[tuple(ijk[:, 0])] > 6 and regions.tentorium_mm[tuple(ijk[:, 1])] < -20


def test_bundled_files_are_what_the_script_makes():
    pytest.importorskip("nilearn")
    import nibabel as nib

    spec = importlib.util.spec_from_file_location("make_anatomy", REPO / "packaging" / "make_anatomy.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    t1, bits, affine = script.make()
    for name, array in ((script.T1_NAME, t1), (script.REGIONS_NAME, bits)):
        image = nib.load(REPO / "resources" / "anatomy" / name)
        assert image.get_data_dtype() == array.dtype
        assert np.array_equal(np.asarray(image.dataobj), array)
        assert np.allclose(image.affine, affine)
    assert script.BITS == mni_regions.BITS


def _small_case(tmp_path, monkeypatch, damage):
    folder = tmp_path / "resources"
    shutil.copytree(REPO / "resources" / "anatomy", folder / "anatomy")
    damage(folder / "anatomy")
    monkeypatch.setenv("NEUROVIEW_RESOURCES", str(folder))
    image = np.zeros((40, 40, 40), np.float32)
    image[8:32, 8:32, 8:32] = 100
    labels = np.zeros(image.shape, np.uint8)
    labels[18:21, 18:21, 18:21] = 1
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    components, mask, origin = segment_components(labels, 1, affine)
    case = case_anatomy(image, affine, image > 0, labels > 0)
    return locate_lesions(components, mask, origin, image, case), folder / "anatomy"


def test_a_missing_file_is_one_line(fresh, tmp_path, monkeypatch):
    located, folder = _small_case(tmp_path, monkeypatch,
                                  lambda anatomy: (anatomy / mni_regions.T1_NAME).unlink())
    assert [location.name for location in located] == [UNKNOWN]
    assert located[0].why == (f"{folder / mni_regions.T1_NAME}: the MNI152 template's regions are "
                              "missing: reinstall neuroview")


def test_a_damaged_file_is_one_line(fresh, tmp_path, monkeypatch):
    def cut(anatomy):
        path = anatomy / mni_regions.REGIONS_NAME
        path.write_bytes(path.read_bytes()[:5000])

    located, folder = _small_case(tmp_path, monkeypatch, cut)
    assert [location.name for location in located] == [UNKNOWN]
    why = located[0].why
    assert why.startswith(f"{folder / mni_regions.REGIONS_NAME}: the MNI152 template's regions are "
                          "damaged (") and why.endswith("): reinstall neuroview") and "\n" not in why
