"""*Send to training set* cancelled (Cancel in the window's job bar) while the case is written:
nothing of it is kept, neither its files nor its private link row, and the next send adds it as
the first case. Until session 35 the send ignored Cancel: the bar said "Cancelling" and the case
was added all the same."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from neuroview.core.errors import Cancelled
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import add_case, list_cases
from tests.dataset.label_maps import lesion_map


def test_a_cancelled_add_keeps_nothing_and_the_next_one_adds(tmp_path, small_mr):
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    links = tmp_path / "links.json"
    with pytest.raises(Cancelled):
        add_case(folder, small_mr, lesion_map(small_mr), links_path=links,
                 cancel=SimpleNamespace(cancelled=True))
    for sub in ("imagesTr", "labelsTr", "provenance"):
        assert os.listdir(folder / sub) == []
    assert not any(Path(folder, ".staging").glob("*"))
    assert not links.exists() or not json.loads(links.read_text()).get("cases")
    assert list_cases(folder) == []
    record = add_case(folder, small_mr, lesion_map(small_mr), links_path=links,
                      cancel=SimpleNamespace(cancelled=False))
    assert record.case == "nv_0001" and [r.case for r in list_cases(folder)] == ["nv_0001"]
