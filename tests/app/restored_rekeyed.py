"""Restore an older neuroview's workspace and check that it is rekeyed to the key of now, for the
tests of the workspace key's older keys."""

from __future__ import annotations

from typing import Callable

import numpy as np

from neuroview.app.case import workspace_for
from neuroview.app.restore_offer import restore_offer
from neuroview.app.session import Session
from neuroview.core.volume import Volume


def restore_and_rekey(volume: Volume, folder, edited: np.ndarray, reopen: Callable[[], Volume]) -> None:
    """*Restore* the workspace ``folder`` of ``volume`` (its labels ``edited`` come back voxel for
    voxel), killed again: the image opened again (``reopen()``) finds that folder named by its
    key of now, offered without the caution."""
    restored = Session(volume, folder)                 # Restore
    np.testing.assert_array_equal(restored.labels.array, edited)
    restored.journal.close()                           # killed again: rekeyed to the key of now
    again = reopen()
    assert f'"image_key": "{again.workspace_key()}"' in (folder / "workspace.json").read_text()
    assert workspace_for(again) == folder
    offer = restore_offer(again, folder)
    assert offer is not None and not offer.unverified
