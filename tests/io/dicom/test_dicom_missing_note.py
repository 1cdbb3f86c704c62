"""A series with slices missing is said to have them, in one line: how many, the gap, and which
slices of the grid were interpolated. It was said to have "uneven slice spacing (steps 2.5 to 5
mm)", which left a reader to work out that a slice was missing, and where."""

from __future__ import annotations

import pytest

from neuroview.io import scan


@pytest.mark.parametrize("missing,said", [
    ((10,), "1 missing slice (a gap of 5 mm where slices are 2.5 mm apart): 19 slices resampled "
            "(linear) onto an even grid of 20 slices 2.5 mm apart, from the first slice to the "
            "last, slice 11 of 20 (axial view) interpolated between its neighbours"),
    ((4, 12, 13), "3 missing slices (2 gaps of up to 7.5 mm where slices are 2.5 mm apart): 17 slices "
                  "resampled (linear) onto an even grid of 20 slices 2.5 mm apart, from the first "
                  "slice to the last, slices 5, 13, 14 of 20 (axial view) interpolated between their "
                  "neighbours"),
])
def test_missing_slices_are_named_as_missing(make_series, missing, said):
    series = make_series(f"missing {missing}", modality="CT", missing=missing, n_slices=20,
                         slice_step=2.5)
    (candidate,) = scan(series.folder).candidates
    assert [w for w in candidate.warnings if "slice" in w] == [
        said + " ('--uneven split' on the command line, or 'Split into evenly spaced series' in "
        "the window's series chooser at File > Open, keeps the evenly spaced runs as separate "
        "series instead)"]
    assert "uneven slice" not in candidate.warnings[0]


def test_uneven_spacing_without_a_missing_slice_is_still_uneven(make_series):
    series = make_series("uneven not missing", modality="CT", n_slices=6, slice_step=2.0,
                         slice_offsets=(0.0, 2.0, 4.0, 7.0, 9.0, 11.0))
    (candidate,) = scan(series.folder).candidates
    (note,) = [w for w in candidate.warnings if "slice" in w]
    assert note.startswith("uneven slice spacing (steps 2 to 3 mm): 6 slices resampled") and \
        "missing" not in note and "interpolated between" not in note


def test_the_note_names_the_windows_split_button(make_series):
    """The note said "('split' keeps ...)" in the window's notice bar, where the choice is the
    series chooser's button, not a word to type: it names that button, as the chooser shows it."""
    from neuroview.ui.dialogs import SPLIT_TEXT

    series = make_series("missing for the window", modality="CT", missing=(5,), n_slices=12,
                         slice_step=2.5)
    (candidate,) = scan(series.folder).candidates
    (note,) = [w for w in candidate.warnings if "slice" in w]
    button = note.split("or '", 1)[1].split("'", 1)[0]
    assert button == "Split into evenly spaced series" and SPLIT_TEXT.startswith(button + " (")
    assert "'--uneven split' on the command line" in note


@pytest.mark.parametrize("fine,coarse", [(10, 6), (4, 9)])
def test_a_run_at_another_spacing_is_uneven_not_missing(make_series, fine, coarse):
    """A series reconstructed at 2.5 mm over one part and 5 mm over the next has no slice
    missing: it read '5 missing slices (5 gaps of up to 5 mm ...)' while the 2.5 mm run was the
    longer, 'uneven slice spacing' when the 5 mm run was."""
    offsets = tuple(2.5 * k for k in range(fine)) + tuple(2.5 * (fine - 1) + 5.0 * k
                                                          for k in range(1, coarse + 1))
    series = make_series(f"spacing {fine} {coarse}", modality="CT", n_slices=len(offsets),
                         slice_step=2.5, slice_offsets=offsets)
    (candidate,) = scan(series.folder).candidates
    (note,) = [w for w in candidate.warnings if "slice" in w]
    assert note.startswith(f"uneven slice spacing (steps 2.5 to 5 mm): {len(offsets)} slices "
                           "resampled (linear) onto an even grid of "
                           f"{fine + 2 * coarse} slices 2.5 mm apart"), note
    assert "missing" not in note


def test_every_other_slice_missing_from_a_run_is_missing(make_series):
    """Four slices left out one by one (their instance numbers skipped with them) are missing
    slices, though their gaps run in a row as a change of spacing does."""
    series = make_series("alternate missing", modality="CT", missing=(11, 13, 15, 17), n_slices=20,
                         slice_step=2.5)
    (candidate,) = scan(series.folder).candidates
    (note,) = [w for w in candidate.warnings if "slice" in w]
    assert note.startswith("4 missing slices (4 gaps of up to 5 mm where slices are 2.5 mm apart)"), note
