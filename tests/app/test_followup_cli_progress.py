"""``neuroview followup``'s text progress is one count over the whole run (loading each study,
each comparison, the report), ``step k of n`` as the window's bar: it restarted at 0 % per stage."""

import numpy as np

from neuroview.io.nifti import save_nifti
from tests.app.followup_cases import grid, lesion_masks, rigid, sample


def test_one_progress_that_never_goes_back(mni_volume, tmp_path, monkeypatch):
    import neuroview.cli.progress
    from neuroview.cli.main import main

    bars, calls = [], []

    class Recorder:
        """A TextProgress that keeps what it is told."""

        def __init__(self, *args, **kwargs):
            bars.append(self)

        def __call__(self, done, total, text=""):
            calls.append((done / total if total > 0 else 0.0, text))

        def end_line(self):
            pass

    monkeypatch.setattr(neuroview.cli.progress, "TextProgress", Recorder)
    b_shape, b_affine = grid(mni_volume, (3.0, 3.0, 3.0))
    f_shape, f_affine = grid(mni_volume, (3.2, 2.8, 3.0), (12.0, -6.0, 9.0))
    truth = rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), mni_volume.center_ras)
    moved = np.linalg.inv(truth)
    save_nifti(sample(mni_volume, b_shape, b_affine), b_affine, tmp_path / "t1.nii.gz")
    save_nifti(lesion_masks(b_shape, b_affine, np.eye(4), False), b_affine, tmp_path / "t1_l.nii.gz")
    save_nifti(sample(mni_volume, f_shape, f_affine, moved), f_affine, tmp_path / "t2.nii.gz")
    save_nifti(lesion_masks(f_shape, f_affine, moved, True), f_affine, tmp_path / "t2_l.nii.gz")
    code = main(["followup", str(tmp_path / "t1.nii.gz"), str(tmp_path / "t2.nii.gz"),
                 "--labels-baseline", str(tmp_path / "t1_l.nii.gz"),
                 "--labels", str(tmp_path / "t2_l.nii.gz"),
                 "--brain-threshold", "--out", str(tmp_path / "out")])
    assert code == 0
    assert len(bars) == 1                                   # one bar, not one per stage
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and fractions[0] == 0.0
    said = {text.split(":")[0] for _, text in calls}
    assert said == {f"step {k} of 4" for k in range(1, 5)}  # baseline, follow-up, comparison, report
    comparing = [f for f, text in calls if text.startswith("step 3 of 4")]
    assert min(comparing) >= 0.5 and max(comparing) <= 0.75  # the comparison within its share


def test_a_line_printed_mid_bar_stands_on_its_own():
    import io

    from neuroview.cli.progress import TextProgress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = TextProgress(stream, min_interval=0.0)
    bar(1, 4, "step 1 of 4: loading")
    bar.end_line()
    stream.write("follow-up 1: 1 new\n")
    bar(4, 4, "step 4 of 4: written")
    bar.end_line()                                      # the bar ended its own line: no blank one
    lines = stream.getvalue().split("\n")
    assert lines[1] == "follow-up 1: 1 new" and lines[2].startswith("\r[####") and lines[3] == ""
    assert len(lines) == 4
