"""Model packages on disk: a folder with ``model.json`` (the card) and ``weights.safetensors``.

Loaders never unpickle: safetensors holds bare tensors, the card is JSON, and the network's code
comes from :mod:`neuroview.ai.networks`, chosen by name. Also accepted, each with its own card
(``FILE.json`` beside the file, or the file inside a package folder whose card names it):
TorchScript files (code the user chose to trust: loading warns) and ONNX files through onnxruntime
(optional extra). Every failure is a :class:`ModelError` naming the file.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from ..core import crash
from ..core.atomic import default_mode, fsync_dir, make_parent, write_text_atomic
from ..core.commit import describe
from ..core.errors import ModelError, first_line
from ..core.jsonfile import read_json_text
from ..core.plural import plural
from ..core.safepath import file_inside
from .api import CARD_FILE, WEIGHTS_FILE, LoadedModel, ModelCard
from .consent import file_sha256, is_code, require_consent
from .folders import is_nninteractive_folder, is_nnunet_results


def read_card(path: str | os.PathLike) -> ModelCard:
    """The card of a package folder, or of a single model file (``FILE.json`` beside it)."""
    path = Path(path)
    card_path = path / CARD_FILE if path.is_dir() else _sidecar_card(path)
    if not card_path.exists():
        if is_nninteractive_folder(path):
            from .interactive.nninteractive import load_nninteractive

            return load_nninteractive(path).card
        if is_nnunet_results(path):
            from .nnunet import read_nnunet_card

            return read_nnunet_card(path)
        raise ModelError(f"no model card ({card_path.name}) found", path=path,
                         hint="a model package is a folder with model.json and weights.safetensors, "
                              "an nnU-Net v2 results folder or an nnInteractive weights folder")
    try:
        text = read_json_text(card_path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the model card ({exc})", path=card_path) from None
    return ModelCard.from_json(text, str(card_path))


def _sidecar_card(path: Path) -> Path:
    for candidate in (path.with_name(path.name + ".json"), path.with_suffix(".json")):
        if candidate.exists():
            return candidate
    return path.with_suffix(".json")


def save_package(folder: str | os.PathLike, card: ModelCard, state_dict: dict) -> Path:
    """Write ``card`` and ``state_dict`` as a package folder, atomically (temp folder + rename).

    A package already at ``folder`` is renamed to ``.NAME.old`` for the instant between the two
    renames; :func:`recover_package` (run by this function, ``load_model`` and the registry's
    listing) puts it back if a kill struck there. A full disk raises ModelError and keeps the old
    package."""
    from safetensors.torch import save_file

    folder = Path(folder)
    make_parent(folder.parent)
    recover_package(folder)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        tensors = {k: v.detach().to("cpu").contiguous() for k, v in state_dict.items()}
        # tensors only in the header (no name, version or time), so the same tensors give the
        # same file and weights_sha256 whatever the card calls them (a --finish-only run, a copy)
        save_file(tensors, str(tmp / WEIGHTS_FILE), metadata={"format": "pt"})
        # safetensors writes 0600 whatever the umask
        os.chmod(tmp / WEIGHTS_FILE, default_mode(target=folder / WEIGHTS_FILE))
        with open(tmp / WEIGHTS_FILE, "rb+") as handle:
            os.fsync(handle.fileno())
        card.weights_file = WEIGHTS_FILE
        card.format = "safetensors"
        card.training = dict(card.training)
        card.training["weights_sha256"] = file_sha256(tmp / WEIGHTS_FILE)
        write_text_atomic(tmp / CARD_FILE, card.to_json())
        # mkdtemp makes it 0700; a package is shared data (private in neuroview's data folder)
        os.chmod(tmp, default_mode(folder=True, target=folder))
        crash.point("package-written")
        if folder.exists():
            backup = _backup_of(folder)
            shutil.rmtree(backup, ignore_errors=True)
            os.replace(folder, backup)
            crash.point("package-swapped")
            os.replace(tmp, folder)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(tmp, folder)
        fsync_dir(folder.parent)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ModelError(f"model package not saved: {describe(exc)}", path=folder) from None
        raise
    return folder


def _backup_of(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.old")


def recover_package(folder: str | os.PathLike, temporaries: bool = True) -> None:
    """Undo what a kill of :func:`save_package` left at ``folder``: the old package is put back
    when the new one never arrived, and (``temporaries``) temporary folders are deleted; only the
    writer itself does that, as another process may be writing one now."""
    folder = Path(folder)
    backup = _backup_of(folder)
    try:
        if backup.is_dir():
            if folder.exists():
                shutil.rmtree(backup, ignore_errors=True)
            else:
                os.replace(backup, folder)
        if temporaries and folder.parent.is_dir():
            pattern = re.compile(rf"^\.{re.escape(folder.name)}\.[A-Za-z0-9_]{{8}}$")
            for stale in folder.parent.iterdir():
                if pattern.match(stale.name) and stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
    except OSError:
        pass  # a read-only folder: nothing of ours can be there to repair


def _load_safetensors(folder: Path, card: ModelCard) -> LoadedModel:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from .networks import build_network

    weights = _named_file(folder, card)
    hyper = dict(card.hyperparameters)
    skeleton = _skeleton(card, hyper, weights)
    _check_size(skeleton, card, weights)
    try:
        state = load_file(str(weights))
    except (SafetensorError, OSError, ValueError, RuntimeError) as exc:
        raise ModelError(f"weights file is corrupt or not safetensors ({first_line(exc, 200)})",
                         path=weights) from None
    except MemoryError:
        raise ModelError("not enough memory to read the weights file", path=weights) from None
    _check_fits(skeleton, state, card, weights)
    network = build_network(card.architecture, hyper)
    try:
        network.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise ModelError(f"weights do not fit architecture {card.architecture} "
                         f"({first_line(exc, 200)})", path=weights) from None
    network.eval()
    return LoadedModel(card, network, str(folder), "safetensors")


def _skeleton(card: ModelCard, hyper: dict, weights: Path):
    """The card's network made on torch's ``meta`` device (shapes only, no memory), to compare
    with the weights before the real one is built: a card asking for a huge network that its
    weights do not fill is refused without allocating it."""
    import torch

    from .networks import build_network

    try:
        with torch.device("meta"):
            return build_network(card.architecture, hyper)
    except ModelError as exc:   # the card's architecture or hyperparameters: name the card
        raise ModelError(exc.message, path=exc.path or weights.parent / CARD_FILE,
                         hint=exc.hint) from None


SAFETENSORS_HEADER_MAX = 100_000_000
"""The largest header safetensors reads (its own limit), in bytes."""


def _check_size(skeleton, card: ModelCard, weights: Path) -> None:
    """A weights file larger than the card's network can use (all its tensors in float64, the
    widest a network takes, and the largest header safetensors reads) is refused before a byte
    of it is loaded: safetensors reads every tensor its header lists, so a header listing one more
    of 32 GB (a sparse file, 1.4 MB on disk) took 32 GB of memory, or ended in MemoryError."""
    from ..core.memory import format_bytes

    needed = sum(value.numel() for value in skeleton.state_dict().values()) * 8
    size = weights.stat().st_size
    if size > needed + SAFETENSORS_HEADER_MAX + 8:
        raise ModelError(f"weights file holds {format_bytes(size)}, more than the card's "
                         f"{card.architecture} network can use ({format_bytes(needed)} in float64): "
                         f"not this card's weights, or damaged", path=weights)


def _check_fits(skeleton, state: dict, card: ModelCard, weights: Path) -> None:
    """The weights' tensors are the card's network's, name by name and shape by shape."""
    _check_io(skeleton, card, weights)
    expected = {key: tuple(value.shape) for key, value in skeleton.state_dict().items()}
    found = {key: tuple(value.shape) for key, value in state.items()}
    if expected != found:
        missing = sorted(set(expected) - set(found))
        extra = sorted(set(found) - set(expected))
        wrong = sorted(k for k in set(expected) & set(found) if expected[k] != found[k])
        detail = "; ".join(f"{what} {plural(len(keys), 'tensor')}, e.g. {keys[0]}" for what, keys in
                           (("missing", missing), ("unexpected", extra), ("wrong shape of", wrong))
                           if keys)
        raise ModelError(f"weights do not fit architecture {card.architecture} ({detail})",
                         path=weights)


