"""Measuring a network on cases it does not train on: the validation after every epoch of
:func:`train.fit` and the bundled recipe's held-out figures for its card
(:func:`held_out_metrics`), with the predictions both make (a sliding window over a normalised
image, post-processed by a card's rules)."""

from __future__ import annotations

from typing import Optional

import numpy as np
import torch

from .metrics import dice_per_label, lesion_metrics, mean_dice, measured_mean, pooled_f1, rounded, summarize
from .postprocess import postprocess
from .sliding_window import sliding_window
from .train_config import TrainConfig


def predict_probabilities(network, image: np.ndarray, patch: int, n_classes: int, device="cpu",
                          overlap: float = 0.25, mirror_axes: tuple = ()) -> np.ndarray:
    """Class probabilities ``(K, X, Y, Z)`` of a normalised ``(C, X, Y, Z)`` image on its grid,
    averaged over the flips along ``mirror_axes`` (:func:`sliding_window.sliding_window`)."""
    tensor = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32))
    # two windows a batch: a CPU runs a batch of one as two anyway (networks.run_network)
    return sliding_window(network, tensor, (patch,) * 3, n_classes, overlap=overlap, batch_size=2,
                          device=device, pad_value=float(tensor.min()), mirror_axes=mirror_axes).numpy()


def labels_from_probabilities(probs: np.ndarray, rules: Optional[dict] = None, image=None,
                              voxel_mm3: float = 1.0) -> np.ndarray:
    """Argmax labels of class probabilities ``(K, X, Y, Z)``, with a card's post-processing
    ``rules`` (:func:`postprocess.postprocess`; the contrast rule reads the normalised ``image``)."""
    labels = probs.argmax(0).astype(np.uint8)
    if not rules:
        return labels
    foreground_labels = (probs[1:].argmax(0) + 1).astype(np.uint8)
    return postprocess(labels, probs.max(0), 1.0 - probs[0], foreground_labels, image, rules, voxel_mm3)


def predict_labels(network, image: np.ndarray, patch: int, n_classes: int, device="cpu",
                   overlap: float = 0.25, rules: Optional[dict] = None, voxel_mm3: float = 1.0,
                   mirror_axes: tuple = ()) -> np.ndarray:
    """Labels of a normalised ``(C, X, Y, Z)`` image on its own grid, post-processed by ``rules``
    (``mirror_axes``: :func:`predict_probabilities`)."""
    probs = predict_probabilities(network, image, patch, n_classes, device, overlap, mirror_axes)
    return labels_from_probabilities(probs, rules, image[0], voxel_mm3)


def _reported(labels: np.ndarray, case: tuple) -> np.ndarray:
    """``labels`` limited to where the case allows findings (its third item, when it has one:
    the brain grown by the card's report margin, as inference limits them)."""
    return np.where(case[2], labels, 0).astype(labels.dtype) if len(case) > 2 else labels


def validate(network, validation: list[tuple], config: TrainConfig, n_labels: int, device,
             lesionwise: bool = False, rules: Optional[dict] = None) -> dict:
    """One validation pass, post-processed by ``rules`` if given: ``val_dice`` (mean per label over
    the cases that hold it; None for a label none holds) and, with ``lesionwise``, the lesions
    found, the false regions per case (also when no case holds a label) and the pooled
    lesion-wise F1, with ``line``, what the epoch's log line adds."""
    predicted = [_reported(predict_labels(network, case[0], config.patch, n_labels + 1, device,
                                          rules=rules, voxel_mm3=config.spacing ** 3), case)
                 for case in validation]
    scores = [dice_per_label(labels, case[1], n_labels) for labels, case in zip(predicted, validation)]
    # a label no case holds is not measured (None), never 1.0 (metrics.dice_per_label)
    figures = {"val_dice": mean_dice(scores, n_labels)[0] if scores else [0.0] * n_labels, "line": ""}
    if lesionwise or measured_mean(figures["val_dice"]) is None:
        # without a lesion to measure Dice on, the false regions choose the epoch (base_rule)
        cases = [lesion_metrics(labels > 0, case[1] > 0, (config.spacing,) * 3)
                 for labels, case in zip(predicted, validation)]
        figures["val_false_per_case"] = round(float(np.mean([c["false_positives"] for c in cases])), 2)
    if lesionwise:
        figures.update(val_found=[sum(c["found"] for c in cases), sum(c["lesions"] for c in cases)],
                       val_f1=None if pooled_f1(cases) is None else round(pooled_f1(cases), 4))
        f1 = "-" if figures["val_f1"] is None else f"{figures['val_f1']:.3f}"
        figures["line"] = (f"  lesion-wise found {figures['val_found'][0]}/{figures['val_found'][1]}, "
                           f"{figures['val_false_per_case']:.1f} false/case, F1 {f1}")
    return figures


