"""A CT perfusion run offers *Contrast run*: the header's brain window (80/40, on every time
point) with its top raised by the run's peak enhancement, so the artery at the bolus's peak
reads below white and the cine shows the contrast come and go; with 80/40 it is solid white
from its first enhanced time point to its last. The series opens at its header's window (as
the operator chose it); a NIfTI run, naming none, opens at *Contrast run*; a run with no
contrast, a 3D CT and an MR run are offered no such window. Runs written as scanners write
them (perfusion_maker)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from perfusion_maker import ARTERY, write_perfusion  # noqa: E402

from neuroview.app.frames import frame_volume  # noqa: E402
from neuroview.app.view_presets import (  # noqa: E402
    CONTRAST_RUN,
    HEADER,
    preset_names,
    preset_window_level,
)
from neuroview.app.view_state import ViewerState  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.io import load  # noqa: E402


def grey(value, window, level) -> float:
    """The grey a value is drawn at: 0 black .. 1 white."""
    return float(np.clip((value - (level - window / 2)) / window, 0.0, 1.0))


def test_a_perfusion_run_offers_a_window_with_its_arteries_below_white(tmp_path):
    written = write_perfusion(tmp_path / "ctp", size=64, n_slices=2, n_times=12)
    volume = load(tmp_path / "ctp")
    opened = ViewerState.for_volume(volume)
    assert (opened.window, opened.level) == (80.0, 40.0)      # the series opens at its header's
    window, level = preset_window_level(CONTRAST_RUN, volume)
    state = SimpleNamespace(window=window, level=level)
    artery = (int(ARTERY[0] * 64), int(ARTERY[1] * 64), 1)
    curve = written.hu[artery]
    peak = int(np.argmax(curve))
    assert curve[peak] - curve[0] > 400                        # the bolus: +500 HU at its peak
    assert grey(curve[peak], 80, 40) == 1.0                    # white at 80/40 ...
    assert grey(curve[peak - 1], 80, 40) == 1.0                # ... and the time point before
    assert grey(curve[peak], state.window, state.level) < 1.0  # now below white at its peak
    assert grey(curve[peak - 1], state.window, state.level) < grey(curve[peak], state.window, state.level)
    assert state.level - state.window / 2 == 0.0               # the header's bottom kept: air black
    assert grey(35.0, state.window, state.level) > 0.0         # brain above black
    names = preset_names(volume)
    assert names[:2] == [HEADER, CONTRAST_RUN]
    assert preset_window_level(HEADER, volume) == (80.0, 40.0)
    no_header = Volume(volume.array, volume.ijk_to_ras, modality="CT", intensity_unit="HU",
                       axis4="time")                      # a NIfTI run: it opens at Contrast run
    assert no_header.header_window is None
    nifti = ViewerState.for_volume(no_header)
    assert grey(curve[peak], nifti.window, nifti.level) < 1.0


def test_a_run_without_contrast_a_3d_ct_and_an_mr_run_open_as_before(tmp_path):
    written = write_perfusion(tmp_path / "ctp", size=64, n_slices=2, n_times=4)
    volume = load(tmp_path / "ctp")
    flat = Volume(np.repeat(volume.array[..., :1], 4, axis=3), volume.ijk_to_ras,
                  modality="CT", intensity_unit="HU", axis4="time")
    flat.header_window = (80.0, 40.0)
    assert (ViewerState.for_volume(flat).window, ViewerState.for_volume(flat).level) == (80.0, 40.0)
    assert CONTRAST_RUN not in preset_names(flat)
    first = frame_volume(volume, 0)
    assert CONTRAST_RUN not in preset_names(first)
    mr = Volume(written.hu.astype(np.float32) + 1000, volume.ijk_to_ras, modality="MR", axis4="time")
    assert CONTRAST_RUN not in preset_names(mr)
