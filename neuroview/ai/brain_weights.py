"""deepbet's two networks (``ai.brain``'s coarse box network and fine one): found in the
installed deepbet wheel, each file's SHA-256 checked against the wheel's RECORD, loaded once per
device. They are TorchScript, i.e. code: acceptable because they come from an installed
dependency that pip verified (the consent rule for model files from users does not apply)."""

from __future__ import annotations

import base64
import hashlib
import threading
import warnings
from pathlib import Path

import torch

from ..core.errors import ModelError

_networks: dict[str, tuple] = {}
_lock = threading.Lock()


def is_available() -> bool:
    try:
        _weight_paths()
    except ModelError:
        return False
    return True


def _weight_paths() -> dict[str, Path]:
    """The two weight files of the installed deepbet wheel, verified against its RECORD."""
    from importlib import metadata

    try:
        dist = metadata.distribution("deepbet")
    except metadata.PackageNotFoundError:
        raise ModelError("brain extraction needs the deepbet package",
                         hint="pip install deepbet (its weights come inside the wheel)") from None
    paths = {}
    for entry in dist.files or []:
        name = entry.as_posix()
        if name in ("data/models/model.pt", "data/models/bbox_model.pt"):
            paths[name] = entry
    if len(paths) != 2:
        raise ModelError("the installed deepbet package lacks its weight files",
                         hint="reinstall it: pip install --force-reinstall deepbet")
    out = {}
    for name, entry in paths.items():
        path = Path(dist.locate_file(entry))
        if entry.hash is not None:
            digest = hashlib.sha256(path.read_bytes()).digest()
            expected = base64.urlsafe_b64decode(entry.hash.value + "=" * (-len(entry.hash.value) % 4))
            if entry.hash.mode != "sha256" or digest != expected:
                raise ModelError("deepbet weight file does not match its package's record",
                                 path=path, hint="reinstall it: pip install --force-reinstall deepbet")
        out["fine" if name.endswith("/model.pt") else "box"] = path
    return out


def load_networks(device: torch.device):
    key = str(device)
    with _lock:
        if key not in _networks:
            paths = _weight_paths()
            # TorchScript from an installed, pip-verified dependency (hashes checked above).
            with warnings.catch_warnings():  # torch 2.9+ calls torch.jit deprecated; it still loads
                warnings.simplefilter("ignore", DeprecationWarning)
                box, fine = (torch.jit.load(str(paths[k]), map_location=device).eval()
                             for k in ("box", "fine"))
                nets = (_box_for_device(box, device), fine)
            _networks.clear()
            _networks[key] = nets
        return _networks[key]


def _box_for_device(network, device: torch.device):
    """On a CPU, the coarse network frozen and optimized for inference
    (:func:`torch.jit.optimize_for_inference`: its convolutions on oneDNN whatever their sizes).
    As loaded, its batch of one 128^3 image with one channel sent some convolutions to ATen's slow
    reference kernel (``ConvParams::use_mkldnn``): a pass took as long as a batch of two, 0.40 s of
    CPU against 0.19 s optimized, the probabilities within 3e-4 (``bench/deepbet_cpu.py``, one
    thread). The fine network gained nothing so (160^3: 0.90 of the time; 256^3: 1.04) and stays
    as loaded; so does either on a GPU."""
    if torch.device(device).type != "cpu":
        return network
    return torch.jit.optimize_for_inference(torch.jit.freeze(network))
