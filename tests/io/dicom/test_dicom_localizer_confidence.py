"""The parts a localizer series is split into (one per plane, ImageType LOCALIZER) are equal
evidence and get equal confidence. A three-plane localizer listed 0.80, 0.50 and 0.50 under
identical warnings: a part after the first lost the "split" penalty, which ranks the parts of a
series split for reasons nothing explains, not planes kept apart on purpose."""

from __future__ import annotations

import re

from pydicom.uid import generate_uid

from neuroview.cli.main import main
from neuroview.io import scan

LOCALIZER = ("ORIGINAL", "PRIMARY", "LOCALIZER")


def test_the_planes_of_a_localizer_have_one_confidence(make_series, capsys):
    uid = generate_uid()
    for folder, plane, instance in [("a", "axial", 1), ("b", "sagittal", 2), ("c", "coronal", 3)]:
        made = make_series(f"three-plane/{folder}", orientation=plane, n_slices=1,
                           first_instance=instance, series_uid=uid, description="loc",
                           image_type=LOCALIZER)
    folder = made.folder.parent
    candidates = scan(folder).candidates
    assert [c.orientation for c in candidates] == ["LPS", "PIR", "LIP"]
    assert len({tuple(c.warnings) for c in candidates}) == 1
    assert [c.confidence for c in candidates] == [0.8, 0.8, 0.8]  # a one-image series: 0.8

    assert main(["info", str(folder)]) == 0
    shown = re.findall(r"confidence[ =:]*([0-9.]+)", capsys.readouterr().out)
    assert shown == ["0.80"] * 3


def test_scouts_beside_an_axial_series_rank_alike_and_below_it(make_series):
    uid = generate_uid()
    common = dict(modality="CT", series_uid=uid, description="HEAD", series_number=5)
    axial = make_series("scout-confidence/axial", n_slices=20, **common)
    for plane, seed in (("coronal", 9), ("sagittal", 11)):
        make_series(f"scout-confidence/axial/{plane}", orientation=plane, n_slices=1,
                    image_type=LOCALIZER, seed=seed, **common)
    result = scan(axial.folder)
    assert [(c.description, c.confidence) for c in result.candidates] == [
        ("HEAD", 1.0), ("HEAD (localizer)", 0.8), ("HEAD (localizer)", 0.8)]
    assert result.best() is result.candidates[0]


def test_a_one_image_series_says_why_it_lost_confidence(make_series, tmp_path, capsys):
    """A one-image series lists 0.80: the warnings say why (no slice step to measure, the depth
    taken from SliceThickness, or 1 mm without one), as every other lost confidence is said;
    until session 31 it lost 0.20 under no warning at all."""
    import shutil

    import pydicom

    one = make_series("one-image/with-thickness", n_slices=1, description="key image")
    (candidate,) = scan(one.folder).candidates
    assert candidate.confidence == 0.8
    assert candidate.warnings == ["one image: no slice step to measure, its depth is its slice "
                                  "thickness (4 mm)"]
    bare = tmp_path / "no-thickness"
    shutil.copytree(one.folder, bare)
    (path,) = [p for p in bare.iterdir() if p.is_file()]
    ds = pydicom.dcmread(path)
    del ds.SliceThickness
    ds.save_as(path)
    (candidate,) = scan(bare).candidates
    assert candidate.warnings == ["one image: no slice step to measure, its depth is 1 mm (no "
                                  "slice thickness)"]
    assert main(["info", str(bare)]) == 0
    assert "its depth is 1 mm (no slice thickness)" in capsys.readouterr().out


def test_a_scout_is_not_preferred_to_a_tilted_head_ct(make_series):
    """A folder of a CT scout (its own series, ImageType LOCALIZER) and a gantry-tilted head
    (confidence 0.90 for the tilt): the head is what opens unasked (the window preselected the
    scout, confidence 1.00, and ``convert`` wrote it)."""
    common = dict(modality="CT", intercept=-1024.0)
    make_series("tilted/study/scout", orientation="axial", n_slices=3, slice_step=40, series_number=1,
                description="Scout", image_type=LOCALIZER, seed=3, **common)
    head = make_series("tilted/study", orientation="gantry 15", n_slices=12, series_number=2,
                       description="Head", tilt_mm_per_slice=4.0 * 0.2679, seed=4, **common)
    result = scan(head.folder)
    assert [c.description for c in result.candidates] == ["Scout", "Head"]
    assert result.candidates[0].confidence > result.candidates[1].confidence   # the tilt's cost
    assert result.best() is result.candidates[1]
    assert [c.localizer for c in result.candidates] == [True, False]
