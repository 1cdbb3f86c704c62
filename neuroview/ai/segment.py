"""Segment a :class:`Volume` with a model from the registry: the function the GUI and CLI call.

Qt-free and blocking: ``ui/workers.py`` runs it in a worker thread, passing a progress callback
and a :class:`CancelToken` (checked before every patch, so cancel takes effect within one patch).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..core.errors import GeometryError, ModelError, OutsideDomainError
from ..core.extent import BRAIN_NAME
from ..core.geometry import same_grid
from ..core.jobs import CancelToken, ProgressFn
from ..core.modality import is_ct as is_ct_image
from ..core.volume import Volume, model_input_problem, not_a_volume
from .api import SegmentationRequest, SegmentationResult
from .domain import RUN_ANYWAY, domain_note, image_domain, out_of_domain, overridden, reads_ct
from .package import LoadedModel, load_model
from .registry import DEFAULT_TASK, INTERACTIVE_TASK, Registry

log = logging.getLogger(__name__)
_cache: dict[tuple, LoadedModel] = {}
_cache_lock = threading.Lock()


def get_model(model: str = "", task: str = DEFAULT_TASK) -> LoadedModel:
    """Load (once per file version) the model named by a registry reference or a path."""
    path = Registry().resolve_path(model, task)
    try:
        files = [path] + (list(path.rglob("*")) if path.is_dir() else [])
        stamp = max(f.stat().st_mtime_ns for f in files)
    except OSError:
        stamp = 0
    key = (str(Path(path).resolve()), stamp)
    with _cache_lock:
        if key not in _cache:
            _cache.clear()  # one model in memory at a time
            _cache[key] = load_model(path)
        return _cache[key]


def preload(model: str = "", task: str = DEFAULT_TASK) -> None:
    """Import torch and read ``model``'s weights, kept for the :func:`segment` that follows: the
    seconds before a run's first patch (5 s at load 8, nearly all of it torch's import), which
    the window runs on a thread it can stop waiting for (``core.jobs.abandonable``)."""
    from . import infer  # noqa: F401 - torch

    get_model(model, task)


class ModelSegmenter:
    """A loaded model as a :class:`neuroview.ai.api.Segmenter`."""

    def __init__(self, model: str = "", task: str = DEFAULT_TASK) -> None:
        self.loaded = get_model(model, task)
        self.card = self.loaded.card

    def segment(self, request: SegmentationRequest, progress: Optional[ProgressFn] = None,
                cancel: Optional[CancelToken] = None) -> SegmentationResult:
        from .infer import run_model

        return run_model(self.loaded, request, progress=progress, cancel=cancel)


def image_channels(volume: Volume | Sequence[Volume]) -> tuple[list[np.ndarray], np.ndarray]:
    for channel in volume if isinstance(volume, (list, tuple)) else [volume]:
        if isinstance(channel, Volume) and model_input_problem(channel, masks=False):
            raise ModelError(model_input_problem(channel, masks=False),
                             path=channel.source_path or None)
    if isinstance(volume, Volume):
        if volume.array.ndim == 4:
            if volume.axis4 == "time" and volume.n_frames > 1:
                raise ModelError(f"{volume.description or 'image'} is a time series; pick one frame",
                                 path=volume.source_path or None)
            return ([volume.frame_as_shown(i) for i in range(volume.n_frames)],
                    volume.ijk_to_ras)
        return [volume.frame_as_shown()], volume.ijk_to_ras
    volumes = list(volume) if isinstance(volume, (list, tuple)) else [volume]
    for item in volumes or [volume]:
        if not isinstance(item, Volume):   # a bare array failed on .ijk_to_ras
            raise not_a_volume("volume (or each channel of a list)", item)
    first = volumes[0]
    for other in volumes[1:]:
        if not same_grid(first.shape, first.ijk_to_ras, other.shape, other.ijk_to_ras):
            raise GeometryError("input channels are not on one voxel grid",
                                path=other.source_path or None, hint="resample them to the first image")
    return [v.frame_as_shown() for v in volumes], first.ijk_to_ras


def require_domain(card, volume: Volume | Sequence[Volume], image: np.ndarray,
                   allow_domain_mismatch: bool = False) -> tuple[bool, str]:
    """Whether the image (its first channel ``image``) is a CT, and the refusal the person
    overrode (``allow_domain_mismatch``; "" when none); an :class:`OutsideDomainError` when it is
    outside ``card``'s domain (:func:`.domain.out_of_domain`) and not allowed: a knee MR got 1944
    "lesion" voxels and a 554 mL "brain" from the head model."""
    first = volume if isinstance(volume, Volume) else volume[0]
    is_ct = is_ct_image(image, first.modality)   # modality "" for NIfTI
    refused = out_of_domain(card, first, is_ct)
    if refused and not allow_domain_mismatch:
        raise OutsideDomainError(refused, path=first.source_path or None)
    return is_ct, overridden(refused)


def segment(volume: Volume | Sequence[Volume], model: str = "", device: str = "auto",
            progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
            mirror: bool = False, task: str = DEFAULT_TASK,
            allow_domain_mismatch: bool = False) -> SegmentationResult:
    """``model`` on ``volume``; an image outside the card's domain is refused
    (:class:`OutsideDomainError`) unless ``allow_domain_mismatch``: the result then says why it
    would have been, in a note and in :attr:`SegmentationResult.outside_domain`."""
    images, affine = image_channels(volume)
    request = SegmentationRequest(images=images, ijk_to_ras=affine, model=model, device=device,
                                  mirror=mirror, task=task,
                                  allow_domain_mismatch=allow_domain_mismatch)
    segmenter = ModelSegmenter(model, task)
    if task == DEFAULT_TASK and segmenter.card.training.get("task") == INTERACTIVE_TASK:
        # it said "needs 5 input channel(s) (image, include, exclude, box, previous), got 1"
        raise ModelError(f"{segmenter.card.ref} is a promptable (AI click) model: it segments one "
                         "object from clicks (the window's AI click; segment_object in Python), "
                         "not a whole image: choose a lesion model (neuroview models list)")
    is_ct, refused = require_domain(segmenter.card, volume, images[0], allow_domain_mismatch)
    try:
        result = segmenter.segment(request, progress, cancel)
    except OutsideDomainError as exc:   # no head's brain found: the file it is about
        first = volume if isinstance(volume, Volume) else volume[0]
        raise OutsideDomainError(exc.message, path=exc.path or first.source_path or None) from None
    if refused:
        result.outside_domain = "; ".join(filter(None, (refused, result.outside_domain)))
        if RUN_ANYWAY not in result.notes:   # also said when its brain extraction found no head
            result.notes.append(RUN_ANYWAY)
    if result.outside_domain:   # the whole refusal, which the short note leaves out
        log.info("%s run anyway: %s", result.model, result.outside_domain)
    channels = segmenter.card.input_channels
    mr_on_ct = is_ct and not reads_ct(segmenter.card) and not refused   # refused: said it
    # on a CT an MR model's note says it all: "not a whole head" said it means little a second
    # time, the model named thrice in the notice; run anyway, the short note said it
    note = "" if mr_on_ct or result.outside_domain else domain_note(
        segmenter.card, image_domain(images[0], affine, is_ct),
        extent_said=any("field of view (" in said for said in result.notes))
    if note:   # a crop inside the brain gave the bundled model a 0.4 mL midline "lesion"
        result.notes.append(note)
    if mr_on_ct:
        # an MR model gives a CT a result that means little (the bundled lesionseg: 0 voxels or
        # scattered ones), which reads like "no lesion" unless the notice says why
        result.notes.append(f"{result.model} was made for MR ({', '.join(channels)}), and this "
                            "image is a CT: its result means little")
    return result


BRAIN_SEGMENT = BRAIN_NAME   # context under the lesions (``core.extent.is_context``)
BRAIN_COLOR = (70, 130, 180)


def segment_volume(volume: Volume | Sequence[Volume], model_ref: str = "", device: str = "auto",
                   progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
                   mirror: bool = False):
    """``(labels uint8 on the volume's grid, [(value, name, colour)], "name@version", device)``.

    When the card extracted the brain, the mask comes as one more segment, ``brain`` (value after
    the model's labels), on the voxels no model label took: the user can show it and read its
    volume; the lesions keep their own segments on top of it.
    """
    result = segment(volume, model_ref, device, progress, cancel, mirror)
    labels, segments = with_brain_segment(result)
    return labels, segments, result.model, result.device


def with_brain_segment(result: SegmentationResult) -> tuple[np.ndarray, list[tuple]]:
    """A result's labels and ``[(value, name, colour)]``, its brain mask (if any) added as the
    segment ``brain`` on the voxels no model label took (see :func:`segment_volume`)."""
    segments = [(lab.value, lab.name, tuple(lab.color)) for lab in result.segments]
    labels = result.labels
    if result.brain_mask is not None:
        value = max((v for v, _n, _c in segments), default=0) + 1
        labels = labels.copy()
        labels[result.brain_mask & (labels == 0)] = value
        segments.append((value, BRAIN_SEGMENT, BRAIN_COLOR))
    return labels, segments
