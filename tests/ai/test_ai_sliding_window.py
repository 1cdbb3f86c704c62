"""The sliding window against MONAI's sliding_window_inference; progress, cancel, memory, devices."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.errors import Cancelled, ModelError
from neuroview.core.jobs import CancelToken

torch = pytest.importorskip("torch")

from neuroview.ai.infer import choose_device  # noqa: E402
from neuroview.ai.networks import UNet3D  # noqa: E402
from neuroview.ai.sliding_window import gaussian_importance, sliding_window  # noqa: E402


@pytest.fixture(scope="module")
def monai_inferers():
    """MONAI, the reference, imported when a test compares with it, not when this file is
    collected: every pytest-xdist worker collects every module, and ``monai.inferers`` took 3.2 s
    of CPU to import (after torch) in each, though one worker runs these tests."""
    return pytest.importorskip("monai.inferers")


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(3)
    return UNet3D(in_channels=2, out_channels=3, base_channels=4, levels=3).eval()


@pytest.mark.parametrize("shape, patch, overlap, batch", [
    ((40, 37, 29), (16, 24, 16), 0.25, 1),
    ((33, 50, 20), (16, 16, 16), 0.5, 3),
    ((12, 30, 9), (16, 16, 16), 0.6, 2),   # smaller than the patch along two axes: padded
])
def test_equals_monai_sliding_window_inference(net, shape, patch, overlap, batch, monai_inferers):
    generator = torch.Generator().manual_seed(11)
    image = torch.randn((2,) + shape, generator=generator)
    ours = sliding_window(net, image, patch, 3, overlap=overlap, batch_size=batch)
    with torch.no_grad():
        reference = monai_inferers.sliding_window_inference(
            image[None], patch, batch, lambda x: torch.softmax(net(x), 1), overlap=overlap,
            mode="gaussian")[0]
    assert ours.shape == reference.shape == (3,) + shape
    assert ours.dtype == torch.float32
    assert float((ours - reference).abs().max()) < 1e-4
    assert torch.allclose(ours.sum(0), torch.ones(shape), atol=1e-4)


def test_windows_outside_the_needed_region_are_skipped_and_change_nothing_inside(net):
    """A model that reports only in the brain runs only the windows that touch it: inside the
    needed region the probabilities are a full run's, and fewer windows ran."""
    image = torch.randn((2, 48, 40, 36), generator=torch.Generator().manual_seed(8))
    needed = np.zeros((48, 40, 36), bool)
    needed[5:17, 8:20, 4:14] = True
    seen = []
    full = sliding_window(net, image, (16, 16, 16), 3, overlap=0.5,
                          progress=lambda done, total, _: seen.append(total))
    part = sliding_window(net, image, (16, 16, 16), 3, overlap=0.5, needed=needed,
                          progress=lambda done, total, _: seen.append(total))
    assert torch.allclose(full[:, needed], part[:, needed], atol=1e-6)
    assert seen[-1] < seen[0] / 3  # windows run: with the region vs without
    assert float(part[:, ~needed].abs().sum()) < float(full[:, ~needed].abs().sum())


def test_a_single_window_on_a_cpu_runs_as_a_pair_with_the_same_answer(net):
    """PyTorch's slow reference kernel takes a batch of one on a CPU; ``run_network`` runs it
    as two copies (bench/network_batch.py) and must give the network's own answer."""
    from neuroview.ai.networks import run_network

    x = torch.randn((1, 2, 16, 16, 16), generator=torch.Generator().manual_seed(2))
    calls = []
    hook = net.register_forward_pre_hook(lambda module, args: calls.append(args[0].shape[0]))
    try:
        with torch.inference_mode():
            ours = run_network(net, x)
    finally:
        hook.remove()
    with torch.inference_mode():
        reference = net(x)
    assert calls == [2] and ours.shape == reference.shape
    assert float((ours - reference).abs().max()) < 1e-4


def test_importance_map_is_monais(monai_inferers):
    from monai.data.utils import compute_importance_map

    for patch in [(16, 24, 16), (64, 64, 64), (7, 9, 5)]:
        reference = compute_importance_map(patch, mode="gaussian").numpy()
        assert np.allclose(gaussian_importance(patch), reference, atol=1e-7)


def test_float16_accumulator_gives_same_labels(net):
    image = torch.randn((2, 30, 30, 30), generator=torch.Generator().manual_seed(5))
    full = sliding_window(net, image, (16, 16, 16), 3, overlap=0.5, accumulate_dtype="float32")
    half = sliding_window(net, image, (16, 16, 16), 3, overlap=0.5, accumulate_dtype="float16")
    assert half.dtype == torch.float16
    assert float((full - half.float()).abs().max()) < 5e-3
    agree = (full.argmax(0) == half.float().argmax(0)).float().mean()
    assert agree > 0.999


def test_mirroring_is_exact_for_a_flip_invariant_network(threshold_net):
    # A voxel-wise network gives identical outputs with and without mirroring.
    image = torch.rand((1, 20, 20, 20), generator=torch.Generator().manual_seed(2)) * 400
    plain = sliding_window(threshold_net(200.0), image, (16, 16, 16), 2, overlap=0.5)
    mirrored = sliding_window(threshold_net(200.0), image, (16, 16, 16), 2, overlap=0.5,
                              mirror_axes=(0, 1, 2))
    assert torch.allclose(plain, mirrored, atol=1e-6)


def test_progress_per_patch_and_cancel_within_one_patch(threshold_net):
    image = torch.zeros((1, 48, 48, 48))
    calls = []
    sliding_window(threshold_net(1.0), image, (16, 16, 16), 2, overlap=0.0,
                   progress=lambda done, total, text: calls.append((done, total)))
    assert calls[0] == (0, 27) and calls[-1] == (27, 27) and len(calls) == 28

    token = CancelToken()
    network = threshold_net(1.0)

    def progress(done, total, text):
        if done >= 3:
            token.cancel()

    with pytest.raises(Cancelled):
        sliding_window(network, image, (16, 16, 16), 2, overlap=0.0, progress=progress, cancel=token)
    assert network.calls == 3  # stopped before the 4th patch


def test_device_choice():
    assert choose_device("cpu").type == "cpu"
    expected = "cuda" if torch.cuda.is_available() else None
    if expected:
        assert choose_device("auto").type == "cuda"
    else:
        with pytest.raises(ModelError, match="no CUDA GPU"):
            choose_device("cuda")
    with pytest.raises(ModelError, match="unknown device"):
        choose_device("tpu")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_mixed_precision_matches_cpu(net):
    image = torch.randn((2, 40, 40, 40), generator=torch.Generator().manual_seed(9))
    cpu = sliding_window(net, image, (16, 16, 16), 3, overlap=0.5)
    gpu = sliding_window(net.to("cuda"), image, (16, 16, 16), 3, overlap=0.5, device="cuda",
                         batch_size=4, amp=True)
    net.to("cpu")
    assert float((cpu - gpu).abs().max()) < 2e-2
    assert (cpu.argmax(0) == gpu.argmax(0)).float().mean() > 0.99
