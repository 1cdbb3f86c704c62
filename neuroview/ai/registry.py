"""The model registry: bundled models plus the user's own, and which one is the default per task.

User models live in ``user_data_dir()/models/NAME@VERSION/`` (a package folder each);
``user_data_dir()/models.json`` records the default per task and the promotion history used by
rollback. The bundled models in ``resources/models/`` are always listed and cannot be removed.
Reading the registry never imports torch; loading weights does (through :mod:`package`).

A model is named by a registry reference (``name@version``, or ``name``: the default when the
default bears that name, else its newest version) or a path to a package folder or model file.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..core.atomic import restrict_in_data_folder, write_text_atomic
from ..core.commit import describe, recover
from ..core.errors import ModelError, first_line
from ..core.jsonfile import read_json
from ..core.safepath import copy_tree_inside, copy_with_room, safe_join
from ..core.settings_file import changing
from ..paths import resources_dir, user_data_dir
from .api import CARD_FILE, ModelCard
from .card_cache import folder_cards
from .package import read_card, recover_package
from .promotion import refuse_unless_better

DEFAULT_TASK = "lesion"
INTERACTIVE_TASK = "interactive"
"""The task of promptable (AI click) models (card ``training.task``)."""
BUNDLED_DEFAULTS = {DEFAULT_TASK: "lesionseg", INTERACTIVE_TASK: "clickseg"}
"""The bundled model that is a task's default when none was promoted."""


@dataclass
class ModelEntry:
    card: ModelCard
    path: Path
    bundled: bool

    @property
    def ref(self) -> str:
        return self.card.ref


