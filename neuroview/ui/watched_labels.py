"""A worklist opened to watch (*File > Worklist > Watch worklist folder...*) shows, over the case
on the lead's screen, the labels each annotator last saved for it (``Worklist.set_labels``: the
labels file of each, who saved the last when), read only: no session, no workspace, no claim.
Several annotators' are layers (``app.watched_layers``: ``anna: lesion``, ``ben: lesion``), the
last saved on top; hiding a segment (its *Show* box here or in *Segments*) uncovers the layers
under it. The files are read again, in a worker, when the worklist's watch (``worklist_watch``)
sees one saved again, so a lead follows the annotators' work as it is saved. Until session 48
the lead saw the images alone, and until session 50 the last annotator's labels alone."""

from __future__ import annotations

import os

from ..app.label_readers import prepared_label_map
from ..app.shown_path import short_path
from ..app.shown_time import shown_time
from ..app.watched_layers import WatchedLayer, WatchedLayers
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
        """(case, labels files, when last saved) of the labels shown or being read."""
        self.layers: WatchedLayers | None = None
        """The annotators' labels drawn now, and the segments hidden when they were drawn."""
        self.hidden: frozenset = frozenset()
        self.watched: WatchedSegments | None = None
        self.case_id = ""
        """The case whose labels :attr:`layers` are."""
        actions.window.controller.labels_changed.connect(self._hidden_changed)

    def follow(self, opened: bool = False) -> None:
        """Show the labels saved for the watched case on screen, unless they are shown already
        (``opened``: an image was just opened, with no labels drawn over it yet)."""
        if opened:
            self.shown = None
        actions, window = self.owner, self.owner.window
        worklist, volume = actions.worklist, window.controller.volume
        case_id = actions.worklist_id if worklist is not None and worklist.watching else ""
        if not case_id or volume is None or not window.editor.watching:
            self.shown = self.layers = window.controller.watched_layers = None
            return
        listed = worklist.case(case_id)
        files = _files(listed)
        key = (case_id, tuple(files), listed.labels_at)
        if key == self.shown:
            return
        self.shown = key
        if not files:
            return
        from ..app.label_files import prepare_label_file  # (not at the window's start)

        def read(progress, cancel) -> list:
            return [(who, path, _prepared(prepare_label_file, path, volume, cancel)) for who, path in files]

        names = ", ".join(who for who, _ in files)
        window.runner.start(read, on_done=lambda found: self._show(key, found, volume, listed),
                            on_error=lambda message: self._unreadable(key, files[-1][1], message),
                            label=f"Reading the labels {names} saved")

    def _current(self, key, volume) -> bool:
        return key == self.shown and volume is self.owner.window.controller.volume

    def _show(self, key, found, volume, listed) -> None:
        """Draw and list the labels read (``found``: who, file, prepared labels or why not), each
        annotator's a layer, the last saved on top."""
        if not self._current(key, volume):   # another case on screen, or saved again meanwhile
            return
        window = self.owner.window
        layers = []
        for who, path, prepared in found:
            if isinstance(prepared, str):
                window.notices.with_the_image(f"The labels {who} saved for this case could not be shown "
                                              f"({os.path.basename(path)}): {prepared}")
                continue
            stamp = listed.labels_at if who == (listed.labels_by or "someone") else _written_at(path)
            when = shown_time(stamp) if stamp else ""
            layers.append(WatchedLayer(who, prepared_label_map(prepared, volume), when,
                                       short_path(path, volume.source_path)))
        if not layers:
            return
        kept, self.case_id = self._hidden_names(key[0]), key[0]
        self.layers = window.controller.watched_layers = WatchedLayers(layers)
        self.hidden = frozenset(s.value for s in self.layers.table if s.name in kept)
        labels = self.layers.picture(self.hidden)
        window.controller.set_labels(labels)
        window.controller.state.labels.hidden = set(self.hidden)   # (set_labels shows every one)
        self.watched = WatchedSegments(labels, {
            segment.value: (f"{layer.who}'s, read only",
                            f"Saved by {layer.who}{f' ({layer.when})' if layer.when else ''} to "
                            f"{layer.where}: shown without editing (this worklist is open to watch)")
            for layer in layers for segment in self.layers.segments_of(layer)})
        window.edit_actions.panel.show_watched(self.watched)
        line = _line(self.layers)
        if not window.notice_bar.replace_line((SHOWING,), line):
            window.notices.with_the_image(line)

    def _hidden_names(self, case_id: str) -> set:
        """The names of the segments of ``case_id`` hidden now, kept hidden when the labels are
        read again (an annotator's save reset what the lead had unticked)."""
        controller, watched = self.owner.window.controller, self.watched
        if self.layers is None or watched is None or controller.state is None or \
                controller.labels is not watched.labels or self.case_id != case_id:
            return set()
        return {self.layers.table.get(value).name for value in controller.state.labels.hidden
                if value in self.layers.table}

    def _hidden_changed(self) -> None:
        """A segment shown or hidden (here or in *Segments*): the picture again, each layer's
        hidden segments uncovering the ones under them."""
        controller = self.owner.window.controller
        watched, state = self.watched, controller.state
        if self.layers is None or watched is None or state is None or controller.labels is not watched.labels:
            return
        hidden = frozenset(state.labels.hidden)
        if hidden == self.hidden:
            return
        self.hidden = hidden
        watched.labels = controller.labels = self.layers.picture(hidden)   # (set_labels shows all)
        controller.labels_changed.emit()
        controller.changed.emit()

    def _unreadable(self, key, path, message: str) -> None:
        if key == self.shown:
            self.owner.window.notices.with_the_image(
                f"The labels saved for this case could not be shown ({os.path.basename(path)}): {message}")


