"""Two annotators working through one worklist folder (two windows, or two machines on a shared
folder): what one finishes is neither undone by the other's next change nor offered to the other
as its next case. Each window kept the statuses it read when it opened the worklist and wrote them
all back on every change, so the second annotator's *Next case* put the first one's case back to
`new` in the state file, and offered it to be labelled again."""

from __future__ import annotations

import json

from neuroview.dataset.worklist import Worklist
from tests.dataset.case_folder import case_folder


def _statuses(folder):
    state = json.loads((folder / ".neuroview-worklist.json").read_text())
    return {case_id: item["status"] for case_id, item in state["cases"].items()}


def test_a_case_one_annotator_finished_is_kept_and_not_offered_to_the_other(tmp_path):
    folder = case_folder(tmp_path, count=4)
    anna = Worklist.open(folder)
    assert anna.resume().case_id == "c01.nii.gz"
    ben = Worklist.open(folder)          # Ben opens the same worklist in his window

    anna.set_status("c01.nii.gz", "in_training_set", training_case="nv_0001")
    ben.set_status("c02.nii.gz", "in_training_set", training_case="nv_0002")

    assert _statuses(folder) == {"c01.nii.gz": "in_training_set", "c02.nii.gz": "in_training_set",
                                 "c03.nii.gz": "new", "c04.nii.gz": "new"}
    # Anna's Next case skips c02, which Ben sent to the training set meanwhile
    assert anna.next_case().case_id == "c03.nii.gz"
    assert _statuses(folder)["c02.nii.gz"] == "in_training_set"
    reopened = Worklist.open(folder)
    assert reopened.case("c01.nii.gz").training_case == "nv_0001"
    assert reopened.case("c02.nii.gz").training_case == "nv_0002"
    assert reopened.resume().case_id == "c03.nii.gz"


def test_two_annotators_are_given_different_cases(tmp_path):
    """Each annotator resumes on their own case, and Next case passes over the case another
    annotator has open (both used to start on c01, the one case the state file remembered)."""
    folder = case_folder(tmp_path, count=4)
    anna = Worklist.open(folder, user="anna")
    assert anna.resume().case_id == "c01.nii.gz"
    ben = Worklist.open(folder, user="ben")
    assert ben.resume().case_id == "c02.nii.gz"      # c01 is Anna's
    anna.set_status("c01.nii.gz", "in_training_set", training_case="nv_0001")
    assert anna.next_case().case_id == "c03.nii.gz"   # c02 is Ben's
    assert ben.next_case().case_id == "c04.nii.gz"

    # each finds their own case again the next day, whoever wrote the state file last
    assert Worklist.open(folder, user="anna").resume().case_id == "c03.nii.gz"
    assert Worklist.open(folder, user="ben").resume().case_id == "c04.nii.gz"
    # c02, which Ben left unfinished, is free again; when only cases others have open are left,
    # Next case offers one of them rather than saying that every case is done
    carol = Worklist.open(folder, user="carol")
    assert carol.resume().case_id == "c02.nii.gz"
    carol.set_status("c02.nii.gz", "in_training_set", training_case="nv_0002")
    assert carol.next_case().case_id in ("c03.nii.gz", "c04.nii.gz")


def test_opening_the_worklist_while_another_window_saves_loses_no_change(tmp_path, monkeypatch):
    """Opening the worklist deleted the temporary of a save another window was writing (taken for
    a killed save's leftover): that save failed, "worklist state not saved: No such file or
    directory", and its status was lost (in a walk, two windows' 40 changes: one failed per run)."""
    import threading

    from neuroview.core import atomic
    from neuroview.dataset import worklist as worklist_module

    folder = case_folder(tmp_path, count=4)
    anna = Worklist.open(folder, user="anna")
    anna.resume()
    opened = []
    other = threading.Thread(target=lambda: opened.append(Worklist.open(folder, user="ben")))

    def write_while_ben_opens(target, text, mode=None):
        with atomic.atomic_path(target, mode) as tmp:
            tmp.write_text(text, encoding="utf-8")
            other.start()
            other.join(timeout=1.0)   # ben's window opens the worklist now (it waits for the save)

    monkeypatch.setattr(worklist_module, "write_text_atomic", write_while_ben_opens)
    anna.set_status("c01.nii.gz", "in_training_set", "nv_0001")
    other.join(timeout=30)
    assert _statuses(folder)["c01.nii.gz"] == "in_training_set"
    assert opened and opened[0].case("c01.nii.gz").status == "in_training_set"


def test_a_labels_file_saved_over_is_no_longer_the_first_annotators(tmp_path):
    """ben saved c01-labels.nii.gz; anna, asked, replaced it with hers (*Replace theirs*): the
    state named the one file as both readers', so the lead's watch mode drew anna's labels twice,
    one layer named ben's, and *Adjudicate* compared anna with herself (session 52's team walk).
    The file is anna's alone now; ben's entry for another file stays."""
    folder = case_folder(tmp_path, count=2)
    shared, bens_own = folder / "c01-labels.nii.gz", folder / "c01-labels-ben.nii.gz"
    for path in (shared, bens_own):
        path.write_bytes(b"")
    Worklist.open(folder, user="ben").set_labels("c01.nii.gz", shared)
    Worklist.open(folder, user="anna").set_labels("c01.nii.gz", folder / "." / shared.name)
    case = Worklist.open(folder, user="lead").case("c01.nii.gz")
    assert case.labels_of == {"anna": str(shared.resolve())} and case.labels_by == "anna"

    Worklist.open(folder, user="ben").set_labels("c01.nii.gz", bens_own)
    case = Worklist.open(folder, user="lead").case("c01.nii.gz")
    assert case.labels_of == {"anna": str(shared.resolve()), "ben": str(bens_own.resolve())}
