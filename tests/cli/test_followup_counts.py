"""Counts in ``neuroview followup``'s lines agree with their nouns (session 32): "--labels names 1
mask(s) for 2 later stud(ies)", and "3 lesion table(s) per pair" for one table per pair."""

from __future__ import annotations


def test_a_missing_mask_is_counted_in_words(tmp_path, capsys):
    from neuroview.cli.main import main

    studies = [tmp_path / f"tp{n}.nii.gz" for n in (1, 2, 3)]
    code = main(["followup", *map(str, studies), "--labels-baseline", "b.nii.gz",
                 "--labels", "l1.nii.gz", "--out", str(tmp_path / "out")])
    assert code == 1
    assert capsys.readouterr().err == ("neuroview: error: --labels names 1 mask for 2 later studies: "
                                       "give one per later study, in the same order\n")
