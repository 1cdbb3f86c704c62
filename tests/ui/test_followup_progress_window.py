"""File > Open follow-up...'s progress bar is one progress for the whole comparison (step k of n,
and within it): it restarted at 0 % at each stage (loading, registration, matching, display), so a
user could not see how far it was."""

from __future__ import annotations

import re

from followup_studies import write_case

from tests.ui.followup_free_open import _open


def test_the_followup_progress_goes_once_from_start_to_end(window, qtbot, mni_volume, tmp_path):
    write_case(mni_volume, tmp_path)
    shown = []   # the status bar's bar (0-1000) and text at each report, as the user sees them
    window.runner.progress.connect(
        lambda *_: shown.append((window.progress.value(), window.progress_text.text())))
    _open(window, qtbot, tmp_path)
    values = [value for value, _ in shown]
    assert len(values) > 10
    assert values == sorted(values), "the bar went back"
    steps = {tuple(map(int, m.groups())) for _, text in shown
             if (m := re.match(r"step (\d+) of (\d+): ", text))}
    # baseline, follow-up, comparison, lesion locations, display (reports 50 ms apart or less are
    # thinned out: the follow-up, read with its masks, takes less; the first and last are always
    # shown)
    assert {(1, 5), (3, 5), (5, 5)} <= steps <= {(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)}
    registering = [value for value, text in shown if text.startswith("step 3 of 5: rigid registration")]
    assert registering and 400 <= min(registering) and max(registering) <= 600
    assert values[-1] == 1000