def _check_io(network, card: ModelCard, source) -> None:
    in_channels = getattr(network.encoders[0][0], "in_channels", None)
    out_channels = getattr(network.head, "out_channels", None)
    if in_channels is not None and in_channels != card.n_channels:
        raise ModelError(f"network takes {in_channels} input channels but the card lists "
                         f"{card.n_channels} ({', '.join(card.input_channels)})", path=source)
    if out_channels is not None and out_channels != card.n_classes:
        raise ModelError(f"network gives {out_channels} outputs but the card has "
                         f"{plural(len(card.labels), 'label')} + background", path=source)


def _load_torchscript(path: Path, card: ModelCard) -> LoadedModel:
    import torch

    require_consent(path)  # before torch sees a byte of it
    try:
        network = torch.jit.load(str(path), map_location="cpu")
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"not a loadable TorchScript file ({first_line(exc, 200)})", path=path) from None
    network.eval()
    return LoadedModel(card, network, str(path), "torchscript")


class _OnnxRunner:
    """Calls an onnxruntime session like a torch module: tensors in, tensor out on their device.

    onnxruntime computes on the CPU unless its GPU build is installed; ``to("cuda")`` then opens a
    CUDA session (else the CPU session stays, and the output still comes back on the input's
    device so the sliding window can mix them).
    """

    def __init__(self, session, path: Path) -> None:
        self.session = session
        self.path = path
        self.input_name = session.get_inputs()[0].name
        batch = session.get_inputs()[0].shape[0]
        self.one_at_a_time = batch == 1
        """Exported with a batch of 1 (``torch.onnx.export``'s default without dynamic axes):
        the sliding window's batches of patches go in one patch at a time."""

    def __call__(self, tensor):
        import numpy as np
        import torch

        array = tensor.detach().to("cpu", torch.float32).numpy()
        parts = [array[i:i + 1] for i in range(len(array))] if self.one_at_a_time else [array]
        out = np.concatenate([self._run(part) for part in parts])
        return torch.from_numpy(out).to(tensor.device)

    def _run(self, array):
        from ..core.errors import NeuroviewError
        from .onnx_session import onnx_reason, run_stoppable

        try:
            return run_stoppable(self.session, {self.input_name: array})[0]
        except NeuroviewError:   # Cancelled
            raise
        except Exception as exc:   # onnxruntime's own, untyped: the model refused the input
            if not type(exc).__module__.startswith("onnxruntime"):
                raise
            raise ModelError(f"the ONNX model failed on a patch of shape {list(array.shape)} "
                             f"({onnx_reason(exc, self.path)})", path=self.path) from None

    def to(self, device=None, *args, **kwargs):
        import onnxruntime

        from .onnx_session import open_session

        device_type = getattr(device, "type", str(device or "cpu").split(":")[0])
        wanted = "CUDAExecutionProvider" if device_type == "cuda" else "CPUExecutionProvider"
        current = self.session.get_providers()[0]
        if current != wanted and wanted in onnxruntime.get_available_providers():
            self.session = open_session(self.path, [wanted, "CPUExecutionProvider"])
        elif current != "CPUExecutionProvider" and wanted == "CPUExecutionProvider":
            self.session = open_session(self.path, ["CPUExecutionProvider"])
        return self

    def eval(self):
        return self


