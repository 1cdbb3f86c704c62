"""``dataset list`` says which cases were adjudicated, by whom and how many of the readers'
lesions were kept. It said nothing of it: in session 36's walk an adjudicated case (4 lesions,
one taken as "not a lesion") read as any case Ann Smith corrected."""

from __future__ import annotations

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map, noise_image

ADJUDICATION = {   # as apply_adjudication records it: lesion 3 taken as "not a lesion"
    "adjudicator": "Senior^Sam", "consensus": "STAPLE",
    "lesions": [{"lesion": 1, "taken_from": "Smith^Ann", "from_reader": True, "voxels": 9},
                {"lesion": 2, "taken_from": "consensus", "from_reader": False, "voxels": 4},
                {"lesion": 3, "taken_from": "none", "from_reader": False, "voxels": 0}],
    "readers": [{"reader": "Smith^Ann", "model": "", "found_on": "this computer"},
                {"reader": "Jones^Bob", "model": "", "found_on": "this computer"}]}


def test_the_list_names_the_adjudicator_and_the_lesions_kept(tmp_path, capsys):
    from neuroview.cli.main import main

    folder = init_dataset(tmp_path / "export", "Lesions", ["background", "lesion"])
    for seed, record in ((1, Provenance(annotator="Ann Smith", adjudication=ADJUDICATION)),
                         (2, Provenance(annotator="Ann Smith"))):
        image = noise_image(seed)
        add_case(folder, image, lesion_map(image), record, links_path=tmp_path / "links.json")
    assert main(["dataset", "list", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].endswith("  (adjudicated by Sam Senior: 2 of 3 lesions kept)"), lines[1]
    assert "adjudicated" not in lines[2]
