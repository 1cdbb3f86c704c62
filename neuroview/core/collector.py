"""Python's cycle collector off while a block makes many objects none of which is in a cycle:
a header scan (``io.dicom.headers.cycle_collector_paused``), torch's first import
(``ai.runtime_import.import_paused``). With the collector on, each time the count of objects
had grown by a quarter it walked every object of the process."""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def collector_off(when: bool = True, age_survivors: bool = False) -> Iterator[None]:
    """The collector off within the block when ``when`` and it is on (left alone otherwise: the
    one who turned it off turns it on). ``age_survivors``: at the end, the objects that exist
    go to the collector's oldest generation without being walked (``gc.freeze()`` then
    ``gc.unfreeze()``; nothing stays frozen), garbage among them collected at the next full
    collection. Only when nothing was frozen at the block's start: ``gc.unfreeze()`` thaws every
    frozen object, another's ``gc.freeze()`` included (a test worker's collection, 446,000 objects:
    the only unfreeze its tests reached, session 51's '0 objects frozen'); the block's objects
    then stay in the young generations."""
    pause = when and gc.isenabled()
    age_survivors = age_survivors and gc.get_freeze_count() == 0
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            if age_survivors:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
