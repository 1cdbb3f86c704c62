"""nnInteractive as a promptable backend (optional extra: ``pip install neuroview[nninteractive]``).

A weights folder is what nnInteractive's own ``nnInteractiveInferenceSession.
initialize_from_trained_model_folder`` loads: ``plans.json``, ``dataset.json``,
``inference_session_class.json`` (or the newer ``inference_info.json``), an optional ``LICENSE``
and ``fold_N/checkpoint_final.pth`` (its fold, LICENSE and card: ``nninteractive_folder``).
neuroview loads it without running code from the folder:

- the checkpoint goes through ``torch.load(weights_only=True)`` (:func:`..nnunet_files.load_checkpoint`),
  so a pickled class instance or ``__reduce__`` payload is refused before anything is built;
- the network is built from the plans by :func:`..nnunet_network.build_network`, which only accepts
  classes of ``dynamic_network_architectures`` and ``torch.nn`` (nnInteractive's own loader looks
  the checkpoint's ``trainer_name`` up among Python classes and unpickles with
  ``weights_only=False``);
- the JSON metadata (point radius, interaction decay, channel mapping) is read by nnInteractive's
  own reader, which only parses JSON.

Everything else is nnInteractive's own code: the loaded pieces are handed to its
``nnInteractiveInferenceSession`` (``initialize_from_loaded_artifacts``), which encodes the prompts
(points as distance-transform balls, 2D boxes, scribble and lasso masks, the previous mask), picks
the patch around the newest prompt, zooms out when the object reaches the patch's border and
refines. :class:`NnInteractiveSegmenter` only translates neuroview's RAS prompts into that
session's voxel coordinates and masks, so it behaves like nnInteractive in 3D Slicer or napari;
the AI click tool adds one rule it applies to every backend: the answer is 0 under exclude clicks
and scribbles (``run(..., keep_out=True)``).
"""

from __future__ import annotations

import logging
import sys
import time
import warnings
from pathlib import Path
from typing import Optional

import numpy as np

from ...core.errors import ModelError, ToolError
from ...core.geometry import ball_reach
from ...core.jobs import cancel_scope, check
from ...core.named_paths import paths_named
from ..api import ModelCard
from ..folders import NNINTERACTIVE_INFO_FILES, is_nninteractive_folder
from .local import held_out
from .nninteractive_folder import DATASET_FILE, PLANS_FILE, fold_checkpoint, license_line, make_card
from .prompts import PromptSet
from .roi import RoiGrid, draw_polygon, near_plane

PRINTING_MODULES = ("nnInteractive.inference.inference_session", "nnInteractive.interaction.point",
                    "nnInteractive.utils.bboxes", "nnInteractive.utils.crop")
"""nnInteractive's modules that ``print`` at every step (what it runs, timings, its licence text)."""
_log = logging.getLogger("nnInteractive")


def _import_session(folder=None):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from nnInteractive.inference.inference_session import nnInteractiveInferenceSession
    except ImportError:
        raise ModelError("nnInteractive weights folders need the optional nninteractive package",
                         path=folder, hint="pip install 'neuroview[nninteractive]'") from None
    for name in PRINTING_MODULES:
        module = sys.modules.get(name)
        if module is not None:
            module.print = _print_to_log  # a module global shadows the builtin in that module only
    return nnInteractiveInferenceSession


def _print_to_log(*values, sep=" ", end="\n", file=None, flush=False) -> None:
    """nnInteractive's ``print``: its lines go to the ``nnInteractive`` logger at DEBUG instead of
    the terminal. Only nnInteractive's own modules call it: ``sys.stdout`` is never swapped, so
    another thread printing meanwhile keeps its output (``contextlib.redirect_stdout`` replaced it
    for the whole process while a prompt ran)."""
    if _log.isEnabledFor(logging.DEBUG):
        _log.debug("%s", paths_named((sep or " ").join(str(value) for value in values)))


