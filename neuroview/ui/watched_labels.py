"""A worklist opened to watch (*File > Worklist > Watch worklist folder...*) shows, over the case
on the lead's screen, the labels an annotator last saved for it (``Worklist.set_labels``: the
labels file and who saved it when), read only: no session, no workspace, no claim. The file is
read again, in a worker, when the worklist's watch (``worklist_watch``) sees it saved again, so a
lead follows an annotator's work as it is saved. Until session 48 the lead saw the images alone
and had to open the case as an annotator, claiming it, to look at the labels."""

from __future__ import annotations

import os

from ..app.label_readers import prepared_label_map
from ..app.shown_path import short_path
from ..app.shown_time import shown_time
from .editor_segments import WatchedSegments

SHOWING = "Showing the labels "
"""How the notice's line on the labels shown starts (it is reworded as they are saved again)."""
SEGMENTS_NAMED = 6
"""The segments the line names (the segment list lists them all, read only)."""


class WatchedLabels:
    """The labels shown over the watched case on screen (``actions``: the window's
    ``TrainingActions``); :meth:`follow` after a case opens and after each read of the state."""

    def __init__(self, actions) -> None:
        self.owner = actions
        self.shown = None
        """(case, labels file, when saved) of the labels shown or being read."""

    def follow(self, opened: bool = False) -> None:
        """Show the labels saved for the watched case on screen, unless they are shown already
        (``opened``: an image was just opened, with no labels drawn over it yet)."""
        if opened:
            self.shown = None
        actions, window = self.owner, self.owner.window
        worklist, volume = actions.worklist, window.controller.volume
        case_id = actions.worklist_id if worklist is not None and worklist.watching else ""
        if not case_id or volume is None or not window.editor.watching:
            self.shown = None
            return
        listed = worklist.case(case_id)
        key = (case_id, listed.labels, listed.labels_at)
        if key == self.shown:
            return
        self.shown = key
        if not listed.labels or not os.path.isfile(listed.labels):
            return
        from ..app.label_files import prepare_label_file  # (not at the window's start)

        path, who = listed.labels, listed.labels_by or "someone"
        when = f" ({shown_time(listed.labels_at)})" if listed.labels_at else ""
        others = sorted(user for user, saved in listed.labels_of.items()
                        if user != listed.labels_by and os.path.isfile(saved))
        window.runner.start(lambda progress, cancel: prepare_label_file(path, volume, progress, cancel),
                            on_done=lambda prepared: self._show(key, prepared, volume, path, who, when,
                                                                others),
                            on_error=lambda message: self._unreadable(key, path, message),
                            label=f"Reading the labels {who} saved")

    def _current(self, key, volume) -> bool:
        return key == self.shown and volume is self.owner.window.controller.volume

    def _show(self, key, prepared, volume, path, who: str, when: str, others=()) -> None:
        """Draw and list the labels read; ``others``: those who saved labels of their own for the
        case before (said: the lead saw one annotator's and knew nothing of the other's)."""
        if not self._current(key, volume):   # another case on screen, or saved again meanwhile
            return
        window = self.owner.window
        labels = prepared_label_map(prepared, volume)
        window.controller.set_labels(labels)
        names = [segment.name for segment in labels.segments]
        named = f" ({', '.join(names[:SEGMENTS_NAMED])}{', ...' if len(names) > SEGMENTS_NAMED else ''})"
        where = short_path(path, volume.source_path)
        line = (f"{SHOWING}{who} saved{when} to {where}"
                f"{named if names else ''}, read only; they are shown again each time they are saved.")
        if others:
            line += (f" {', '.join(others)} saved labels of their own for it too (File > Adjudicate... "
                     "compares them, with the case opened to annotate).")
        window.edit_actions.panel.show_watched(WatchedSegments(
            labels, f"{who}'s, read only",
            f"Saved by {who}{when} to {where}: shown without editing (this worklist is open to watch)"))
        if not window.notice_bar.replace_line((SHOWING,), line):
            window.notices.with_the_image(line)

    def _unreadable(self, key, path, message: str) -> None:
        if key == self.shown:
            self.owner.window.notices.with_the_image(
                f"The labels saved for this case could not be shown ({os.path.basename(path)}): {message}")
