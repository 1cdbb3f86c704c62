"""Active learning: order unlabelled cases by how unsure the model is about them.

The model is reached through one small interface, :data:`ProbabilityFn`: given a volume and a list
of flips (tuples of array axes; ``()`` is the image as is), it returns, per flip, the per-voxel
foreground probability predicted on the flipped image and flipped back onto the volume's grid.
Test-time flips are cheap enough for a CPU (one forward pass each); dropout samples fit the same
interface (one "flip" entry per sample). :func:`flip_tta` builds a ProbabilityFn from a plain
``predict(array) -> probabilities`` function.

Per case we compute, from the mean probability p over the flips, the predictive entropy
H(p) in bits averaged over the volume (the ranking score), and the mutual information
H(p) - mean_t H(p_t) (disagreement between flips, BALD's epistemic part), accumulated one flip at
a time so memory stays at two float32 volumes (plus what the ProbabilityFn holds: neuroview's own
models, through :func:`neuroview.ai.flip_probabilities` with ``lazy=True``, yield one flip at a
time).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

import numpy as np

from ..core.atomic import atomic_path
from ..core.csv_text import spreadsheet_text
from ..core.errors import DatasetError, ModelError, NeuroviewError, OutsideDomainError
from ..core.geometry import same_grid
from ..core.jobs import CancelToken, ProgressFn, check, report
from ..core.volume import Volume
from .identity import image_identity

Flip = tuple[int, ...]
ProbabilityFn = Callable[[Volume, Sequence[Flip]], Iterable[np.ndarray]]
"""``fn(volume, flips)``: one ``volume.shape`` array of foreground probabilities in [0, 1] per flip,
as an array ``(len(flips), *volume.shape)`` or any iterable (a lazy one keeps memory low)."""
DEFAULT_FLIPS: tuple[Flip, ...] = ((), (0,), (1,), (2,))
UNCERTAIN_BITS = 0.5
"""A voxel whose predictive entropy exceeds this many bits counts as uncertain."""


def flip_tta(predict: Callable[[np.ndarray], np.ndarray]) -> ProbabilityFn:
    """A ProbabilityFn from ``predict(array_3d) -> foreground probabilities`` (same shape)."""
    def probabilities(volume: Volume, flips: Sequence[Flip]) -> np.ndarray:
        image = np.asarray(volume.frame_as_shown(0))   # a MONOCHROME1 MR turned over
        out = np.empty((len(flips),) + volume.shape, dtype=np.float32)
        for index, axes in enumerate(flips):
            flipped = np.flip(image, axis=axes) if axes else image
            predicted = np.asarray(predict(np.ascontiguousarray(flipped)), dtype=np.float32)
            out[index] = np.flip(predicted, axis=axes) if axes else predicted
        return out
    return probabilities


def binary_entropy_bits(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(p * np.log2(p) + (1 - p) * np.log2(1 - p))


@dataclass
class CaseUncertainty:
    case_id: str
    path: str
    score: float
    """Mean predictive entropy in bits (0 = certain everywhere, 1 = a coin toss everywhere)."""
    mutual_information: float
    uncertain_voxels: int
    foreground_voxels: int


def case_uncertainty(volume: Volume, probability_fn: ProbabilityFn,
                     flips: Sequence[Flip] = DEFAULT_FLIPS, case_id: str = "",
                     path: str = "") -> CaseUncertainty:
    if not flips:
        raise DatasetError("give at least one flip (() is the image as is)")
    mean_p = np.zeros(volume.shape, dtype=np.float32)
    mean_h = np.zeros(volume.shape, dtype=np.float32)
    count = 0
    for p in probability_fn(volume, list(flips)):  # one flip at a time when the fn yields lazily
        p = np.asarray(p, dtype=np.float32)
        if p.shape != volume.shape:
            raise ModelError(f"the model returned probabilities of shape {p.shape} per flip, "
                             f"expected {volume.shape}", path=path or None)
        if not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 1:
            raise ModelError("the model returned values outside [0, 1]", path=path or None)
        mean_p += p / len(flips)
        mean_h += binary_entropy_bits(p) / len(flips)
        count += 1
    if count != len(flips):
        raise ModelError(f"the model returned {count} probability maps for {len(flips)} flips",
                         path=path or None)
    predictive = binary_entropy_bits(mean_p)
    return CaseUncertainty(
        case_id=case_id, path=path, score=float(predictive.mean()),
        mutual_information=float(np.maximum(predictive - mean_h, 0).mean()),
        uncertain_voxels=int(np.count_nonzero(predictive > UNCERTAIN_BITS)),
        foreground_voxels=int(np.count_nonzero(mean_p > 0.5)),
    )


@dataclass
class AlreadyInDataset:
    """A case of the list whose image the training set already holds: not scored, not offered."""
    case_id: str
    path: str
    dataset_case: str
    """The training case holding it (``nv_0007``)."""


@dataclass
class SameImageTwice:
    """A case of the list holding the same image (voxels and grid) as an earlier one: not scored
    and not offered, so two annotators are not sent to label one image."""
    case_id: str
    path: str
    same_as: str
    """The earlier case of the list, which is ranked."""


@dataclass
class RefusedCase:
    """A case the model's card refuses (another body part or modality, no head found): not scored.
    ``reason`` is the refusal (``ai.domain``'s line), ``hint`` the way on (a command's flag)."""
    case_id: str
    path: str
    reason: str
    hint: str = ""


@dataclass
class Ranking:
    ranked: list[CaseUncertainty]
    """Most uncertain first."""
    already: list[AlreadyInDataset]
    """In list order."""
    twice: list[SameImageTwice] = field(default_factory=list)
    """In list order."""
    unreadable: list[str] = field(default_factory=list)
    """One line per case whose image could not be read (the reader's error, naming the file): left
    out, so one damaged file does not stop the ranking of all the others."""
    refused: list[RefusedCase] = field(default_factory=list)
    """In list order: the cases the model's domain refused, by their header before the model ran
    or by its brain extraction (until session 52 among :attr:`unreadable`, one line each, and
    the Rank dialog found them by parsing that line's wording)."""


def _earlier_copy(volume: Volume, case_id: str, seen: list[tuple[str, tuple, np.ndarray, str]]
                  ) -> Optional[str]:
    """The case in ``seen`` (identity, shape, grid, case id) holding ``volume``'s image, else
    ``None``, and ``case_id`` is added to ``seen``. The identity is the store's (identity.py)."""
    image_id, shape = image_identity([volume.array]), volume.array.shape
    for seen_id, seen_shape, seen_grid, seen_case in seen:
        if seen_id == image_id and same_grid(shape, volume.ijk_to_ras, seen_shape, seen_grid):
            return seen_case
    seen.append((image_id, shape, volume.ijk_to_ras, case_id))
    return None


def rank_cases(cases: Iterable[tuple[str, str | os.PathLike]], probability_fn: ProbabilityFn,
               load: Callable[[str], Volume], flips: Sequence[Flip] = DEFAULT_FLIPS,
               progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
               dataset_case: Optional[Callable[[Volume], Optional[str]]] = None) -> Ranking:
    """Score every ``(case_id, path)``, most uncertain first. ``dataset_case(volume)`` names the
    training case already holding an image (``store.find_image``: same voxels and grid under any
    file name or type); such a case is not scored but listed in :attr:`Ranking.already`, so an
    annotator is not sent to label it again. A case holding the same image as an earlier case of
    the list is listed in :attr:`Ranking.twice` instead of being scored, and one whose image
    cannot be read in :attr:`Ranking.unreadable`; one the model's domain refuses (``load`` or
    ``probability_fn`` raising :class:`OutsideDomainError`) in :attr:`Ranking.refused`."""
    cases = list(cases)
    results, already, twice, seen, unreadable, refused = [], [], [], [], [], []
    for number, (case_id, path) in enumerate(cases):
        check(cancel)
        report(progress, number, len(cases), f"scoring {case_id}")
        try:
            volume = load(os.fspath(path))
        except OutsideDomainError as exc:   # its header names another body part or modality
            refused.append(RefusedCase(case_id, os.fspath(path), exc.message, exc.hint or ""))
            continue
        except NeuroviewError as exc:
            unreadable.append(str(exc))
            continue
        held = dataset_case(volume) if dataset_case is not None else None
        if held:
            already.append(AlreadyInDataset(case_id, os.fspath(path), held))
            continue
        same_as = _earlier_copy(volume, case_id, seen)
        if same_as is not None:
            twice.append(SameImageTwice(case_id, os.fspath(path), same_as))
            continue
        try:
            results.append(case_uncertainty(volume, probability_fn, flips, case_id, os.fspath(path)))
        except OutsideDomainError as exc:   # its brain extraction found no head: that case alone
            refused.append(RefusedCase(case_id, os.fspath(path), exc.message, exc.hint or ""))
    report(progress, len(cases), len(cases), "done")
    return Ranking(sorted(results, key=lambda r: (-r.score, -r.mutual_information, r.case_id)),
                   already, twice, unreadable, refused)


def write_ranking_csv(path: str | os.PathLike, ranked: Sequence[CaseUncertainty],
                      worklist: str | os.PathLike = "") -> Path:
    """A CSV (``id,path,status,score,...``) that opens directly as a worklist, best first.

    ``worklist``: the worklist (folder or CSV) the cases were ranked from, named in each row: the
    ranking opened as a worklist keeps that worklist's state (statuses, who has which case open),
    so annotators working from their own rankings of one folder see each other's cases. Paths of
    cases in the CSV's folder or below are written relative to it (as worklist CSVs are read), so
    the file names none of the folders above it and can be moved with the cases; others whole."""
    path = Path(path)
    shared = _relative(worklist, path.parent) if worklist else ""
    with atomic_path(path) as tmp:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "path", "status", "score", "mutual_information",
                             "uncertain_voxels", "foreground_voxels", "worklist"])
            for r in ranked:
                case_path = _relative(r.path, path.parent)
                writer.writerow([spreadsheet_text(r.case_id), spreadsheet_text(case_path), "new",
                                 f"{r.score:.6f}", f"{r.mutual_information:.6f}", r.uncertain_voxels,
                                 r.foreground_voxels, spreadsheet_text(shared)])
    return path


def _relative(target: str | os.PathLike, start: Path) -> str:
    """``target`` relative to ``start`` with ``/`` separators where it lies in ``start``'s folder
    or below; whole (absolute) where the relative path would climb out (``../..``: the CSV saved
    far from its cases, as the Rank dialog saves it in neuroview's data folder, named other files
    or none once copied elsewhere) or across drives. Worklist readers take both."""
    whole = os.path.abspath(target)
    try:
        relative = os.path.relpath(whole, os.path.abspath(start))
    except ValueError:   # another drive (Windows): no relative path leads there
        return whole
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return whole
    return Path(relative).as_posix()
