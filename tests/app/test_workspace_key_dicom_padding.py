"""A padded DICOM series' crash journal written by neuroview before session 32 is offered again.

Session 32 read a DICOM series' PixelPaddingValue as air (-1024 HU on a CT); before, the padding
was rescaled as any other stored value (GE's -2000 read -3024 HU, an unsigned 63536 read 62512 HU
and made the image int32), and the workspace was named by the sampled key of those voxels. The
same files opened since got another key, and the journal was never offered: its folder stayed on
disk and the user believed the edits lost (found by running 274d57b0, session 31's last commit,
on these series: painted, killed with SIGKILL, then opened with the code of session 34). Each test
writes the workspace as that neuroview did, under the key its reader gave (rebuilt here from the
files with pydicom), and opens the series as the window does now."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from before_session_32 import (  # noqa: E402
    SERIES,
    read_before_session_32,
    sampled_key_before_session_33,
    write_series,
)
from ct_maker import write_ct  # noqa: E402

from neuroview.app.case import workspace_for  # noqa: E402
from neuroview.app.restore_offer import restore_offer  # noqa: E402
from neuroview.app.session import Session  # noqa: E402
from neuroview.app.workspace_folder import hash_keys  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.io import load  # noqa: E402
from tests.app.restored_rekeyed import restore_and_rekey  # noqa: E402


def _journaled_before_session_32(folder: Path, monkeypatch, kind: str):
    """``kind``'s series written, opened and painted by neuroview before session 32, killed
    unsaved; returns the series' folder, the old key and the labels painted."""
    _, _, dtype, name = SERIES[kind]
    write_series(folder, kind)
    volume = load(folder)
    old = read_before_session_32(folder, dtype)
    assert old.shape == volume.shape and not np.array_equal(old, volume.array)
    key = sampled_key_before_session_33(old, volume.ijk_to_ras)
    assert key == name        # what 274d57b0 named this series' workspace
    with monkeypatch.context() as then:
        then.setattr(Volume, "workspace_key", lambda self, cancel=None: key)
        then.setattr(Volume, "older_keys", lambda self, cancel=None: ())
        session = Session(volume, workspace_for(volume))
        lesion = session.segments.add("lesion")
        session.apply("paint", at_ras=(10.0, 10.0, 10.0), radius_mm=6.0, segment=lesion)
        session.journal.close()                        # killed
    assert session.labels.array.any()
    return folder, key, session.labels.array.copy()


@pytest.mark.parametrize("kind", sorted(SERIES))
def test_a_journal_of_a_padded_series_from_before_session_32_is_offered_and_restored(
        tmp_path, monkeypatch, kind):
    folder, key, edited = _journaled_before_session_32(tmp_path / "series", monkeypatch, kind)
    volume = load(folder)
    hash_keys(volume)                                  # as the loading worker does
    assert volume.workspace_key() != key and key in volume.older_keys()
    workspace = workspace_for(volume)
    assert workspace.name == key
    offer = restore_offer(volume, workspace)
    assert offer is not None and "(2 edits, never saved)" in offer.question()
    assert offer.unverified                            # a sampled key: not checked voxel for voxel
    restore_and_rekey(volume, workspace, edited, lambda: load(folder))


def test_discard_sets_the_older_journal_aside_and_keys_the_new_one_by_the_key_of_now(tmp_path, monkeypatch):
    from neuroview.app.case import Case

    folder, key, _ = _journaled_before_session_32(tmp_path / "series", monkeypatch, "unsigned 63536")
    volume = load(folder)
    older = workspace_for(volume)
    assert older.name == key
    case = Case.open(volume, restore=False)            # Discard
    assert not case.labels.array.any()
    case.close()
    assert [p.name.startswith(key + ".discarded-") for p in older.parent.iterdir()].count(True) == 1
    again = load(folder)              # the new journal has the key of now (its folder, the name)
    assert f'"image_key": "{again.workspace_key()}"' in (older / "workspace.json").read_text()
    assert workspace_for(again) == older and restore_offer(again, older) is None


def test_another_series_of_the_same_shape_is_offered_nothing(tmp_path, monkeypatch):
    _journaled_before_session_32(tmp_path / "first", monkeypatch, "GE signed -2000")
    other = load(write_ct(tmp_path / "other", n_slices=6, padding=-2000, intercept=-1023).folder)
    assert restore_offer(other, workspace_for(other)) is None


def test_the_older_key_is_kept_only_where_the_padding_was_replaced(tmp_path):
    """An MR's padding below its values keeps its number: read as before, no older key kept; a
    series read again into another array (resampled, another time point) has none either."""
    volume = load(write_ct(tmp_path / "mr", n_slices=6, padding=-2000, modality="MR").folder)
    assert volume.array.min() == -3024 and volume.read_before is None
    assert volume.older_keys() == (volume.sampled_key(),)
    ct = load(write_ct(tmp_path / "ct", n_slices=6).folder)
    assert ct.read_before.key(ct.array.copy(), ct.ijk_to_ras) is None
