"""*Open follow-up* fills in the other study of the patient on screen that was retrieved from a PACS
earlier and is still in this computer's cache (:func:`~neuroview.io.pacs_cached.cached_prior`):
the current study read, its prior retrieved before (this session or another day), the dialog
holds both, placed by their dates. Until session 51 the prior had to be found on the server again.
The cache is looked through off the GUI thread (a header a series), the dialog open meanwhile;
a field the user has filled in by then is left as it is."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from ..io.pacs_cached import cached_prior


class CachedPrior(QObject):
    """Looks for the cached study to compare the study on screen with (``shown``: its header
    values), and fills it in the empty image field of ``dialog`` beside it."""

    found = Signal(object)

    def __init__(self, dialog, on_screen, shown: dict) -> None:
        super().__init__(dialog)
        self.dialog, self.on_screen = dialog, on_screen   # on_screen: followup_prefill.OnScreenStudy
        self.folder = ""   # the series filled in, once found
        self.looked = False   # the cache looked through
        self.found.connect(self._arrived)   # queued: emitted by the lookup's thread
        threading.Thread(target=self._look_up, args=(dict(shown),), name="cached prior",
                         daemon=True).start()

    def _look_up(self, shown: dict) -> None:
        try:
            prior = cached_prior(shown)
        except OSError:   # an unreadable cache: nothing offered, as with none
            prior = None
        try:
            self.found.emit(prior)
        except RuntimeError:   # the dialog was closed and deleted meanwhile
            pass

    def _arrived(self, prior) -> None:
        self.looked = True
        on_screen = self.on_screen
        here = on_screen.where()
        if prior is None or here is None:
            return
        other = "followup" if here == "baseline" else "baseline"
        if self.dialog.edits[other].text().strip():   # the user chose one meanwhile: theirs
            return
        self.folder = prior.folder
        on_screen.dates.known(prior.folder, prior.get("StudyDate"))   # places it with no read
        on_screen.cached = self
        self.dialog.show_path(other, prior.folder)   # placed by its date as it is set
        self.dialog.grow_to_fit()   # the line at the top says so: a line longer

    def words(self, role: str, later: bool) -> str:
        """The note's sentence on the study filled in, now in field ``role``."""
        field = "baseline" if role == "baseline" else "follow-up"
        return (f" The {field} is this patient's {'later' if later else 'earlier'} study retrieved "
                "from a PACS before, in this computer's cache.")