def synthetic_cases(anatomy, seeds, spacing: float, deform: bool = True) -> list[tuple]:
    """Held-out synthetic cases as ``(normalised (1, X, Y, Z) image, labels)``."""
    from . import synth
    from .normalize import apply_stats

    cases = []
    for seed in seeds:
        case = synth.make_case(anatomy, int(seed), spacing, deform=deform)
        cases.append((apply_stats(case.image, case.stats)[None], case.label))
    return cases


def head_cases(seeds, spacing: float) -> list[tuple]:
    """Whole heads (T1, T2, FLAIR in turn) masked as inference masks them:
    ``(image, labels, where findings may be reported)``."""
    from .contrast import masked_head_cases

    return [(image, label, report) for image, label, _, report in
            masked_head_cases(seeds, int(round(spacing)))]


def held_out_metrics(network, config: TrainConfig, rules: dict) -> dict:
    """The card's held-out figures with post-processing ``rules``: whole heads from seeds
    20000.. (lesions training never saw) and another real brain (seeds 30000..)."""
    from . import synth

    def measure(*case) -> dict:
        labels = predict_labels(network, case[0], config.patch, 2, config.device, rules=rules,
                                voxel_mm3=config.spacing ** 3, mirror_axes=config.mirror_axes)
        return lesion_metrics(_reported(labels, case) > 0, case[1] > 0, (config.spacing,) * 3)

    test = head_cases(range(20_000, 20_000 + config.test_cases), config.spacing)
    test_cases = [measure(*case) for case in test]
    by_contrast = {name: summarize(test_cases[index::3]) for index, name in enumerate(("t1", "t2", "flair"))}
    test_dice = [c["dice"] for c in test_cases]   # None: a head without a lesion
    other = synth.load_nibabel_anatomy()
    other_cases = synthetic_cases(other, range(30_000, 30_000 + config.other_cases), config.spacing,
                                  deform=False)
    other_measured = [measure(*case) for case in other_cases]
    other_dice = [c["dice"] for c in other_measured]
    return {
        "held_out_dice": {"lesion": rounded(measured_mean(test_dice))},
        "held_out_cases": len(test_dice),
        "held_out_description": f"whole heads from seeds 20000-{20_000 + config.test_cases - 1} "
                                "(neuroview.ai.heads.lesion_head, T1, T2, FLAIR-like in turn, "
                                f"{config.spacing:g} mm), masked by their true brain dilated "
                                "3 mm: lesions never used in training, on the same template brain",
        "held_out_dice_per_case": [rounded(d) for d in test_dice],
        "other_brain_dice": {"lesion": rounded(measured_mean(other_dice))},
        "other_brain_description": "nibabel's anatomical.nii (a different real brain, 2 mm, "
                                   f"not used for training) with {config.other_cases} sets of synthetic "
                                   "lesions",
        "other_brain_dice_per_case": [rounded(d) for d in other_dice],
        "held_out_lesionwise": summarize(test_cases),
        "held_out_lesionwise_by_contrast": by_contrast,
        "other_brain_lesionwise": summarize(other_measured),
    }