class NnInteractiveModel:
    """A loaded nnInteractive weights folder: its card, network and what the session needs."""

    def __init__(self, folder, card: Optional[ModelCard] = None, device: str = "cpu") -> None:
        folder = Path(folder)
        if not is_nninteractive_folder(folder):
            raise ModelError("not an nnInteractive weights folder (plans.json, dataset.json and "
                             f"{' or '.join(NNINTERACTIVE_INFO_FILES)} are needed)", path=folder)
        session_class = _import_session(folder)  # first: a clear message when the extra is missing
        import torch
        from nnunetv2.utilities.label_handling.label_handling import determine_num_input_channels
        from nnunetv2.utilities.plans_handling.plans_handler import PlansManager

        from ..networks import stop_between_layers
        from ..nnunet_files import check_labels, load_checkpoint, read_json_file
        from ..nnunet_network import build_network, check_shapes, load_weights

        self.folder, self.device = folder, torch.device(device)
        fold, path = fold_checkpoint(folder, card)
        checkpoint = load_checkpoint(path)  # weights_only: code payloads are refused here
        init_args = checkpoint.get("init_args") or {}
        configuration_name = init_args.get("configuration") if isinstance(init_args, dict) else None
        if not isinstance(configuration_name, str):
            raise ModelError("the checkpoint does not name its nnU-Net configuration "
                             "(init_args.configuration)", path=path)
        plans, dataset = read_json_file(folder / PLANS_FILE), read_json_file(folder / DATASET_FILE)
        check_labels(dataset, folder / DATASET_FILE)
        # the JSON metadata, read by nnInteractive's own reader (JSON only, no code)
        probe = session_class.__new__(session_class)
        try:
            (capability, radius, thickness, decay, pad_mode) = \
                probe._load_capability_and_runtime_defaults(str(folder))
            probe.num_interaction_channels = None
            probe._apply_capability(capability)
        except (ValueError, RuntimeError, TypeError, KeyError, OSError) as exc:
            raise ModelError(f"unusable nnInteractive metadata ({exc})", path=folder) from None
        self.num_interaction_channels = int(probe.num_interaction_channels)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                plans_manager = PlansManager(plans)
                configuration = plans_manager.get_configuration(configuration_name)
                label_manager = plans_manager.get_label_manager(dataset)
                n_image = determine_num_input_channels(plans_manager, configuration, dataset)
            except (KeyError, TypeError, ValueError, AssertionError, RuntimeError) as exc:
                raise ModelError(f"plans.json has no usable configuration {configuration_name!r} "
                                 f"({exc!r})", path=folder / PLANS_FILE) from None
        if len(configuration.patch_size) != 3:
            raise ModelError(f"configuration {configuration_name} is not 3D", path=folder / PLANS_FILE)
        # nnInteractive's networks always have two outputs (background, object)
        n_input = n_image + self.num_interaction_channels
        check_shapes(configuration, n_input, 2, folder, checkpoint, path)  # before allocating it
        network = build_network(configuration, n_input, 2, folder)
        load_weights(network, checkpoint, path)
        self.network = network.to(self.device).eval()
        stop_between_layers(self.network)   # Esc stops an answer within a layer
        from nnInteractive.interaction.point import PointInteraction_stub

        license_text = license_line(folder) or "!!MISSING!!"
        self.artifacts = {
            "capability_content": capability, "point_interaction": PointInteraction_stub(radius, True),
            "preferred_scribble_thickness": thickness, "interaction_decay": decay,
            "pad_mode_data": pad_mode, "network": self.network, "plans_manager": plans_manager,
            "configuration_manager": configuration, "dataset_json": dataset,
            "trainer_name": str(checkpoint.get("trainer_name", "nnInteractiveTrainer_stub")),
            "label_manager": label_manager, "license": license_text,
        }
        made = make_card(folder, plans, configuration, configuration_name, fold, path.name,
                          checkpoint, self.artifacts["trainer_name"])
        self.card = card if card is not None else made
        self.name = self.card.ref
        self._segmenter: Optional[NnInteractiveSegmenter] = None

    def new_session(self):
        """A fresh ``nnInteractiveInferenceSession`` running this model's network."""
        import torch

        session_class = _import_session()
        session = session_class(device=self.device, use_torch_compile=False, verbose=False,
                                torch_n_threads=torch.get_num_threads(), do_autozoom=True,
                                interactions_storage="auto", enable_undo=False)
        session.initialize_from_loaded_artifacts(self.artifacts)
        return session

    def segmenter_for(self, array: np.ndarray, ijk_to_ras) -> "NnInteractiveSegmenter":
        """The segmenter of the volume ``array`` (reused while it is the same array: the image is
        normalised and the interaction channels allocated once per volume, as in nnInteractive)."""
        current = self._segmenter
        if current is None or current.array is not array or \
                not np.array_equal(current.affine, np.asarray(ijk_to_ras, float)):
            current = NnInteractiveSegmenter(self, array, ijk_to_ras)
            self._segmenter = current
        return current


