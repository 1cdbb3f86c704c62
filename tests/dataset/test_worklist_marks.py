"""*Mark done* / *Mark not done* and *Previous case* in the worklist's state: a case counted done
only once sent or saved to PACS (an annotator could not say "finished" of a case they checked and
left as it was, nor take a sent case back); *Previous case* did not exist. The mark is kept in the
state file, written atomically: a kill leaves the state before or after the change."""

from __future__ import annotations

import json
import random

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.worklist import Worklist
from tests.dataset.case_folder import case_folder
from tests.durability import fork_killed


def _saved(folder) -> dict:
    return json.loads((folder / ".neuroview-worklist.json").read_text())["cases"]


def test_a_case_marked_done_is_passed_over_by_every_annotator(tmp_path):
    folder = case_folder(tmp_path, count=3)
    anna = Worklist.open(folder, user="anna")
    assert anna.resume().case_id == "c01.nii.gz"
    anna.mark_done("c02.nii.gz")
    assert _saved(folder)["c02.nii.gz"]["mark"] == "done"
    assert _saved(folder)["c02.nii.gz"]["status"] == "new"          # its status stays
    assert anna.next_case().case_id == "c03.nii.gz"                 # past c02

    ben = Worklist.open(folder, user="ben")                          # another annotator, later
    assert ben.case("c02.nii.gz").done and ben.case("c02.nii.gz").mark == "done"
    anna.mark_done("c01.nii.gz")
    anna.mark_done("c03.nii.gz")
    assert ben.next_case() is None                                   # every case is done

    anna.mark_done("c02.nii.gz", done=False)                         # Mark not done
    assert "mark" not in _saved(folder)["c02.nii.gz"]
    assert ben.next_case().case_id == "c02.nii.gz"


def test_mark_not_done_takes_a_sent_case_back_until_it_is_sent_again(tmp_path):
    folder = case_folder(tmp_path, count=2)
    anna = Worklist.open(folder, user="anna")
    anna.resume()
    anna.set_status("c02.nii.gz", "in_training_set", training_case="nv_0001")
    assert anna.next_case().case_id == "c01.nii.gz"                  # c02 is done: passed over
    anna.mark_done("c02.nii.gz", done=False)
    saved = _saved(folder)["c02.nii.gz"]
    assert (saved["mark"], saved["status"], saved["training_case"]) == \
        ("not done", "in_training_set", "nv_0001")
    assert Worklist.open(folder, user="ben").next_case().case_id == "c02.nii.gz"
    anna.set_status("c02.nii.gz", "in_training_set", training_case="nv_0002")   # sent again
    assert "mark" not in _saved(folder)["c02.nii.gz"]
    assert Worklist.open(folder, user="carl").case("c02.nii.gz").done


def test_previous_case_goes_back_in_list_order_past_unreadable_and_held_cases(tmp_path):
    folder = case_folder(tmp_path, count=4)
    anna = Worklist.open(folder, user="anna")
    anna.open_case("c04.nii.gz")
    anna.set_status("c03.nii.gz", "in_training_set", training_case="nv_0001")
    back = anna.previous_case()
    assert back.case_id == "c03.nii.gz" and anna.passed_over == {}   # done cases too: to look again
    assert json.loads((folder / ".neuroview-worklist.json").read_text())["stopped_at"] == \
        {"anna": "c03.nii.gz"}

    Worklist.open(folder, user="ben").open_case("c02.nii.gz")         # ben's window has it open
    anna.set_unreadable("c01.nii.gz", "no image found")
    assert anna.previous_case() is None                               # nothing before but those
    assert anna.passed_over == {"c02.nii.gz": "ben (a window on " + _host() + ")"}
    assert anna.current == "c03.nii.gz" and anna.holding               # it stays where it was

    anna.set_unreadable("c01.nii.gz", "")
    assert anna.previous_case().case_id == "c01.nii.gz"
    assert list(anna.passed_over) == ["c02.nii.gz"]
    assert anna.previous_case() is None and anna.passed_over == {}     # the first case: no wrap


