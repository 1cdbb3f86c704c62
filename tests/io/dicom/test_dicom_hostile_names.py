"""A folder someone hands you: loops of symbolic links, file names holding line breaks,
terminal escape sequences or bytes that are not UTF-8, header text holding them. The scan goes
on with the good files, and every line ``info`` prints stays one printable line."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
from raw_series import stored_pixels, write_raw_series

from neuroview.core.errors import NoImageFoundError
from neuroview.io import load, scan

STRICT_UTF8 = {"PYTHONIOENCODING": "utf-8:strict"}  # as a desktop's en_US.UTF-8 terminal
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_a_loop_of_symbolic_links_is_one_note_and_the_scan_goes_on(tmp_path, cli):
    folder = tmp_path / "study"
    write_raw_series(folder)
    os.symlink("b_link", folder / "a_link")
    os.symlink("a_link", folder / "b_link")
    os.symlink(".", folder / "self")  # a folder linking to itself: not followed
    found = scan(folder)
    (candidate,) = found.candidates
    assert candidate.shape == (12, 16, 5)
    assert sorted(found.notes) == [
        *(f"skipped {folder / name}: is a loop of symbolic links" for name in ("a_link", "b_link")),
        f"skipped {folder / 'self'}: is a link to a folder, not followed (open the folder it "
        "points to)"]
    assert np.array_equal(load(folder).array[:, :, 2], stored_pixels(2).T)
    done = cli("info", folder)  # was "internal error: OSError: [Errno 40] Too many levels..."
    assert done.returncode == 0, done.stderr
    assert "a_link: is a loop of symbolic links" in done.stdout
    converted = cli("convert", folder, tmp_path / "out.nii.gz")
    assert converted.returncode == 0, converted.stderr


def test_a_link_to_a_folder_is_named_not_followed(tmp_path, cli):
    """A link to ``..`` or ``/`` would have the scan read the whole disk; the folder was
    reported "empty" when it held only such a link."""
    write_raw_series(tmp_path / "elsewhere")
    only_link = tmp_path / "study"
    only_link.mkdir()
    os.symlink(tmp_path / "elsewhere", only_link / "series1")
    os.symlink("..", only_link / "up")
    with pytest.raises(NoImageFoundError) as caught:
        scan(only_link)
    assert "series1: is a link to a folder, not followed" in str(caught.value)
    done = cli("info", only_link)  # was: "folder is empty"
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "no image found (2 files skipped, e.g. skipped " in line
    assert "is a link to a folder, not followed" in line


def test_odd_file_names_are_escaped_on_one_line(tmp_path, cli):
    folder = tmp_path / "study"
    write_raw_series(folder)
    for name in ("line\nbreak.dcm", "esc\x1b[2Jclear.dcm"):
        (folder / name).write_bytes(b"")
    latin1 = os.fsdecode(os.fsencode(folder) + b"/sch\xe4del.dcm")  # ISO 8859-1, not UTF-8
    with open(latin1, "wb"):
        pass
    done = cli("info", folder, env=STRICT_UTF8)
    assert done.returncode == 0, done.stderr  # the Latin-1 name was a UnicodeEncodeError
    lines = done.stdout.splitlines()
    assert not [line for line in lines if UNPRINTABLE.search(line)]
    notes = sorted(line for line in lines if line.startswith("note: "))
    assert notes == sorted(f"note: skipped {folder}/{name}: file is empty (0 bytes)" for name in
                           ("line\\nbreak.dcm", "esc\\x1b[2Jclear.dcm", "sch\\xe4del.dcm"))
    assert lines[0].startswith("[1] #3 T1 | MR | 12x16x5")


def test_an_error_naming_an_odd_file_is_one_line(tmp_path, cli):
    bad = tmp_path / "evil\nname\x1b[31m.dcm"
    bad.write_bytes(b"\0" * 128 + b"DICM" + b"\1\2\3")
    done = cli("info", bad, env=STRICT_UTF8)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"neuroview: error: {tmp_path}/evil\\nname\\x1b[31m.dcm: ")


def test_a_series_description_holding_line_breaks_and_escapes_is_one_line(tmp_path, cli):
    write_raw_series(tmp_path / "s", SeriesDescription="T1\r\n[9] fake\x1b[31m")
    done = cli("info", tmp_path / "s", env=STRICT_UTF8)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "[1] #3 T1\\r\\n[9] fake\\x1b[31m | MR | 12x16x5 | 1x1x2 mm | LPS"
    assert len(lines) == 2 and lines[1].startswith("    format DICOM, 5 files")


@pytest.mark.parametrize("length", [1000, 70000])
def test_a_long_series_description_is_cut_where_it_is_shown(tmp_path, cli, length):
    """A SeriesDescription (64 characters at most by the standard) of 1000 or 70,000 characters
    (one over 64 kB is written as UN, unknown VR, and read as bytes) was shown whole: a 10 MB one
    made `info` print a 10 MB line, and bytes were shown as `b'DDD...'` (session 46's hostile
    campaign). Cut to 200 characters, its text, in `info`, the chooser and the window's title."""
    import warnings

    import pydicom

    folder = tmp_path / "study"
    for path in write_raw_series(folder):
        ds = pydicom.dcmread(path)
        ds.SeriesDescription = "D" * length
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # pydicom's note that it writes the element as UN
            ds.save_as(path)
    (candidate,) = scan(folder).candidates
    assert candidate.description == "D" * 197 + "..."
    done = cli("info", folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("[1] #3 " + "D" * 197 + "... | MR | 12x16x5")