def _load_onnx(path: Path, card: ModelCard) -> LoadedModel:
    try:
        import onnxruntime  # noqa: F401 - said here when missing
    except ImportError:
        raise ModelError("ONNX models need the optional onnxruntime package",
                         path=path, hint="pip install onnxruntime (or neuroview[onnx])") from None
    from .onnx_session import onnx_reason, open_session

    try:
        session = open_session(path, ["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise ModelError(f"not a loadable ONNX file ({onnx_reason(exc, path)})", path=path) from None
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or len(inputs[0].shape) != 5:
        shapes = ", ".join(str(i.shape) for i in inputs)
        raise ModelError(f"ONNX model must take one 5D input (N, C, X, Y, Z), it takes {shapes}",
                         path=path)
    channels = inputs[0].shape[1]
    if isinstance(channels, int) and channels != card.n_channels:
        raise ModelError(f"ONNX model takes {channels} input channels but the card lists "
                         f"{card.n_channels} ({', '.join(card.input_channels)})", path=path)
    classes = outputs[0].shape[1] if outputs and len(outputs[0].shape) == 5 else None
    if isinstance(classes, int) and classes != card.n_classes:
        raise ModelError(f"ONNX model gives {classes} outputs but the card has {len(card.labels)} "
                         "labels + background", path=path)
    return LoadedModel(card, _OnnxRunner(session, path), str(path), "onnx")


def check_onnx_copy(copy: Path, source: Path) -> None:
    """Raise ModelError (naming ``source``) when the ONNX file copied to ``copy`` does not load
    there: its weights kept in other files beside it (ONNX external data), which ``models add``
    copies no more than any other file beside a model file (it was added, then refused at every
    use: `External data path does not exist`)."""
    from .onnx_session import onnx_reason, open_session

    try:
        open_session(copy, ["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        text = onnx_reason(exc, copy)
        if "external data" in text.lower():
            raise ModelError("the ONNX file keeps weights in other files beside it (external "
                             "data), which are not copied: save the model as one file (onnx's "
                             "save_model with save_as_external_data=False) and add that",
                             path=source) from None
        raise ModelError(f"the ONNX file does not load once copied ({text})", path=source) from None


def load_model(path: str | os.PathLike) -> LoadedModel:
    """Load a package folder, a TorchScript/ONNX file with its card, or an nnU-Net v2 results
    folder (``plans.json`` + ``dataset.json`` + ``fold_N/checkpoint_*.pth``)."""
    path = Path(path)
    if not path.exists():
        recover_package(path, temporaries=False)
    if not path.exists():
        raise ModelError("no such model file or folder", path=path)
    if is_nninteractive_folder(path) and not (path / CARD_FILE).exists():
        return _load_nninteractive(path, None)
    if is_nnunet_results(path) and not (path / CARD_FILE).exists():
        from .nnunet import load_nnunet

        return load_nnunet(path)
    card = read_card(path)
    if card.format == "nninteractive":
        return _load_nninteractive(path, card)
    if card.format == "nnunet":
        from .nnunet import load_nnunet

        if not is_nnunet_results(path):
            raise ModelError("the card says nnU-Net but plans.json or dataset.json is missing",
                             path=path)
        return load_nnunet(path, card)
    if path.is_dir():
        if card.format == "safetensors":
            return _load_safetensors(path, card)
        file = _named_file(path, card)
    else:
        file = path
    if is_code(card.format, file):
        return _load_torchscript(file, card)
    if card.format == "onnx" or file.suffix.lower() == ".onnx":
        return _load_onnx(file, card)
    raise ModelError(f"unknown model format {card.format!r}",
                     hint="use safetensors, torchscript or onnx", path=path)


def _load_nninteractive(path: Path, card) -> LoadedModel:
    """An nnInteractive weights folder (promptable: run it through
    :mod:`neuroview.ai.interactive.nninteractive`, not the sliding window)."""
    from .interactive.nninteractive import load_nninteractive
    from .interactive.nninteractive_folder import FORMAT

    if not is_nninteractive_folder(path):
        raise ModelError("the card says nnInteractive but plans.json, dataset.json or "
                         "inference_session_class.json is missing", path=path)
    model = load_nninteractive(path, card)
    return LoadedModel(model.card, model.network, str(path), FORMAT)


def _named_file(folder: Path, card: ModelCard) -> Path:
    """The weights file a package's card names: a regular file inside the package folder."""
    return file_inside(folder, card.weights_file, folder / CARD_FILE, "weights file", ModelError)