def test_next_case_names_the_held_cases_it_passed_over(tmp_path):
    folder = case_folder(tmp_path, count=3)
    anna = Worklist.open(folder, user="anna")
    anna.resume()
    Worklist.open(folder, user="ben").open_case("c02.nii.gz")
    assert anna.next_case().case_id == "c03.nii.gz"
    assert anna.passed_over == {"c02.nii.gz": f"ben (a window on {_host()})"}
    assert anna.next_case().case_id == "c01.nii.gz" and anna.passed_over == {}


def _host() -> str:
    import socket

    return socket.gethostname()


def _mark(folder, case_id, done, kill_at_rename=False):
    """Mark ``case_id`` in a window of its own; ``kill_at_rename``: SIGKILLed once the new state
    is written and synced beside the state file, before it takes the state file's place."""
    import os
    import signal

    worklist = Worklist.open(folder, user="anna")
    if kill_at_rename:
        real = os.replace

        def replace(source, target, *args, **kwargs):
            if str(target).endswith(".neuroview-worklist.json"):
                os.kill(os.getpid(), signal.SIGKILL)
            return real(source, target, *args, **kwargs)

        os.replace = replace   # (in the forked copy only)
    worklist.mark_done(case_id, done)


def test_a_mark_killed_while_it_is_written_leaves_the_state_before_it(tmp_path):
    folder = case_folder(tmp_path, count=2)
    Worklist.open(folder, user="anna").mark_done("c01.nii.gz")
    code, err = fork_killed(_mark, folder, "c02.nii.gz", True, True)
    assert code == -9, err
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("..neuroview")), \
        "the kill leaves the temporary beside the state file"
    assert _saved(folder)["c01.nii.gz"]["mark"] == "done" and "mark" not in _saved(folder)["c02.nii.gz"]
    again = Worklist.open(folder, user="ben")                 # clears the kill's temporary
    assert [p.name for p in folder.iterdir() if p.name.startswith("..neuroview")] == []
    assert again.case("c01.nii.gz").done and not again.case("c02.nii.gz").done
    code, err = fork_killed(_mark, folder, "c02.nii.gz", True)
    assert code == 0, err
    assert Worklist.open(folder, user="ben").next_case() is None


def _toggle(folder, seed):
    rng = random.Random(seed)
    worklist = Worklist.open(folder, user="anna")
    while True:
        worklist.mark_done(f"c0{rng.randint(1, 3)}.nii.gz", rng.random() < 0.5)


def test_marks_killed_at_random_moments_leave_a_state_that_reads(tmp_path):
    folder = case_folder(tmp_path, count=3)
    # the state file first, as after a first mark: on a loaded machine a copy killed 0.05 s in
    # had not written it yet (FileNotFoundError in _saved, no state to test)
    Worklist.open(folder, user="anna").mark_done("c01.nii.gz", False)
    for seed in range(6):
        code, err = fork_killed(_toggle, folder, seed, delay=0.05 + 0.04 * seed)
        assert code == -9, err
        saved = _saved(folder)                                 # whole JSON, every case in it
        assert sorted(saved) == ["c01.nii.gz", "c02.nii.gz", "c03.nii.gz"]
        assert {item.get("mark", "") for item in saved.values()} <= {"", "done"}
        worklist = Worklist.open(folder, user="ben")
        assert worklist.warnings == []                         # no state kept aside as broken
        assert {c.case_id for c in worklist.cases if c.done} == \
            {k for k, item in saved.items() if item.get("mark") == "done"}


