"""Readers named "consensus" or "none" (a SEG's ContentCreatorName is free text) keep their own
outline. Until session 35 a choice was the word itself: taking the reader ``none`` took nothing
(their lesion dropped), taking the reader ``consensus`` took the STAPLE consensus (their outline
merged into it), and ``--take 1=Consensus`` could not name a reader so called."""

from __future__ import annotations

import json

import numpy as np
import pytest
from readers_series import readers_series

from neuroview.app.case import Case
from neuroview.app.reader_choice import keyword_readers, typed_choice
from neuroview.app.readers import (
    AdjudicationPlan,
    apply_adjudication,
    compare_readers,
    provenance_path,
    save_adjudicated_seg,
)
from neuroview.core.errors import DatasetError
from neuroview.core.labels import LabelMap
from neuroview.dataset.adjudication import CONSENSUS, NOTHING
from neuroview.io.dicom.person_name import stored_name
from neuroview.io.seg import save_seg

READERS = ("Smith^Ann", "consensus", "none", "Consensus^")


@pytest.fixture(scope="module")
def readers(tmp_path_factory, mni_volume):
    """Four readers' SEGs beside a small series: a lesion all drew alike, and one lesion of each
    reader's own that nobody else saw (so neither the consensus nor nothing is that outline)."""
    folder = tmp_path_factory.mktemp("named-consensus")
    volume, headers = readers_series(folder, mni_volume)
    masks = {}
    for n, reader in enumerate(READERS):
        mask = np.zeros(volume.shape, bool)
        mask[2:8, 2:8, 2:5] = True                      # the lesion everyone drew
        mask[12:15, 3 + 5 * n:5 + 5 * n, 6:8] = True   # this reader's own
        masks[reader] = mask
        save_seg(LabelMap(mask.astype(np.uint8), volume.ijk_to_ras), headers,
                 folder / "study" / f"reader{n}.dcm", series_description=f"Lesions - reader {n}",
                 content_creator=reader)
    return volume, masks


def _own_lesion(plan, reader):
    return next(g.number for g in plan.groups if [n for n, v in g.voxels.items() if v] == [reader])


def test_a_reader_named_consensus_or_none_keeps_their_own_outline(readers, tmp_path):
    volume, masks = readers
    comparison = compare_readers(volume, None, "majority")
    # "Consensus^" (a family name alone, PS3.5 6.2.1.2) reads back "Consensus" since session 48
    names = [stored_name(reader) for reader in READERS]
    assert comparison.readers == names == ["Smith^Ann", "consensus", "none", "Consensus"]
    plan = AdjudicationPlan(comparison)
    # every reader is an option of their own, beside the consensus and nothing
    assert plan.options == names + [CONSENSUS, NOTHING]
    assert len(set(plan.options)) == len(plan.options)
    for name in names:
        plan.choose(_own_lesion(plan, name), name)
    shared = next(g.number for g in plan.groups if all(g.voxels.values()))
    plan.choose(shared, CONSENSUS)
    case = Case.open(volume, workspace=tmp_path / "ws")
    result = apply_adjudication(case, plan, "Sam Senior")
    for reader, name in zip(READERS, names):   # each one's own lesion: not dropped, not the consensus
        own = masks[reader].copy()
        own[2:8, 2:8, 2:5] = False
        assert result.voxels[_own_lesion(plan, name)] == own.sum() == 12
        assert np.array_equal(result.mask & own, own)
    assert np.array_equal(result.mask, np.logical_or.reduce(list(masks.values())))

    record = json.loads(provenance_path(save_adjudicated_seg(case, tmp_path / "adj.dcm")).read_text())
    taken = {x["lesion"]: (x["taken_from"], x["from_reader"]) for x in record["lesions"]}
    assert taken[shared] == ("consensus", False)
    assert taken[_own_lesion(plan, "consensus")] == ("consensus", True)
    assert taken[_own_lesion(plan, "none")] == ("none", True)
    case.close()


def test_typed_choices_name_such_readers_with_reader_prefix(readers):
    names = list(READERS)
    assert keyword_readers(names) == ["consensus", "none", "Consensus^"]
    assert typed_choice("consensus", names) is CONSENSUS and typed_choice("NONE", names) is NOTHING
    assert typed_choice("reader:none", names) == "none"
    assert typed_choice("reader:consensus", names) == "consensus"   # spelled exactly so, that one
    assert typed_choice("Reader: Ann Smith", names) == "Smith^Ann"
    assert typed_choice("reader:Consensus^", names) == "Consensus^"
    with pytest.raises(DatasetError, match=r"^'Consensus' names 2 readers: Ann Smith, consensus, none, "
                                           r"Consensus\^ \(or consensus, none\)$"):
        typed_choice("reader:Consensus", names)
