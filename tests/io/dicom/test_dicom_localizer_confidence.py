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