def _files(listed) -> list[tuple[str, str]]:
    """(who, file) of each annotator's last labels file of ``listed`` still there, the last saved
    last (files by when they were written)."""
    each = dict(listed.labels_of)
    if listed.labels and listed.labels not in each.values():
        each[listed.labels_by or "someone"] = listed.labels
    there = [(who, path) for who, path in each.items() if os.path.isfile(path)]
    last = listed.labels_by or "someone"
    return sorted(there, key=lambda item: (item[0] == last, _written(item[1])))


def _written(path) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


def _written_at(path) -> str:
    """When ``path`` was written (UTC ISO 8601), "" when it cannot be told: the state keeps the
    time of the last save alone."""
    from datetime import datetime, timezone

    written = _written(path)
    return datetime.fromtimestamp(written, timezone.utc).isoformat() if written else ""


def _prepared(prepare, path, volume, cancel):
    """``prepare`` (``prepare_label_file``) of ``path`` for ``volume``, or why it failed (a line):
    one annotator's damaged file leaves the others' shown."""
    from ..core.errors import NeuroviewError

    try:
        return prepare(path, volume, cancel=cancel)
    except (NeuroviewError, OSError, ValueError) as exc:
        return str(exc)


def _line(layers: WatchedLayers) -> str:
    """The notice's line on the labels shown: whose, saved when and where, their segments."""
    each = []
    for layer in layers.layers:
        names = [segment.name.split(": ", 1)[-1] if len(layers.layers) > 1 else segment.name
                 for segment in layers.segments_of(layer)]
        named = f" ({', '.join(names[:SEGMENTS_NAMED])}{', ...' if len(names) > SEGMENTS_NAMED else ''})"
        each.append(f"{layer.who} saved{f' ({layer.when})' if layer.when else ''} to {layer.where}"
                    f"{named if names else ''}")
    if len(each) == 1:
        return f"{SHOWING}{each[0]}, read only; they are shown again each time they are saved."
    return (f"{SHOWING}{len(each)} annotators saved, read only, each segment named by who saved it, "
            f"the last saved on top: {'; '.join(each)}. They are shown again each time they are "
            "saved; untick one's segments to see those under them (File > Adjudicate... compares "
            "them, with the case opened to annotate).")