def version_key(version: str):
    parts = []
    for piece in version.replace("-", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return parts


class Registry:
    def __init__(self, home: Optional[Path] = None, bundled: Optional[Path] = None) -> None:
        self.home = Path(home) if home else user_data_dir()
        self.models_dir = self.home / "models"
        self.bundled_dir = Path(bundled) if bundled else resources_dir() / "models"
        self.state_file = self.home / "models.json"

    # -- state ---------------------------------------------------------------------------------
    def _state(self) -> dict:
        """``{"defaults": {task: ref}, "history": {task: [ref]}}``; a file that cannot be read
        as that is a ModelError naming it (it was an internal error, a hang on a named pipe, or
        passed over in silence: the promoted default vanished and the next promotion wrote over
        the user's history)."""
        try:
            state = read_json(self.state_file, max_bytes=16 << 20)
        except FileNotFoundError:
            return {"defaults": {}, "history": {}}
        except (OSError, ValueError) as exc:
            raise self._bad_state(first_line(exc, 200)) from None
        if not isinstance(state, dict):
            raise self._bad_state(f"a JSON {type(state).__name__}, not an object")
        state.setdefault("defaults", {})
        state.setdefault("history", {})
        defaults, history = state["defaults"], state["history"]
        if not isinstance(defaults, dict) or not all(isinstance(v, str) for v in defaults.values()):
            raise self._bad_state("'defaults' is not an object of task: model names")
        if not isinstance(history, dict) or not all(
                isinstance(v, list) and all(isinstance(r, str) for r in v) for v in history.values()):
            raise self._bad_state("'history' is not an object of task: lists of model names")
        return state

    def _bad_state(self, problem: str) -> ModelError:
        return ModelError(f"model settings cannot be read ({problem})", path=self.state_file,
                          hint="repair it, or delete it to go back to the bundled default model")

    def _write_state(self, state: dict) -> None:
        try:
            recover([self.state_file])  # temporaries of a write a kill interrupted
            write_text_atomic(self.state_file, json.dumps(state, indent=2) + "\n")
        except OSError as exc:
            raise ModelError(f"model settings not saved: {describe(exc)}; the previous "
                             "default model is kept", path=self.state_file) from None

    # -- listing -------------------------------------------------------------------------------
    def entries(self) -> list[ModelEntry]:
        return self._scan()[0]

    def unreadable(self) -> list[ModelError]:
        """The packages left out of :meth:`entries` because their card cannot be read, one error
        each naming its card (they were left out without a word: a user's model, the default
        among them, vanished from the list and the bundled model was used in its place)."""
        return self._scan()[1]

    def _scan(self) -> tuple[list[ModelEntry], list[ModelError]]:
        found: list[ModelEntry] = []
        broken: list[ModelError] = []
        for folder, bundled in ((self.bundled_dir, True), (self.models_dir, False)):
            if not folder.is_dir():
                continue
            if not bundled:
                for old in folder.glob(".*.old"):  # a package replacement a kill interrupted
                    recover_package(folder / old.name[1:-4], temporaries=False)
                for doomed in folder.glob(".*.removing"):  # a removal a kill interrupted
                    _delete(doomed)
            for package, card in folder_cards(folder):   # read once per version of the file
                if isinstance(card, ModelError):
                    broken.append(card)
                else:
                    found.append(ModelEntry(card, package, bundled))
        return found, broken

    def stored_default(self, task: str = DEFAULT_TASK) -> Optional[str]:
        """The default as promoted, whether or not it can still be used (:meth:`default_ref`
        passes over one that was removed or whose card became unreadable)."""
        ref = self._state()["defaults"].get(task)
        return str(ref) if ref else None

    def default_ref(self, task: str = DEFAULT_TASK) -> Optional[str]:
        ref = self._state()["defaults"].get(task)
        # a default of another task (an AI click model promoted before promote refused it) is
        # passed over, as a removed one is
        if ref and any(e.ref == ref and not self.task_problem(e, task) for e in self.entries()):
            return ref
        return self.bundled_default_ref(task)

    def bundled_default_ref(self, task: str = DEFAULT_TASK) -> Optional[str]:
        """The default of ``task`` when none was promoted, or the promoted one was removed: the
        bundled model of that task (until session 24 the lesion model for every task, so the
        AI click default was ``lesionseg``, which cannot take clicks)."""
        name = BUNDLED_DEFAULTS.get(task)
        bundled = [e for e in self.entries()
                   if e.bundled and e.card.name == name and not self.task_problem(e, task)]
        return bundled[0].ref if bundled else None

    def tasks_defaulting_to(self, ref: str) -> list[str]:
        """The tasks whose default is ``ref``: removing it changes their default."""
        tasks = sorted({DEFAULT_TASK, INTERACTIVE_TASK, *self._state()["defaults"]})
        return [task for task in tasks if self.default_ref(task) == ref]

    def history(self, task: str = DEFAULT_TASK) -> list[str]:
        """Earlier defaults of ``task``, oldest first; ``rollback`` restores the last one. Those
        it would pass over at the end are left out: removed since, or the default now (the
        bundled model, once the promoted default over it was removed: the Models dialog said
        "Roll back restores lesionseg@2.5.1" beside that very default)."""
        refs = [str(ref) for ref in self._state()["history"].get(task, [])]
        return refs[:len(refs) - self._passed_over(refs, task)]

    def _passed_over(self, refs: list[str], task: str) -> int:
        """How many of the last ``refs`` rollback passes over: not installed, or the default."""
        known, current = {e.ref for e in self.entries()}, self.default_ref(task)
        count = 0
        while count < len(refs) and (refs[-1 - count] not in known or refs[-1 - count] == current):
            count += 1
        return count

    def get(self, ref: str) -> ModelEntry:
        """An entry by ``name@version`` or ``name``: the default model when it bears that name
        (a model trained or fine-tuned under the default's name and not promoted is not the
        default: ``--model lesionseg`` ran and recorded it), else the newest version."""
        entries = self.entries()
        if "@" not in ref:
            defaults = {self.default_ref(task) for task in {DEFAULT_TASK, *self._state()["defaults"]}}
            ref = next((d for d in sorted(defaults - {None}) if d.split("@")[0] == ref), ref)
        if "@" in ref:
            matches = [e for e in entries if e.ref == ref]
        else:
            matches = sorted((e for e in entries if e.card.name == ref),
                             key=lambda e: (version_key(e.card.version), not e.bundled))
            matches = matches[-1:]
        if not matches:
            for problem in self.unreadable():   # installed, but its card cannot be read: say why
                folder = Path(problem.path).parent.name if problem.path else ""
                if folder == ref or folder.startswith(f"{ref}@"):
                    raise problem
            known = ", ".join(sorted({e.ref for e in entries})) or "none"
            raise ModelError(f"no model {ref!r} in the registry", hint=f"installed: {known}")
        return matches[0]

    def resolve_path(self, model: str = "", task: str = DEFAULT_TASK) -> Path:
        """Folder or file of the model a user named (empty: the task's default)."""
        if not model:
            ref = self.default_ref(task)
            if ref is None:
                raise ModelError("no model is installed for this task",
                                 hint="add one with 'neuroview models add PATH'")
            return self.get(ref).path
        if os.path.exists(model) and (os.path.isfile(model) or os.sep in model or "/" in model
                                      or os.path.isdir(model) and not self._is_known(model)):
            return Path(model)
        return self.get(model).path

    def _is_known(self, name: str) -> bool:
        return any(e.card.name == name or e.ref == name for e in self.entries())

    # -- changes -------------------------------------------------------------------------------
    def add(self, source: str | os.PathLike) -> ModelEntry:
        """Import a package folder, a model file (with its card), an nnU-Net v2 results folder
        (its JSONs and the checkpoints used are copied, with a card made from its plans) or an
        nnInteractive weights folder (likewise, card ``task: interactive``); the weights are
        loaded first, so a broken model is never added."""
        from .package import load_model  # loads the weights: a broken package is never added

        source = Path(source)
        loaded = load_model(source)
        card = loaded.card
        card.check_names(str(source))
        card.check_ranges(str(source))
        target = safe_join(self.models_dir, card.ref, error=ModelError,
                           what="the model folder named by the card's name and version")
        if target.exists() or any(e.ref == card.ref for e in self.entries()):
            raise ModelError(f"model {card.ref} is already installed", path=source,
                             hint="give the new package another version")
        tmp = safe_join(self.models_dir, f".{card.ref}.adding", error=ModelError, what="model folder")
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            self._copy_in(source, card, tmp)
            restrict_in_data_folder(tmp)
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)  # a refused or failed copy leaves nothing
            raise
        return ModelEntry(read_card(target), target, False)

    @staticmethod
    def _copy_in(source: Path, card: ModelCard, tmp: Path) -> None:
        if source.is_dir() and (source / CARD_FILE).exists():
            copy_tree_inside(source, tmp, "the model package", ModelError)
        elif card.format == "nnunet":
            from .nnunet import copy_results

            copy_results(source, card, tmp)
            write_text_atomic(tmp / CARD_FILE, card.to_json())
        elif card.format == "nninteractive":
            from .interactive.nninteractive_folder import copy_weights_folder

            copy_weights_folder(source, card, tmp)
            write_text_atomic(tmp / CARD_FILE, card.to_json())
        else:
            tmp.mkdir(parents=True)
            copy_with_room(source, tmp / source.name, "model file", ModelError, source)
            if card.format == "onnx":
                from .package import check_onnx_copy

                check_onnx_copy(tmp / source.name, source)
            card.weights_file = source.name
            write_text_atomic(tmp / CARD_FILE, card.to_json())

    def remove(self, ref: str) -> ModelEntry:
        entry = self.get(ref)
        if entry.bundled:
            raise ModelError(f"{entry.ref} is bundled with neuroview and cannot be removed")
        with changing(self.state_file):
            state = self._state()
            for task, default in list(state["defaults"].items()):
                if default == entry.ref:
                    del state["defaults"][task]
            for task, history in state["history"].items():
                state["history"][task] = [r for r in history if r != entry.ref]
            self._write_state(state)
        # renamed away first (one atomic step), then deleted: a kill while the files are deleted
        # leaves a hidden folder, never a package without its weights under its name
        doomed = safe_join(self.models_dir, f".{entry.ref}.removing", error=ModelError, what="model folder")
        if doomed.exists() or doomed.is_symlink():
            _delete(doomed)   # what an earlier remove of it left
        os.replace(entry.path, doomed)
        _delete(doomed)   # a listing elsewhere may be deleting it too
        return entry

    @staticmethod
    def task_problem(entry: ModelEntry, task: str = DEFAULT_TASK) -> str:
        """Why ``entry`` cannot be the default for ``task`` ('' when it can): a promptable (AI
        click) model segments one object from clicks, not a whole image, and the other way round."""
        promptable = entry.card.training.get("task") == INTERACTIVE_TASK
        if promptable == (task == INTERACTIVE_TASK):
            return ""
        if promptable:
            return (f"{entry.ref} is a promptable (AI click) model: it segments one object from "
                    f"clicks, not a whole image, so it cannot be the default for {task}")
        return (f"{entry.ref} segments whole images, not objects from clicks: it cannot be the "
                f"default for {task}")

    def _check_task(self, entry: ModelEntry, task: str) -> None:
        problem = self.task_problem(entry, task)
        if problem:
            raise ModelError(problem)

    def set_default(self, ref: str, task: str = DEFAULT_TASK) -> ModelEntry:
        entry = self.get(ref)
        self._check_task(entry, task)
        with changing(self.state_file):
            state = self._state()
            previous = self.default_ref(task)
            history = state["history"].setdefault(task, [])
            if previous and previous != entry.ref and (not history or history[-1] != previous):
                history.append(previous)
            state["defaults"][task] = entry.ref
            self._write_state(state)
        return entry

    def promote(self, ref: str, task: str = DEFAULT_TASK, force: bool = False,
                scores: Optional[tuple[float, float]] = None,
                lesion_f1: Optional[tuple[float, float]] = None,
                cases: Optional[int] = None, lesions: Optional[int] = None) -> ModelEntry:
        """Make ``ref`` the default, refusing (unless ``force``) when it is worse held-out or the
        evidence is too thin: :func:`~neuroview.ai.promotion.refuse_unless_better` judges
        ``scores``, ``lesion_f1``, ``cases`` and ``lesions`` (measured with ``models promote
        --dataset``), else the two cards' own held-out figures."""
        entry = self.get(ref)
        self._check_task(entry, task)   # not even with force
        current_ref = self.default_ref(task)
        if current_ref and current_ref != entry.ref and not force:
            refuse_unless_better(entry, self.get(current_ref), scores, lesion_f1, cases, lesions)
        with changing(self.state_file):
            state = self._state()
            history = state["history"].setdefault(task, [])
            if current_ref and current_ref != entry.ref:
                history.append(current_ref)
            state["defaults"][task] = entry.ref
            self._write_state(state)
        return entry

    def rollback(self, task: str = DEFAULT_TASK) -> Optional[str]:
        """Restore the previous default; returns it (None: back to the bundled model)."""
        with changing(self.state_file):
            state = self._state()
            history = state["history"].get(task, [])
            del history[len(history) - self._passed_over([str(ref) for ref in history], task):]
            if history:
                state["defaults"][task] = history.pop()
            else:
                state["defaults"].pop(task, None)
            self._write_state(state)
        return self.default_ref(task)


def _delete(doomed: Path) -> None:
    """Delete a package folder being removed; an entry that is a symbolic link (to a package
    elsewhere, another user's perhaps) loses the link only: ``shutil.rmtree`` refuses links, and
    the link stayed in the registry for ever."""
    if doomed.is_symlink():
        doomed.unlink(missing_ok=True)
    else:
        shutil.rmtree(doomed, ignore_errors=True)
