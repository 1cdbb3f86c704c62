"""The AI contract the application sees: model cards, segmentation requests and results.

Typed dataclasses instead of free-form dicts (MONAI Label's lesson). This module never imports
torch, so ``app`` and ``ui`` may import it while the window starts; the work itself happens in
:mod:`neuroview.ai.infer`, imported when a model actually runs.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Protocol, runtime_checkable

import numpy as np

from ..core.errors import ModelError
from ..core.jobs import CancelToken, ProgressFn
from ..core.jsonfile import parse_json
from ..core.safepath import check_name
from .card_checks import card_field, check_metrics, checked_domain
from .preprocess import validate_steps

CARD_FILE = "model.json"
WEIGHTS_FILE = "weights.safetensors"
CARD_SCHEMA = 1
DEVICES = ("auto", "cpu", "cuda", "mps")
MIN_SPACING_MM, MAX_SPACING_MM = 0.01, 100.0
MAX_PATCH_SIDE, MAX_PATCH_VOXELS = 1024, 512 ** 3
MAX_OVERLAP = 0.9
"""Windows overlapping by more than 90% multiply the work by over a thousand for no gain."""
UNET3D_RANGES = {"levels": (2, 8), "base_channels": (1, 320), "in_channels": (1, 64),
                 "out_channels": (2, 256)}


@dataclass
class LabelInfo:
    value: int
    name: str
    color: tuple[int, int, int]


CARD_FIELD_TYPES = {
    "name": (str, "text"), "version": (str, "text"), "architecture": (str, "text"),
    "format": (str, "text"), "weights_file": (str, "text"), "description": (str, "text"),
    "created": (str, "text"), "license": (str, "text"), "parent": (str, "text"),
    "hyperparameters": (dict, "a JSON object"), "normalization": (dict, "a JSON object"),
    "training": (dict, "a JSON object"), "metrics": (dict, "a JSON object"),
    "mirror_axes": (list, "a list"), "overlap": ((int, float), "a number"),
    "schema": (int, "an integer"),
}
"""The JSON type of each card field read as it is (the others are converted and checked in
:meth:`ModelCard.from_dict`): a card with ``"weights_file": -1`` or ``"architecture": [...]``
is refused naming the field, not met as a TypeError later. ``null`` keeps the default (and
``parent``: none)."""


@dataclass
class ModelCard:
    """Everything needed to run a model and judge it, stored as ``model.json`` beside its weights."""

    name: str
    version: str
    architecture: str
    hyperparameters: dict[str, Any]
    input_channels: list[str]
    """Modality name of each input channel, e.g. ``["T1"]`` or ``["T1", "FLAIR"]``."""
    target_spacing: tuple[float, float, float]
    patch_size: tuple[int, int, int]
    labels: list[LabelInfo]
    normalization: dict[str, Any] = field(default_factory=lambda: {"scheme": "zscore_foreground"})
    overlap: float = 0.25
    mirror_axes: list[int] = field(default_factory=list)
    """Axes (0, 1, 2 of the closest-RAS grid) whose flips are averaged at inference, as the card's
    figures were measured; ``[]``: none. A request with ``mirror=True`` flips all three."""
    format: str = "safetensors"
    """``safetensors`` (weights + an architecture known to neuroview), ``torchscript``, ``onnx``."""
    weights_file: str = WEIGHTS_FILE
    description: str = ""
    training: dict[str, Any] = field(default_factory=dict)
    """What it was trained on: data description, recipe command, dataset hash, seed, duration."""
    metrics: dict[str, Any] = field(default_factory=dict)
    """Measured metrics, e.g. ``{"held_out_dice": {"lesion": 0.81}, "held_out_cases": 12}``."""
    postprocessing: dict[str, Any] = field(default_factory=dict)
    """E.g. ``{"min_component_probability": 0.98, "min_component_contrast": 0.5}``: a connected
    region of a label is kept only where the model's probability for that label reaches
    ``min_component_probability`` somewhere in the region, and only when its median intensity
    differs from the tissue around it by ``min_component_contrast`` (normalised units);
    ``extent_probability`` grows each region to every connected voxel above it,
    ``strong_contrast`` keeps a less sure region that is strongly unlike its surroundings and
    ``min_component_mm3`` drops small regions (see :mod:`neuroview.ai.postprocess`)."""
    postprocessing_thick: dict[str, Any] = field(default_factory=dict)
    """The same keys, used instead of ``postprocessing`` on a thick-sliced image (one voxel side
    at least twice another, :func:`neuroview.ai.brain.thick_axis`); empty: ``postprocessing``
    everywhere."""
    preprocessing: list[dict[str, Any]] = field(default_factory=list)
    """Steps run before the model, in order, e.g. ``[{"step": "brain_extraction", "margin_mm": 3}]``
    (see :mod:`neuroview.ai.preprocess`); the output is limited to what they allow."""
    domain: dict[str, Any] = field(default_factory=dict)
    """What the model was made for, e.g. ``{"modalities": ["MR"], "body_parts": ["HEAD", "BRAIN"]}``
    (DICOM Modality and BodyPartExamined words); a key left out: any. A series whose header names
    another body part is refused before the model runs (:func:`neuroview.ai.domain.out_of_domain`)."""
    parent: Optional[str] = None
    """``name@version`` of the model this one was fine-tuned from, if any."""
    created: str = ""
    license: str = ""
    schema: int = CARD_SCHEMA

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def check_ranges(self, source: str = "") -> None:
        """Refuse values no real model has, before anything is built or allocated: NaN or
        microscopic spacing, giant patches, an overlap that slides one voxel at a time, a U-Net
        of hundreds of levels."""
        where = source or None
        if not all(math.isfinite(s) and MIN_SPACING_MM <= s <= MAX_SPACING_MM
                   for s in self.target_spacing):
            raise ModelError(f"model card target_spacing {list(self.target_spacing)} is outside "
                             f"{MIN_SPACING_MM}-{MAX_SPACING_MM} mm", path=where)
        if not all(1 <= p <= MAX_PATCH_SIDE for p in self.patch_size) \
                or math.prod(self.patch_size) > MAX_PATCH_VOXELS:
            raise ModelError(f"model card patch_size {list(self.patch_size)} is too large (at most "
                             f"{MAX_PATCH_SIDE} per side and {MAX_PATCH_VOXELS} voxels)", path=where)
        low, high = (0.1, 1.0) if self.format == "nnunet" else (0.0, MAX_OVERLAP)
        overlap = self.overlap
        if not isinstance(overlap, (int, float)) or not math.isfinite(overlap) \
                or not low <= overlap <= high:
            meaning = "tile step" if self.format == "nnunet" else "overlap"
            raise ModelError(f"model card {meaning} {overlap!r} must be between {low} and {high}",
                             path=where)
        axes = self.mirror_axes
        if not isinstance(axes, list) or len(set(map(repr, axes))) != len(axes) \
                or not all(isinstance(a, int) and not isinstance(a, bool) and 0 <= a <= 2 for a in axes):
            raise ModelError(f"model card mirror_axes {axes!r} must list distinct axes among 0, 1, 2",
                             path=where)
        if self.architecture == "unet3d":
            for key, (low_h, high_h) in UNET3D_RANGES.items():
                value = self.hyperparameters.get(key)   # null too: None * 2 in the build
                if key in self.hyperparameters and (not isinstance(value, int) or isinstance(value, bool)
                                                    or not low_h <= value <= high_h):
                    raise ModelError(f"model card hyperparameter {key}={value!r} must be an integer "
                                     f"between {low_h} and {high_h}", path=where)

    def check_names(self, source: str = "") -> None:
        """Refuse a name or version that could not be one folder name (``../x``, ``a/b``...):
        ``name@version`` becomes the package's folder in the registry."""
        check_name(self.name, "model name", source or None, ModelError)
        check_name(self.version, "model version", source or None, ModelError)

    @property
    def n_channels(self) -> int:
        return len(self.input_channels)

    @property
    def n_classes(self) -> int:
        """Output channels: background plus one per label."""
        return 1 + len(self.labels)

    def to_json(self) -> str:
        data = asdict(self)
        data["target_spacing"] = list(self.target_spacing)
        data["patch_size"] = list(self.patch_size)
        data["labels"] = [{"value": lab.value, "name": lab.name, "color": list(lab.color)}
                          for lab in self.labels]
        return json.dumps(data, indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> "ModelCard":
        """Validate a parsed card; every problem is a :class:`ModelError` naming ``source``."""
        required = ("name", "version", "architecture", "input_channels", "target_spacing",
                    "patch_size", "labels")
        if not isinstance(data, dict):
            raise ModelError("model card is not a JSON object", path=source or None)
        missing = [key for key in required if data.get(key) is None]
        if missing:
            raise ModelError(f"model card lacks {', '.join(missing)}", path=source or None)
        labels = card_field(data, "labels", lambda items: [
            LabelInfo(int(item["value"]), str(item["name"]),
                      tuple(int(c) for c in item.get("color", (255, 0, 0)))) for item in items],
            'a list of labels, each {"value": 1, "name": "lesion", "color": [230, 25, 75]}', source)
        spacing = card_field(data, "target_spacing", lambda v: tuple(float(x) for x in v),
                             "3 numbers in mm", source)
        patch = card_field(data, "patch_size", lambda v: tuple(int(x) for x in v),
                           "3 whole numbers of voxels", source)
        channels = card_field(data, "input_channels", lambda v: [str(c) for c in v],
                              "a list of channel names", source)
        if not all(len(lab.color) == 3 and all(0 <= c <= 255 for c in lab.color) for lab in labels):
            raise ModelError("model card label colors must be 3 values 0-255", path=source or None)
        if len(spacing) != 3 or len(patch) != 3 or min(spacing) <= 0 or min(patch) <= 0:
            raise ModelError("model card needs 3 positive target_spacing and patch_size values",
                             path=source or None)
        if not channels:
            raise ModelError("model card names no input channels", path=source or None)
        if sorted(lab.value for lab in labels) != list(range(1, len(labels) + 1)):
            raise ModelError("model card labels must have values 1..N", path=source or None)
        for key in ("postprocessing", "postprocessing_thick"):   # 0 or "" too: an internal error later
            if data.get(key) is not None and not isinstance(data[key], dict):
                raise ModelError(f"model card's {key} is not a JSON object", path=source or None)
        for key, (kinds, what) in CARD_FIELD_TYPES.items():
            value = data.get(key)
            if key in data and value is not None and (not isinstance(value, kinds)
                                                      or isinstance(value, bool)):
                raise ModelError(f"model card's {key} must be {what}, not {type(value).__name__}",
                                 path=source or None)
        check_metrics(data.get("metrics") or {}, source)
        from .normalize import SCHEMES

        known = (*SCHEMES, "nninteractive")   # (nnInteractive normalises in its own session)
        scheme = (data.get("normalization") or {}).get("scheme", SCHEMES[0])
        if not isinstance(scheme, str) or scheme not in known:   # it was a line naming no file
            raise ModelError(f"model card's normalization scheme {str(scheme)[:40]!r} is none of "
                             f"{', '.join(known)}", path=source or None)
        known = set(cls.__dataclass_fields__)
        extra = {k: v for k, v in data.items() if k in known
                 and not (v is None and k in CARD_FIELD_TYPES and k != "parent")}
        extra.update(labels=labels, target_spacing=spacing, patch_size=patch, input_channels=channels,
                     hyperparameters=dict(data.get("hyperparameters") or {}),
                     preprocessing=validate_steps(data.get("preprocessing"), source),
                     domain=checked_domain(data.get("domain"), source))
        card = cls(**extra)
        card.check_names(source)
        card.check_ranges(source)
        return card

    @classmethod
    def from_json(cls, text: str, source: str = "") -> "ModelCard":
        try:
            data = parse_json(text)
        except ValueError as exc:   # JSONDecodeError, UnicodeDecodeError, nesting too deep
            raise ModelError(f"model card is not valid JSON ({exc})", path=source or None) from None
        return cls.from_dict(data, source)


@dataclass
class LoadedModel:
    """A card and a callable ``network(tensor) -> logits`` (torch module, script or ONNX runner)."""

    card: ModelCard
    network: Any
    path: str
    kind: str  # "safetensors", "torchscript", "onnx", "nnunet"
    window: str = "monai"
    """Sliding-window style: ``monai`` (MONAI's window placement and Gaussian, probabilities
    averaged) or ``nnunet`` (nnU-Net v2's placement and Gaussian, logits averaged), used for
    nnU-Net models so that neuroview gives what nnU-Net's own predictor gives."""


@dataclass
class SegmentationRequest:
    """One inference job. ``images`` holds one 3D array per input channel, all on one grid."""

    images: list[np.ndarray]
    ijk_to_ras: np.ndarray
    model: str = ""
    """Registry name, ``name@version`` or a path to a package/TorchScript/ONNX file; empty = default."""
    device: str = "auto"
    mirror: bool = False
    """Mirroring test-time augmentation (slower, slightly smoother)."""
    overlap: Optional[float] = None
    batch_size: int = 2
    task: str = "lesion"
    allow_domain_mismatch: bool = False
    """Run even on an image outside the card's domain (``ai.domain``): the person said so."""


@dataclass
class SegmentationResult:
    """The label map on the request's own grid (same shape and affine), with its provenance."""

    labels: np.ndarray
    ijk_to_ras: np.ndarray
    segments: list[LabelInfo]
    model: str
    """``name@version`` of the model that produced it."""
    device: str
    seconds: float = 0.0
    brain_mask: Optional[np.ndarray] = None
    """Brain mask (bool, same grid) when the card's preprocessing extracted the brain."""
    notes: list[str] = field(default_factory=list)
    """Things the user should know about this result (e.g. a preprocessing step skipped)."""
    outside_domain: str = ""
    """Why the card's domain refused this image, when the person ran it anyway (``ai.domain``):
    kept in the segments' provenance (``.segments.json``)."""

    @property
    def brain_ml(self) -> Optional[float]:
        """Volume of :attr:`brain_mask` in mL (``None`` without one)."""
        if self.brain_mask is None:
            return None
        from ..core.geometry import voxel_volume_ml

        return float(np.count_nonzero(self.brain_mask)) * voxel_volume_ml(self.ijk_to_ras)

    def segment_table(self):
        """A :class:`neuroview.core.labels.SegmentTable` tagged with this model as origin."""
        from ..core.labels import SegmentTable

        table = SegmentTable()
        for lab in self.segments:
            table.add(lab.name, color=lab.color, value=lab.value, origin="model", model=self.model,
                      outside_domain=self.outside_domain)
        return table


@runtime_checkable
class Segmenter(Protocol):
    """Anything that turns a request into a result, reporting progress and honouring cancel."""

    card: ModelCard

    def segment(self, request: SegmentationRequest, progress: Optional[ProgressFn] = None,
                cancel: Optional[CancelToken] = None) -> SegmentationResult: ...
