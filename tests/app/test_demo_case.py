"""The lesion demo case: what `neuroview demo` opens, and its ground truth is honest."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.cli import demo
from neuroview.paths import demo_image


def test_neuroview_demo_opens_the_lesion_case(monkeypatch, capsys):
    from neuroview.cli import main as cli_main

    opened = []
    monkeypatch.setattr(cli_main, "open_window", lambda paths, **kwargs: opened.append(paths) or 0)
    assert cli_main.main(["demo"]) == 0
    assert cli_main.main(["demo", "--template"]) == 0
    assert opened == [[str(demo.lesion_case())], [str(demo_image())]]
    assert demo.lesion_case().name == "mni152_t1_lesions.nii.gz" and demo.lesion_case().exists()
    capsys.readouterr()
    assert cli_main.main(["demo", "--info"]) == 0  # headless: what it would open
    out = capsys.readouterr().out
    assert "mni152_t1_lesions.nii.gz" in out and "197x233x189" in out


def test_lesion_case_is_the_template_plus_lesions_inside_the_brain():
    import nibabel as nib
    from scipy import ndimage

    nilearn_datasets = pytest.importorskip("nilearn.datasets")
    from neuroview.app.components import find_components

    template, image, truth = (nib.load(p) for p in (demo_image(), demo.lesion_case(), demo.lesion_truth()))
    assert image.shape == truth.shape == template.shape
    assert np.allclose(image.affine, template.affine) and np.allclose(truth.affine, template.affine)
    assert image.get_data_dtype() == np.uint8 and truth.get_data_dtype() == np.uint8
    mask = np.asarray(truth.dataobj)
    assert set(np.unique(mask)) == {0, 1}
    lesions = find_components(mask == 1, truth.affine)
    assert len(lesions) == 4
    assert all(c.diameter_mm >= 12 for c in lesions)  # the bundled model is weak below ~6 mm
    brain = np.asarray(nilearn_datasets.load_mni152_brain_mask(resolution=1).dataobj) > 0
    assert brain.shape == mask.shape
    assert brain[mask == 1].all(), "every lesion voxel lies in the template's brain mask"
    # real anatomy: outside the lesions the image is the template, voxel for voxel; the truth is
    # what is visible (no brightened rim outside it, as paint_lesion's soft edge alone would leave)
    changed = np.asarray(image.dataobj) != np.asarray(template.dataobj)
    assert changed.any() and not (changed & (mask != 1)).any()
    inner = ndimage.binary_erosion(mask == 1)
    assert changed[inner].mean() > 0.95   # and the lesions differ from the template


def test_lesion_truth_loads_as_lesion(tmp_path):
    """File > Load labels of the truth names its segment "lesion" (its .segments.json sidecar),
    not "Segment 1"."""
    from neuroview.app.session import Session
    from neuroview.io.nifti import load_nifti

    session = Session(load_nifti(demo.lesion_case()))
    session.load_labels(demo.lesion_truth())
    assert [(s.value, s.name) for s in session.segments] == [(1, "lesion")]
