"""A model run on a dataset's held-out cases as Segment runs it (brain extraction, post-processing,
each case's own grid), and scored: Dice per label and the lesion-wise figures
(``train --dataset`` after every epoch, ``models compare/promote --dataset``).

:class:`PreparedCases` keeps each case read and prepared for the model (its files decompressed,
its brain extracted, normalised and resampled to the model's grid) across the epochs of a
fine-tune: every epoch read and prepared every case again, the same work each time."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..core.errors import DatasetError, ModelError, OutsideDomainError
from ..core.plural import plural
from .metrics import dice_per_label, lesion_metrics, mean_dice, summarize

PREPARED_BYTES = 2 << 30
"""Cases are kept prepared up to this many bytes in all (~100 MB for a 1 mm head: 20 of them);
the others are read and prepared at each epoch, as before."""


def load_case(case, channels: int):
    """A dataset case's images (one per channel) and label, checked to share one 3D grid."""
    from ..io.nifti import load_nifti

    images = [load_nifti(p) for p in case.images]
    label = load_nifti(case.label)
    for image in images:
        if image.shape != label.shape or image.array.ndim != 3:
            raise DatasetError(f"image shape {image.shape} differs from label shape {label.shape}",
                               path=image.source_path)
    return images, label


@dataclass
class Prediction:
    """One case's predicted labels, its reference labels and its grid."""

    labels: np.ndarray
    truth: np.ndarray
    ijk_to_ras: np.ndarray


@dataclass
class _Case:
    images: list
    ijk_to_ras: np.ndarray
    truth: np.ndarray
    stages: Optional[tuple]


def _preparation(card, device) -> str:
    """What the prepared input depends on besides the case: the card's preprocessing, channels,
    normalisation and grid (a fine-tune keeps its base's), and the device."""
    return json.dumps([card.preprocessing, card.n_channels, card.normalization,
                       [float(s) for s in card.target_spacing], str(device)], sort_keys=True, default=str)


def refusal(card, case, image: np.ndarray, ijk_to_ras: np.ndarray) -> str:
    """The card's refusal of a dataset case ("" when it may run), as ``segment`` refuses the
    image: another body part by its source's BodyPartExamined (``dataset add`` records it: the
    NIfTI of imagesTr names none), a CT for an MR model; the brain extraction's (no head found)
    comes after, in :func:`.infer.prepare_stages`."""
    from ..core.modality import is_ct
    from ..core.volume import Volume
    from .domain import out_of_domain

    said = {"BodyPartExamined": case.body_part} if getattr(case, "body_part", "") else {}
    modality = getattr(case, "modality", "")
    volume = Volume(image, ijk_to_ras, modality=modality, source_metadata=said)
    return out_of_domain(card, volume, is_ct(image, modality))


class PreparedCases:
    """Held-out cases kept read and prepared for models of one preparation (:func:`predict_cases`),
    and the refusals of those the card's domain refuses."""

    def __init__(self, budget: int = PREPARED_BYTES) -> None:
        self._cases: dict[tuple, _Case] = {}
        self._refusals: dict[tuple, str] = {}
        self._bytes, self._budget = 0, budget

    def get(self, case, card, device):
        """The case prepared for ``card``; an :class:`OutsideDomainError` when the card refuses
        it (remembered: its brain extraction is not run again at the next epoch)."""
        key = (case.name, _preparation(card, device), json.dumps(card.domain, sort_keys=True, default=str))
        if key in self._refusals:
            raise OutsideDomainError(self._refusals[key])
        if key in self._cases:
            return self._cases[key]
        from .infer import choose_device, prepare_stages

        images, label = load_case(case, card.n_channels)
        arrays = [np.asarray(image.array) for image in images]
        # a case the card refuses (a knee in a head set) is not scored: a head model's figures
        # over it said less of heads (lesion-wise sensitivity, false regions per case)
        try:
            refused = refusal(card, case, arrays[0], label.ijk_to_ras)
            if refused:
                raise OutsideDomainError(refused)
            stages = prepare_stages(card, arrays, label.ijk_to_ras, choose_device(device))
        except OutsideDomainError as exc:
            self._refusals[key] = exc.message
            raise OutsideDomainError(exc.message) from None
        kept = _Case(stages[0].images, label.ijk_to_ras, np.rint(np.asarray(label.array)).astype(np.uint8),
                     stages)
        size = _nbytes(kept)
        if self._bytes + size <= self._budget:
            self._cases[key] = kept
            self._bytes += size
        return kept

    def forget(self, names) -> None:
        """Read the cases of these names again next time (their files changed)."""
        for key in [key for key in self._cases if key[0] in set(names)]:
            self._bytes -= _nbytes(self._cases.pop(key))
        for key in [key for key in self._refusals if key[0] in set(names)]:
            del self._refusals[key]


