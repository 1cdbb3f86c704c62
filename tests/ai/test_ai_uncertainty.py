"""Test-time flips of a model (ai.flip_probabilities) and `neuroview dataset rank --model NAME`."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.geometry import affine_from_spacing
from neuroview.core.volume import Volume
from neuroview.paths import resources_dir

torch = pytest.importorskip("torch")

from neuroview.ai import flip_probabilities  # noqa: E402
from neuroview.ai.package import LoadedModel  # noqa: E402

PACKAGE = resources_dir() / "models" / "lesionseg"
FLIPS = ((), (0,), (1,), (2,))
PERMUTED = np.array([[0, 0, -1], [-1, 0, 0], [0, 1, 0]], float)
"""Columns: voxel axis 0 -> -A, 1 -> +S, 2 -> -R (so the model's first axis, R, is volume axis 2)."""


class RampNet(torch.nn.Module):
    """Foreground logit = position along the window's first axis: not flip-equivariant."""

    def forward(self, x):
        ramp = torch.linspace(-4.0, 4.0, x.shape[2]).view(1, 1, -1, 1, 1).expand(
            x.shape[0], 1, *x.shape[2:])
        return torch.cat([torch.zeros_like(ramp), ramp], dim=1)


def _entropy_bits(p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(p * np.log2(p) + (1 - p) * np.log2(1 - p))


def test_flips_are_undone_on_the_volumes_own_axes(card_factory, threshold_net, rng):
    """A voxelwise network gives the same map under every flip (a wrong un-flip would not), and
    the map is the network's sigmoid at each voxel; oblique, anisotropic, permuted grid."""
    affine = affine_from_spacing((1.5, 2.5, 2.0), (-20.0, 10.0, 5.0), PERMUTED)
    image = rng.normal(100.0, 30.0, (22, 18, 14)).astype(np.float32)
    image[:8, :5, :3] += 200.0  # asymmetric along every axis
    card = card_factory(normalization={"scheme": "none"}, target_spacing=(2.0, 2.0, 2.0),
                        patch_size=(16, 16, 16))
    model = LoadedModel(card, threshold_net(150.0, 20.0), "", "safetensors")
    p = flip_probabilities(Volume(image, affine), model, FLIPS, "cpu")
    assert p.shape == (4,) + image.shape and p.dtype == np.float32
    for k in range(1, 4):
        np.testing.assert_allclose(p[k], p[0], atol=1e-5)
    same_grid = card_factory(normalization={"scheme": "none"}, target_spacing=(2.0, 2.0, 2.0),
                             patch_size=(16, 16, 16))
    affine2 = affine_from_spacing((2.0, 2.0, 2.0), (0.0, 0.0, 0.0), PERMUTED)
    p2 = flip_probabilities(Volume(image, affine2),
                            LoadedModel(same_grid, threshold_net(150.0, 20.0), "", "safetensors"),
                            [()], "cpu")
    expected = 1 / (1 + np.exp(-(image.astype(np.float64) - 150.0) / 20.0))
    np.testing.assert_allclose(p2[0], expected, atol=1e-5)


def test_each_flip_reaches_the_model_along_the_right_axis(card_factory):
    """The ramp network's output flips only when the volume axis that became model axis 0 is
    flipped (volume axis 2 here); flipping the other axes leaves it as is."""
    affine = affine_from_spacing((2.0, 2.0, 2.0), (0.0, 0.0, 0.0), PERMUTED)
    card = card_factory(normalization={"scheme": "none"}, target_spacing=(2.0, 2.0, 2.0),
                        patch_size=(16, 16, 16))
    model = LoadedModel(card, RampNet(), "", "safetensors")
    p = flip_probabilities(Volume(np.zeros((16, 16, 16), np.float32), affine), model, FLIPS, "cpu")
    none, axis0, axis1, axis2 = p
    np.testing.assert_allclose(axis0, none, atol=1e-6)
    np.testing.assert_allclose(axis1, none, atol=1e-6)
    np.testing.assert_allclose(axis2, none[:, :, ::-1], atol=1e-6)
    assert np.abs(axis2 - none).max() > 0.9  # the ramp really changed direction
    # R runs against volume axis 2, and the ramp rises towards the model's +R (its first axis).
    assert none[0, 0, 0] > 0.95 and none[0, 0, -1] < 0.05


def test_only_windows_over_the_brain_run_and_inside_nothing_changes(card_factory, threshold_net,
                                                                   monkeypatch, rng):
    """With a card that extracts the brain, each flip runs only the windows over the brain and its
    margin, as segmentation does (a head's uncertainty map ran every window: four times 80 on the
    demo case one at a time, 236 s on the 2-core machine); inside the brain every flip's value is
    the voxelwise network's own, outside it 0."""
    from neuroview.ai import preprocess

    affine = affine_from_spacing((4.0, 4.0, 4.0), (-80.0, -80.0, -80.0), PERMUTED)
    shape = (40, 40, 40)  # 160 mm: a head's field of view, so brain extraction is not skipped
    image = rng.normal(100.0, 30.0, shape).astype(np.float32)
    grid = np.indices(shape)
    brain = ((grid - np.array([10, 12, 28])[:, None, None, None]) ** 2).sum(0) < 36
    monkeypatch.setattr(preprocess, "cached_brain_masks", lambda *a, **k: (brain, brain))
    monkeypatch.setattr(preprocess, "not_a_brain", lambda *a: "")   # a 57 mL ball stands for a brain
    card = card_factory(normalization={"scheme": "none"}, target_spacing=(4.0, 4.0, 4.0),
                        patch_size=(16, 16, 16),
                        preprocessing=[{"step": "brain_extraction", "margin_mm": 0}])
    net = threshold_net(110.0, 20.0)
    p = flip_probabilities(Volume(image, affine), LoadedModel(card, net, "", "safetensors"), FLIPS, "cpu")
    full = threshold_net(110.0, 20.0)
    plain = card_factory(normalization={"scheme": "none"}, target_spacing=(4.0, 4.0, 4.0),
                         patch_size=(16, 16, 16))
    flip_probabilities(Volume(image, affine), LoadedModel(plain, full, "", "safetensors"), FLIPS, "cpu")
    assert net.calls <= full.calls // 3, (net.calls, full.calls)
    # 27 windows a flip without the brain, run two at a time (a CPU runs a batch of one as two)
    assert full.calls == 4 * 14
    expected = 1 / (1 + np.exp(-(image.astype(np.float64) - 110.0) / 20.0))
    for k in range(4):
        np.testing.assert_allclose(p[k][brain], expected[brain], atol=1e-5)
        assert not p[k][~brain].any()


def _crop(image, affine, lo, size=32):
    lo = np.asarray(lo)
    box = tuple(slice(a, a + size) for a in lo)
    shifted = affine.copy()
    shifted[:3, 3] = affine[:3, :3] @ lo + affine[:3, 3]
    return np.ascontiguousarray(image[box], dtype=np.float32), shifted


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    """Three 32^3 crops of real anatomy at the bundled model's 2 mm: clean, noisy, and with four
    bright focal lesions (the one whose borders the model is most unsure about)."""
    from neuroview.ai import synth

    rng = np.random.default_rng(0)
    base = synth.make_anatomy_sample(synth.load_mni_anatomy(), rng, 2.0, deform=False,
                                     skull_strip_p=0)
    image, affine = _crop(base.image, base.ijk_to_ras, np.array(base.image.shape) // 2 - 16)
    noisy = image + rng.normal(0, 0.8 * image.std(), image.shape).astype(np.float32)
    lesions = image.copy()
    grid = np.indices(image.shape)
    for centre in ((8, 8, 8), (24, 8, 20), (8, 24, 12), (20, 22, 24)):
        radius = np.sqrt(((grid - np.array(centre)[:, None, None, None]) ** 2).sum(0))
        lesions[radius < 4] *= 1.7
    folder = tmp_path_factory.mktemp("pool")
    for name, array in (("clean", image), ("noisy", noisy), ("lesions", lesions)):
        nib.save(nib.Nifti1Image(array, affine), folder / f"{name}.nii.gz")
    return folder


def test_bundled_model_flip_none_agrees_with_its_segmentation(pool):
    from neuroview.ai import segment_volume
    from neuroview.io.nifti import load_nifti

    volume = load_nifti(pool / "lesions.nii.gz")
    p = flip_probabilities(volume, str(PACKAGE), [()], "cpu")[0]
    labels, *_ = segment_volume(volume, str(PACKAGE), device="cpu")
    assert 0 <= p.min() and p.max() <= 1
    # Two classes: argmax of the resampled (background, lesion) is 1 - p(background) > 0.5.
    assert (labels == 1).sum() > 100
    assert np.count_nonzero((p > 0.5) != (labels == 1)) <= 0.001 * p.size


def test_cli_rank_with_the_default_model(pool, tmp_path, cli):
    from neuroview.dataset.layout import init_dataset
    from neuroview.io.nifti import load_nifti

    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    result = cli("dataset", "rank", folder, "--cases", pool, "--device", "cpu",
                 "--output", tmp_path / "next.csv")
    assert result.returncode == 0, result.stderr
    # Independent scores: each flip's probability from the package folder, entropy by hand.
    expected = {}
    for name in ("clean", "noisy", "lesions"):
        p = flip_probabilities(load_nifti(pool / f"{name}.nii.gz"), str(PACKAGE), FLIPS, "cpu")
        expected[f"{name}.nii.gz"] = float(_entropy_bits(p.astype(np.float64).mean(0)).mean())
        if name == "lesions":
            flip_none_entropy = float(_entropy_bits(p[0].astype(np.float64)).mean())
    order = sorted(expected, key=lambda k: -expected[k])
    printed = [line.split()[1] for line in result.stdout.splitlines() if line.split()[0].isdigit()]
    assert printed == order
    assert order[0] == "lesions.nii.gz"  # the crop with lesions is the one to label first
    with open(tmp_path / "next.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == order
    for row in rows:
        assert float(row["score"]) == pytest.approx(expected[row["id"]], abs=2e-5)

    # By package path, one flip, cases from a CSV worklist: the score is that flip's entropy.
    worklist = tmp_path / "todo.csv"
    worklist.write_text(f"id,path\nL,{pool / 'lesions.nii.gz'}\n")
    result = cli("dataset", "rank", folder, "--cases", worklist, "--model", PACKAGE, "--flips",
                 "none", "--device", "cpu")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0].split()
    assert first[1] == "L" and float(first[3]) == pytest.approx(flip_none_entropy, abs=2e-4)

    result = cli("dataset", "rank", folder, "--cases", pool, "--model", "nosuchmodel")
    assert result.returncode == 1 and "no model 'nosuchmodel'" in result.stderr