def test_a_claim_names_the_reader_the_annotator_gave(tmp_path):
    """The claim named the login only (``anna``): a team knows its readers by the name they give
    neuroview (``app.reader_name``, *Save to PACS*, *Make worklist*)."""
    folder = case_folder(tmp_path, count=3)
    anna = Worklist.open(folder, user="anna")
    anna.reader = "Smith^Ann"
    anna.resume()
    claims = json.loads((folder / ".neuroview-worklist.json").read_text())["open_by"]
    assert [(c["user"], c["reader"], c["case"]) for c in claims.values()] == \
        [("anna", "Smith^Ann", "c01.nii.gz")]
    ben = Worklist.open(folder, user="ben")
    assert ben.holders("c01.nii.gz") == {anna.key: f"Ann Smith (a window of anna on {_host()})"}
    assert ben.others == {"Ann Smith": "c01.nii.gz"}
    assert ben.next_case().case_id == "c02.nii.gz"                # anna's c01 passed over, named
    assert ben.passed_over == {"c01.nii.gz": f"Ann Smith (a window of anna on {_host()})"}
    assert anna.next_case().case_id == "c03.nii.gz"               # ben's c02 passed over
    assert anna.passed_over == {"c02.nii.gz": f"ben (a window on {_host()})"}


def test_a_case_skipped_or_sent_back_carries_its_note_to_the_others(tmp_path):
    """A case skipped with a reason (marked done) or sent back with a comment (marked not done)
    keeps those words in the state file for every annotator, with who wrote them; a plain mark
    or a send takes them away. Until session 42 a mark said nothing of why."""
    from neuroview.dataset.worklist_counts import done_why

    folder = case_folder(tmp_path, count=3)
    ben, lead = Worklist.open(folder, user="ben"), Worklist.open(folder, user="lead")
    ben.mark_done("c02.nii.gz", note="  motion, \n unusable ")
    assert _saved(folder)["c02.nii.gz"]["note"] == {"text": "motion, unusable", "by": "ben"}
    lead.refresh()
    skipped = lead.case("c02.nii.gz")
    assert (skipped.done, skipped.note, skipped.note_by) == (True, "motion, unusable", "ben")
    assert done_why(skipped) == ("marked done (File > Worklist > Mark done); ben skipped this case: "
                                 "motion, unusable")

    ben.set_status("c01.nii.gz", "in_training_set", "nv_0001")
    lead.mark_done("c01.nii.gz", done=False, note="lesion 3 missed")   # sent back
    ben.refresh()
    back = ben.case("c01.nii.gz")
    assert not back.done and back.note_by == "lead"
    assert done_why(back).endswith("lead sent this case back: lesion 3 missed")
    assert ben.next_case().case_id == "c01.nii.gz"

    ben.set_status("c01.nii.gz", "in_training_set", "nv_0001")        # corrected and sent again
    ben.mark_done("c02.nii.gz")                                        # a plain mark
    again = Worklist.open(folder, user="other")
    assert [(c.note, c.note_by) for c in again.cases] == [("", "")] * 3
    assert "note" not in json.dumps(_saved(folder))


def test_sending_back_a_case_not_done_is_refused_and_marks_nothing(tmp_path):
    """*Send back...* is greyed out in the window for a case not done; the API took it and the
    others read ``lead sent this case back: lesion 3 missed`` of a case nobody had finished."""
    from neuroview.dataset.worklist_counts import done_why

    folder = case_folder(tmp_path, count=2)
    lead = Worklist.open(folder, user="lead")
    lead.mark_done("c02.nii.gz", note="motion")                        # skipped, with a reason
    before = (folder / ".neuroview-worklist.json").read_text()
    with pytest.raises(DatasetError) as refused:
        lead.mark_done("c01.nii.gz", done=False, note="lesion 3 missed")
    assert str(refused.value) == ("c01.nii.gz is not done (not sent, saved to PACS nor marked "
                                  "done): there is nothing to send back; nothing was marked")
    assert (folder / ".neuroview-worklist.json").read_text() == before
    ben = Worklist.open(folder, user="ben")
    assert done_why(ben.case("c01.nii.gz")) == ""
    ben.mark_done("c02.nii.gz", done=False, note="not motion: redo")   # a done case: sent back
    assert done_why(Worklist.open(folder, user="x").case("c02.nii.gz")) == \
        "ben sent this case back: not motion: redo"
