"""The AI contract the application sees: model cards, segmentation requests and results.

Typed dataclasses instead of free-form dicts (MONAI Label's lesson). This module never imports
torch, so ``app`` and ``ui`` may import it while the window starts; the work itself happens in
:mod:`neuroview.ai.infer`, imported when a model actually runs.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Protocol, runtime_checkable

import numpy as np

from ..core.errors import ModelError
from ..core.jobs import CancelToken, ProgressFn
from .preprocess import validate_steps

CARD_FILE = "model.json"
WEIGHTS_FILE = "weights.safetensors"
CARD_SCHEMA = 1
DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass
class LabelInfo:
    value: int
    name: str
    color: tuple[int, int, int]


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
    format: str = "safetensors"
    """``safetensors`` (weights + an architecture known to neuroview), ``torchscript``, ``onnx``."""
    weights_file: str = WEIGHTS_FILE
    description: str = ""
    training: dict[str, Any] = field(default_factory=dict)
    """What it was trained on: data description, recipe command, dataset hash, seed, duration."""
    metrics: dict[str, Any] = field(default_factory=dict)
    """Measured metrics, e.g. ``{"held_out_dice": {"lesion": 0.81}, "held_out_cases": 12}``."""
    postprocessing: dict[str, Any] = field(default_factory=dict)
    """E.g. ``{"min_component_probability": 0.98}``: a connected region of a label is kept only
    where the model's probability for that label reaches this value somewhere in the region."""
    preprocessing: list[dict[str, Any]] = field(default_factory=list)
    """Steps run before the model, in order, e.g. ``[{"step": "brain_extraction", "margin_mm": 3}]``
    (see :mod:`neuroview.ai.preprocess`); the output is limited to what they allow."""
    parent: Optional[str] = None
    """``name@version`` of the model this one was fine-tuned from, if any."""
    created: str = ""
    license: str = ""
    schema: int = CARD_SCHEMA

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

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
        missing = [key for key in required if key not in data]
        if missing:
            raise ModelError(f"model card lacks {', '.join(missing)}", path=source or None)
        try:
            labels = [LabelInfo(int(item["value"]), str(item["name"]),
                                tuple(int(c) for c in item.get("color", (255, 0, 0))))
                      for item in data["labels"]]
            spacing = tuple(float(v) for v in data["target_spacing"])
            patch = tuple(int(v) for v in data["patch_size"])
            channels = [str(c) for c in data["input_channels"]]
        except (TypeError, ValueError, KeyError) as exc:
            raise ModelError(f"model card has a malformed field ({exc})", path=source or None) from None
        if len(spacing) != 3 or len(patch) != 3 or min(spacing) <= 0 or min(patch) <= 0:
            raise ModelError("model card needs 3 positive target_spacing and patch_size values",
                             path=source or None)
        if not channels:
            raise ModelError("model card names no input channels", path=source or None)
        if sorted(lab.value for lab in labels) != list(range(1, len(labels) + 1)):
            raise ModelError("model card labels must have values 1..N", path=source or None)
        known = set(cls.__dataclass_fields__)
        extra = {k: v for k, v in data.items() if k in known}
        extra.update(labels=labels, target_spacing=spacing, patch_size=patch, input_channels=channels,
                     hyperparameters=dict(data.get("hyperparameters") or {}),
                     preprocessing=validate_steps(data.get("preprocessing"), source))
        return cls(**extra)

    @classmethod
    def from_json(cls, text: str, source: str = "") -> "ModelCard":
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelError(f"model card is not valid JSON ({exc})", path=source or None) from None
        return cls.from_dict(data, source)


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

    @property
    def brain_ml(self) -> Optional[float]:
        """Volume of :attr:`brain_mask` in mL (``None`` without one)."""
        if self.brain_mask is None:
            return None
        from ..core.geometry import spacing_from_affine

        voxel_ml = float(np.prod(spacing_from_affine(self.ijk_to_ras))) / 1000.0
        return float(np.count_nonzero(self.brain_mask)) * voxel_ml

    def segment_table(self):
        """A :class:`neuroview.core.labels.SegmentTable` tagged with this model as origin."""
        from ..core.labels import SegmentTable

        table = SegmentTable()
        for lab in self.segments:
            table.add(lab.name, color=lab.color, value=lab.value, origin="model", model=self.model)
        return table


@runtime_checkable
class Segmenter(Protocol):
    """Anything that turns a request into a result, reporting progress and honouring cancel."""

    card: ModelCard

    def segment(self, request: SegmentationRequest, progress: Optional[ProgressFn] = None,
                cancel: Optional[CancelToken] = None) -> SegmentationResult: ...
