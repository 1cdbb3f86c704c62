"""*Next case* looks first at the training set last sent to (``app.last_dataset``): the cases it
holds already, added outside the worklist (``neuroview dataset add``, another worklist's window),
are marked ``in_training_set`` and passed over (``dataset.worklist_sent``). The look runs off the
GUI thread, as a job of the job bar; each case's image identity is kept by path, size and
modification time for the window's life, so a case is read once."""

from __future__ import annotations

import logging
from typing import Callable

from ..app.last_dataset import remembered_dataset
from ..core.errors import NeuroviewError
from ..core.plural import plural

log = logging.getLogger(__name__)


def passed_sent_text(found: dict[str, str], dataset: str) -> str:
    """The notice of the cases *Next case* passed over because ``dataset`` holds them."""
    named = ", ".join(f"{case_id} (as {training})" for case_id, training in found.items())
    return (f"Next case passed over {plural(len(found), 'case')} the training set {dataset} holds "
            f"already: {named}; marked in the training set in the worklist.")


class SentCheck:
    """The look at the training set before *Next case* moves (:meth:`then`)."""

    def __init__(self, actions) -> None:
        self.actions = actions
        self.cache = None
        """``dataset.worklist_sent.IdentityCache``, made at the first look (its imports wait)."""
        self.job = None
        """The look under way, or None: a second click meanwhile waits for it."""

    def then(self, go_on: Callable[[], None]) -> None:
        """Mark the upcoming cases the training set holds, then call ``go_on`` (the move) on the
        GUI thread; at once where no training set was sent to, or no case is upcoming."""
        from ..dataset.worklist_sent import IdentityCache, sent_already, upcoming

        actions, worklist = self.actions, self.actions.worklist
        self.cache = self.cache or IdentityCache()
        folder = remembered_dataset().get("dataset", "")
        cases = upcoming(worklist) if worklist is not None and folder and not worklist.watching else []
        if not cases:
            go_on()
            return
        if self.job is not None:
            return   # the click before is looking still: it moves once done

        def work(progress, cancel):
            from ..dataset.layout import find_dataset

            target = find_dataset(folder)
            return target.name, sent_already(target, cases, self.cache, cancel)

        def done(result) -> None:
            self.job = None
            name, found = result
            if actions.worklist is not worklist:
                return   # another worklist opened meanwhile
            try:
                for case_id, training_case in found.items():
                    worklist.set_status(case_id, "in_training_set", training_case)
            except NeuroviewError as exc:
                actions.window.show_error(str(exc))
            if found:
                actions.skipped.append(passed_sent_text(found, name))
            go_on()

        def failed(text: str) -> None:   # the training set moved or unreadable: Send says so
            self.job = None
            log.info("Next case did not look at the training set: %s", text)
            if actions.worklist is worklist:
                go_on()

        def cancelled() -> None:
            self.job = None

        self.job = actions.window.runner.start(
            work, on_done=done, on_error=failed, on_cancel=cancelled,
            label="Next case: looking for cases the training set holds")