def load_nninteractive(folder, card: Optional[ModelCard] = None, device: str = "cpu") -> NnInteractiveModel:
    return NnInteractiveModel(folder, card, device)


# -- prompts -> nnInteractive's session --------------------------------------------------------
class NnInteractiveSegmenter:
    """One volume in an nnInteractive session; ``run(prompts, previous)`` like
    :class:`.engine.InteractiveSegmenter`, answering 0/1 (nnInteractive's argmax) on the box of
    voxels the session wrote.

    Prompts accumulate in the session as in nnInteractive's own plug-ins: when ``prompts`` extends
    the ones already given and ``previous`` is the session's current answer, or the mask it
    started from (an answer dropped as stale was never applied), only the new prompts are added
    (one prediction each) and the answer covers every voxel written since that start; otherwise
    the session restarts from ``previous`` (nnInteractive's initial segmentation) and every
    prompt is given again in order (a forward pass each).
    """

    def __init__(self, model: NnInteractiveModel, array: np.ndarray, ijk_to_ras) -> None:
        self.model, self.array = model, array
        self.affine = np.asarray(ijk_to_ras, float)
        self.ras_to_ijk = np.linalg.inv(self.affine)
        self.shape = tuple(int(s) for s in array.shape[:3])
        self.session = model.new_session()
        self.target = np.zeros(self.shape, np.uint8)
        self.session.set_image(np.asarray(array)[None])
        self.session.set_target_buffer(self.target)
        self.applied: list = []
        self.base: Optional[np.ndarray] = None  # the mask the session started from (None: empty)
        self.written: list = []  # boxes written since that start

    # coordinates
    def to_ijk(self, p_ras) -> np.ndarray:
        p = np.asarray(p_ras, float).reshape(-1, 3)
        return p @ self.ras_to_ijk[:3, :3].T + self.ras_to_ijk[:3, 3]

    def _direction_ijk(self, d_ras) -> np.ndarray:
        d = np.asarray(d_ras, float) @ self.ras_to_ijk[:3, :3].T
        return d / (np.linalg.norm(d) or 1.0)

    def box_bbox(self, prompt) -> list[list[int]]:
        """A box prompt as nnInteractive's ``[[x0, x1], [y0, y1], [z0, z1]]`` (half-open voxel
        ranges): one voxel thick along the voxel axis closest to the plane's normal."""
        a = np.asarray(prompt.corner_a, float)
        d = np.asarray(prompt.corner_b, float) - a
        u, v = (np.asarray(x, float) for x in prompt.axes)
        corners = [a, a + (d @ u) * u, a + (d @ v) * v, a + (d @ u) * u + (d @ v) * v]
        ijk = self.to_ijk(corners)
        normal = np.abs(self._direction_ijk(np.cross(u, v)))
        flat = int(np.argmax(normal))
        bbox = []
        for axis in range(3):
            if axis == flat:
                centre = int(round(float(ijk[:, axis].mean())))
                bbox.append([centre, centre + 1])
            else:
                lo, hi = int(round(float(ijk[:, axis].min()))), int(round(float(ijk[:, axis].max())))
                bbox.append([lo, hi + 1])  # both corner voxels are inside
        return bbox

    def _local_box(self, ijk: np.ndarray, pad: np.ndarray):
        lo = np.maximum(np.floor(ijk.min(0) - pad).astype(int), 0)
        hi = np.minimum(np.ceil(ijk.max(0) + pad).astype(int) + 1, self.shape)
        if np.any(hi <= lo):
            raise ToolError("the prompt lies outside the image")
        return lo, hi

    def scribble_mask(self, prompt):
        """``(mask, bbox)``: the stroke's voxels within ``width_mm / 2`` of its path (mm in world
        space, so an anisotropic or gantry-tilted grid gets an even stroke), on the box of voxels
        it covers."""
        linear = self.affine[:3, :3]
        spacing = np.linalg.norm(linear, axis=0)
        step = 0.5 * float(spacing.min())
        ijk = self.to_ijk(prompt.points_ras(step_mm=step))
        radius_mm = max(prompt.width_mm / 2.0, 0.5 * float(spacing.min()))
        reach = ball_reach(linear, radius_mm)
        lo, hi = self._local_box(ijk, reach)
        mask = np.zeros(tuple(hi - lo), np.uint8)
        r = np.ceil(reach).astype(int)
        offsets = np.indices(tuple(2 * r + 1)).reshape(3, -1).T - r
        for p in ijk - lo:
            cells = np.rint(p).astype(int) + offsets
            keep = np.all((cells >= 0) & (cells < mask.shape), axis=1)
            cells = cells[keep]
            near = np.sum(((cells - p) @ linear.T) ** 2, axis=1) <= radius_mm ** 2 + 1e-6
            if not near.any() and len(cells):
                near = np.sum((cells - p) ** 2, axis=1) == np.min(np.sum((cells - p) ** 2, axis=1))
            mask[tuple(cells[near].T)] = 1
        if prompt.axes is not None:  # on the plane it was drawn on, within half a voxel
            u, v = (self._direction_ijk(a) for a in prompt.axes)
            mask *= near_plane(mask.shape, ijk[0] - lo, u, v).astype(np.uint8)
        return mask, [[int(a), int(b)] for a, b in zip(lo, hi)]

    def lasso_mask(self, prompt):
        """``(mask, bbox)``: the lasso's enclosed region on its plane, on the box it covers."""
        ijk = self.to_ijk(prompt.points_ras())
        lo, hi = self._local_box(ijk, np.ones(3))
        u, v = (self._direction_ijk(a) for a in prompt.axes)
        mask = draw_polygon(tuple(hi - lo), ijk - lo, u, v).astype(np.uint8)
        if not mask.any():
            raise ToolError("the lasso encloses no voxel")
        return mask, [[int(a), int(b)] for a, b in zip(lo, hi)]

    def _add_one(self, prompt) -> None:
        try:
            self.written.append(self._add(prompt))
        except BaseException:
            # stopped within its prediction (Esc, Ctrl+C) or refused: the session may hold the
            # prompt half-given (no undo here), so the next run starts it again from the mask
            self.applied = []
            raise
        self.applied.append(prompt)

    def _add(self, prompt):
        session = self.session
        if prompt.kind == "point":
            ijk = np.rint(self.to_ijk(prompt.p_ras)[0]).astype(int)
            if np.any(ijk < 0) or np.any(ijk >= self.shape):
                raise ToolError("the click lies outside the image")
            return session.add_point_interaction(tuple(int(c) for c in ijk), prompt.include)
        if prompt.kind == "box":
            return session.add_bbox_interaction(self.box_bbox(prompt), prompt.include)
        if prompt.kind == "scribble":
            mask, bbox = self.scribble_mask(prompt)
            return session.add_scribble_interaction(mask, prompt.include, interaction_bbox=bbox)
        if prompt.kind == "lasso":
            mask, bbox = self.lasso_mask(prompt)
            return session.add_lasso_interaction(mask, prompt.include, interaction_bbox=bbox)
        raise ToolError(f"nnInteractive takes points, boxes, scribbles and lassos, not {prompt.kind}")

    def _holds(self, previous: Optional[np.ndarray]) -> bool:
        """Whether ``previous`` (None: empty) is the session's current answer or its start."""
        for state in (self.target.view(bool), self.base):
            if state is None:
                if previous is None:
                    return True
            elif previous is None:
                if not state.any():
                    return True
            elif np.array_equal(np.asarray(previous, bool), state):
                return True
        return False

    def _restart(self, previous: Optional[np.ndarray]) -> Optional[list]:
        self.session._finish_preprocessing_and_initialize_interactions()
        self.session.reset_interactions()
        self.target[...] = 0
        self.applied, self.base, self.written = [], None, []
        if previous is None or not np.any(previous):
            return None
        self.base = np.array(previous, bool)
        self.session.add_initial_seg_interaction(self.base.view(np.uint8), run_prediction=False)
        return _bbox(self.base)

    def run(self, prompts, previous: Optional[np.ndarray] = None, keep_out: bool = False, cancel=None):
        """nnInteractive's answer to ``prompts``. With ``keep_out`` (what the AI click tool asks),
        the answer is 0 under exclude clicks and scribbles as the bundled network's is
        (:func:`.local.held_out`; nnInteractive's network learnt to follow them, but it may not:
        random weights answered 1 on 11 of the 13 voxels under an exclude click), in the
        session's buffer too, so that the next prompt still only adds itself. Without it, the
        answer is nnInteractive's own, voxel for voxel. ``cancel`` (a ``core.jobs.CancelToken``)
        set: :class:`~neuroview.core.errors.Cancelled` before the next prompt's prediction (those
        made stay in the session, as a stale answer's do), or within one, between two of the
        network's layers (the next run then starts the session again)."""
        from .engine import PromptResult

        started = time.perf_counter()
        prompts = prompts if isinstance(prompts, PromptSet) else PromptSet(list(prompts))
        given = list(prompts.prompts)
        if not given:
            raise ToolError("give at least one prompt (a click, a box or a scribble)")
        n = len(self.applied)
        if 0 < n < len(given) and given[:n] == self.applied and self._holds(previous):
            todo = given[n:]
        else:
            self.written.append(self._restart(previous))
            todo = given
        try:
            with cancel_scope(cancel):   # its network's layers look at ``cancel`` (stop_between_layers)
                for prompt in todo:
                    check(cancel)
                    self._add_one(prompt)
        except ValueError as exc:  # nnInteractive's refusal of a prompt (e.g. an empty box)
            raise ToolError(f"nnInteractive: {exc}") from None
        box = _union([b for b in self.written if b is not None])
        if box is None:
            raise ToolError("the prompts lie outside the image")
        lo = tuple(int(b[0]) for b in box)
        answer = self.target[tuple(slice(a, b) for a, b in box)]
        if keep_out:
            answer[held_out(prompts, lo, answer.shape, self.affine)] = 0
        region = answer.astype(np.float32)
        grid = RoiGrid(self.affine, self.shape)
        return PromptResult(lo, region, grid, len(todo), time.perf_counter() - started)

    def follow(self, lo, mask: np.ndarray) -> None:
        """The object's mask as the AI click tool merged the last answer (``mask``, on the box of
        voxels at ``lo``; e.g. a first box on a proposal only adds): written into the session's
        target buffer and into nnInteractive's previous-segmentation channel, so that the next
        prompt goes on from what the user sees, one prediction for it alone (without it, the
        session restarted from that mask and replayed every prompt, the box included)."""
        import torch

        box = [[int(a), int(a) + int(n)] for a, n in zip(lo, mask.shape)]
        self.target[tuple(slice(a, b) for a, b in box)] = mask
        session = self.session
        session._paste_interactions(session._get_prev_seg_channel(),
                                    torch.from_numpy(np.asarray(mask, np.float16)), box, record_undo=False)


def _bbox(mask: np.ndarray) -> Optional[list]:
    idx = np.argwhere(mask)
    if len(idx) == 0:
        return None
    return [[int(a), int(b) + 1] for a, b in zip(idx.min(0), idx.max(0))]


def _union(boxes: list) -> Optional[list]:
    if not boxes:
        return None
    return [[min(b[axis][0] for b in boxes), max(b[axis][1] for b in boxes)] for axis in range(3)]
