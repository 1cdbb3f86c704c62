"""An annotator's editing time under half a second reads ``< 1 s`` in ``dataset list`` (the case's
line and ``--by-annotator``), not ``0 s editing`` as if they had spent none; none at all stays
``0 s``."""

from __future__ import annotations

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map, noise_image


def test_a_moment_of_editing_reads_under_a_second(tmp_path, capsys):
    from neuroview.cli.main import main

    folder = init_dataset(tmp_path / "export", "Lesions", ["background", "lesion"])
    people = [{"annotator": "anna", "editing_seconds": 0.3, "hand_edits": 1, "sessions": 1},
              {"annotator": "bob", "editing_seconds": 0.0, "hand_edits": 0, "sessions": 1}]
    image = noise_image(1)
    add_case(folder, image, lesion_map(image),
             Provenance(annotator="anna", editing_seconds=0.3, annotators=people),
             links_path=tmp_path / "links.json")
    assert main(["dataset", "list", str(folder), "--by-annotator"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "(editing < 1 s (anna < 1 s, bob 0 s), added " in lines[1], lines[1]
    assert lines[-2:] == ["  anna  1 case, editing < 1 s (< 1 s a case), 1 edit by hand",
                          "  bob   1 case, editing 0 s (0 s a case)"], lines
