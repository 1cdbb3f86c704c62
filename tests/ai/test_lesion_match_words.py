"""MSSEG-2016's verdict on each lesion and region, in the words the README's lesion pictures and
``packaging/make_demo_lesions.py --check`` print (``metrics.match_masks``, ``region_kinds``):
both used to count any overlap, so a lesion wholly inside one huge region was "found" and a
sliver inside a lesion was no false region."""

from __future__ import annotations

import importlib.util
import re

import numpy as np

from neuroview.ai.metrics import lesion_metrics, match_masks, region_kinds
from tests.checkout import REPO


def masks():
    truth = np.zeros((40, 40, 40), bool)
    for x in (5, 15, 25):
        truth[x:x + 4, 5:9, 5:9] = True                  # three 64-voxel lesions
    prediction = np.zeros_like(truth)
    prediction[5:9, 5:9, 5:8] = True                     # 48 of lesion 1: a true region
    prediction[15, 5:9, 5:7] = True                      # 8 of lesion 2 (12.5 %): finds it, too thin
    prediction[22:32, 2:12, 2:12] = True                 # all of lesion 3 in 1000 voxels: 6.4 % in it
    prediction[33:36, 33:36, 33:36] = True               # far from every lesion
    return truth, prediction


def test_each_lesion_and_region_gets_the_rules_verdict_in_words():
    truth, prediction = masks()
    m = match_masks(prediction, truth)
    lesion = {x: m.true_labels[x, 6, 6] - 1 for x in (5, 15, 25)}
    assert [bool(m.found[lesion[x]]) for x in (5, 15, 25)] == [True, True, False]
    assert [round(float(m.marked[lesion[x]]), 3) for x in (5, 15, 25)] == [0.75, 0.125, 1.0]
    kinds = region_kinds(m)
    said = {name: kinds[m.pred_labels[voxel] - 1] for name, voxel in
            (("inside 1", (5, 6, 6)), ("sliver", (15, 6, 5)), ("huge", (30, 3, 3)), ("far", (34, 34, 34)))}
    assert said == {"inside 1": "true", "sliver": "too small a part", "huge": "mostly outside",
                    "far": "false"}
    figures = lesion_metrics(prediction, truth, (1, 1, 1))
    assert figures["found"] == 2 and figures["false_positives"] == len(kinds) - kinds.count("true") == 3


def test_the_demo_check_prints_the_rules_verdicts():
    spec = importlib.util.spec_from_file_location("make_demo_lesions",
                                                  REPO / "packaging" / "make_demo_lesions.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    truth, prediction = masks()
    lines, missed = script.lesion_lines(prediction, truth, np.eye(4))
    assert missed == 1
    assert lines[0].endswith("found 2/3, 3 false of 4 regions (MSSEG-2016 rule)")
    lesions = [re.search(r"(\d+)% of its voxels marked, (found|missed)$", line).groups()
               for line in lines if line.startswith("true lesion")]
    assert sorted(lesions) == [("100", "missed"), ("12", "found"), ("75", "found")]
    regions = [line.rsplit(": ", 1)[1] for line in lines if line.startswith("model region")]
    assert regions == ["false, mostly outside the lesions", "true", "false, no true lesion here",
                       "false, too small a part of a lesion marked"]
