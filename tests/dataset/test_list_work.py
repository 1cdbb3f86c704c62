"""``dataset list`` says what each annotator spent on a case and when: the editing time, the AI
click prompts and the time of the last correction and of the add, in local time. A lead
reviewing a team's day (session 41's walk) read only `by ann`: the time and prompts were in the
provenance JSON files alone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from neuroview.app.shown_time import shown_time
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map, noise_image


def test_the_list_gives_each_case_its_editing_time_prompts_and_times(tmp_path, capsys):
    from neuroview.cli.main import main

    folder = init_dataset(tmp_path / "export", "Lesions", ["background", "lesion"])
    corrected = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    clicks = {"objects": 2, "prompts": {"point+": 5, "point-": 2}, "prompt_count": 7, "seconds": 40}
    for seed, record in ((1, Provenance(annotator="ann", editing_seconds=500.4, corrected_at=corrected,
                                        interaction=clicks)),
                         (2, Provenance(annotator="bea", editing_seconds=45)),
                         (3, Provenance(annotator="cy"))):
        image = noise_image(seed)
        add_case(folder, image, lesion_map(image), record, links_path=tmp_path / "links.json")
    assert main(["dataset", "list", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    added = [line.rsplit("added ", 1)[1].rstrip(")") for line in lines]
    assert all(text.endswith(" today") for text in added), added
    assert lines[0].endswith(f"  (editing 8 min 20 s, AI click 7 prompts, corrected "
                             f"{shown_time(corrected)}, added {added[0]})"), lines[0]
    assert shown_time(corrected).startswith("yesterday ")
    assert lines[1].endswith(f"  (editing 45 s, added {added[1]})"), lines[1]
    assert lines[2].endswith(f"  (added {added[2]})"), lines[2]


def test_by_annotator_sums_each_annotators_effort(tmp_path, capsys):
    """``dataset list --by-annotator`` ends with one line per annotator: cases, editing time (in
    all and a case), edits by hand and AI click prompts, summed over their cases:
    a lead had to add up the case lines by hand (session 42's walk)."""
    from neuroview.cli.main import main

    folder = init_dataset(tmp_path / "export", "Lesions", ["background", "lesion"])
    clicks = {"objects": 1, "prompts": {"point+": 4}, "prompt_count": 4, "seconds": 10}
    for seed, record in ((1, Provenance(annotator="ann", editing_seconds=100, hand_edits=3)),
                         (2, Provenance(annotator="bea", editing_seconds=45, interaction=clicks)),
                         (3, Provenance(annotator="ann", editing_seconds=60.4, hand_edits=2)),
                         (4, Provenance())):
        image = noise_image(seed)
        add_case(folder, image, lesion_map(image), record, links_path=tmp_path / "links.json")
    assert main(["dataset", "list", str(folder)]) == 0
    assert "by annotator" not in capsys.readouterr().out    # the plain list as it was
    assert main(["dataset", "list", str(folder), "--by-annotator"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[5:] == ["by annotator:",
                         "  -    1 case",
                         "  ann  2 cases, editing 2 min 40 s (1 min 20 s a case), 5 edits by hand",
                         "  bea  1 case, editing 45 s (45 s a case), AI click 4 prompts"], lines
