"""The overlay series kept with its image (``app.overlay_memory``) and laid again when the image
opens again (``ui.window_open``), for *View > Other series > Overlay series...*
(``ui.actions_fusion``): written when laid or removed, :data:`SAVE_AFTER_MS` after a change of
its settings (a crash keeps them) and as the image is left; a file gone since is said in one line
and forgotten."""

from __future__ import annotations

import os

from ..app.kept_keys import kept_for
from ..app.overlay_memory import overlay_record, remember_overlay, remembered_overlay
from ..app.shown_path import short_path
from .single_shot import single_shot

SAVE_AFTER_MS = 1000
"""A change of the overlay's settings is kept this long after the last (a slider's drag: one
write)."""


class OverlayRecall:
    """``actions``: the window's ``FusionActions`` (its layer, ``picked``, ``overlay_path``)."""

    def __init__(self, actions) -> None:
        self.actions = actions
        self.written: dict | None = None
        """The record :meth:`remember` wrote last."""
        self.save_timer = single_shot(actions.window, SAVE_AFTER_MS, self.remember)
        actions.controller.changed.connect(self._settings_changed)

    def _record(self) -> dict | None:
        """The overlay on screen as ``overlays.json`` keeps it, None: none (or none picked)."""
        layer, picked = self.actions.layer, self.actions.picked
        return None if layer is None or not picked else overlay_record(layer, *picked)

    def remember(self) -> None:
        """Keep the overlay on screen with the image, for its next open: when laid,
        :data:`SAVE_AFTER_MS` after a change of its settings, and as the image is left
        (``MainWindow.remember_view``). Not while a series is read (one laid again, a pick: the
        one kept stays)."""
        volume, record = self.actions.controller.volume, self._record()
        if volume is not None and record is not None and self.actions.job is None:
            self.written = record
            remember_overlay(volume.workspace_key(), record)

    def _settings_changed(self) -> None:
        record = self._record()
        if record is not None and record != self.written:
            self.save_timer.start()

    def give_back(self, volume) -> None:
        """The image ``volume`` just opened gets the overlay it was left with, read again in the
        background; a file gone is said in one line (and forgotten): the image shows without it."""
        record = kept_for(volume, remembered_overlay, remember_overlay)
        if record is None:
            return
        if not os.path.exists(record["path"]):
            self.gone(record["path"], "is gone")
            return
        self.actions.overlay_path(record["path"], aligned=record.get("aligned") is True,
                                  remembered=record)

    def gone(self, path: str, why: str) -> None:
        """The overlay kept cannot be laid again (``why``): said in one line, forgotten."""
        volume = self.actions.controller.volume
        if volume is not None:
            remember_overlay(volume.workspace_key(), None)
        self.actions.window.notice_bar.add(f"The overlay series this image was left with, "
                                           f"{short_path(path)}, {why}: the image shows without it.")