def _nbytes(case: _Case) -> int:
    prepared, tensor = case.stages[0], case.stages[1]
    arrays = list(prepared.images) + [prepared.brain, prepared.allowed, case.truth]
    return sum(a.nbytes for a in arrays if a is not None) + tensor.numel() * tensor.element_size()


def predict_cases(model, cases, device: str = "cpu", progress=None,
                  prepared: Optional[PreparedCases] = None,
                  refused: Optional[dict] = None) -> list[Prediction]:
    """``model`` (a LoadedModel) run on each case its card does not refuse; ``progress(done,
    total)`` before each case; ``prepared``: cases kept prepared between calls (else each is read
    and prepared now); ``refused`` (a dict) receives each refused case's name and refusal, listed
    apart, not scored. A :class:`ModelError` when the card refuses every case: nothing measured."""
    from .api import SegmentationRequest
    from .infer import run_model

    prepared = prepared if prepared is not None else PreparedCases(budget=0)
    predictions, refusals = [], {}
    for number, case in enumerate(cases):
        if progress is not None:
            progress(number, len(cases))
        try:
            kept = prepared.get(case, model.card, device)
        except OutsideDomainError as exc:
            refusals[case.name] = exc.message
            continue
        request = SegmentationRequest(list(kept.images), kept.ijk_to_ras, device=device)
        labels = run_model(model, request, stages=kept.stages).labels
        predictions.append(Prediction(labels, kept.truth, kept.ijk_to_ras))
    if refused is not None:
        refused.update(refusals)
    if cases and not predictions:
        first = next(iter(refusals.values()))
        raise ModelError(f"the card of {model.card.ref} refuses all {plural(len(cases), 'held-out case')}"
                         f" ({first}): nothing measured",
                         hint="measure a model made for these images, or train one from scratch (no --base)")
    return predictions


def score_predictions(predictions: list[Prediction], n_labels: int,
                      lesionwise: bool = True) -> tuple[list[Optional[float]], Optional[dict]]:
    """``(mean Dice per label, lesion-wise summary)``: each label's Dice over the cases whose truth
    holds it (None where none does: :func:`~.metrics.mean_dice`); the lesion-wise figures
    (:mod:`neuroview.ai.metrics`) treat every label as lesion (None without ``lesionwise``)."""
    scores = [dice_per_label(p.labels, p.truth, n_labels) for p in predictions]
    summary = summarize([lesion_metrics(p.labels > 0, p.truth > 0, p.ijk_to_ras) for p in predictions]) \
        if lesionwise else None
    return mean_dice(scores, n_labels)[0], summary


def dice_cases(predictions: list[Prediction], n_labels: int) -> list[int]:
    """How many of the cases each label's mean Dice is over: those whose truth holds it."""
    return [sum(bool(np.any(p.truth == label)) for p in predictions) for label in range(1, n_labels + 1)]


def weights_digest(network) -> str:
    """A digest of the network's weights by value (whatever their memory layout)."""
    digest = hashlib.blake2b(digest_size=20)
    for name, value in network.state_dict().items():
        digest.update(name.encode())
        digest.update(value.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()
