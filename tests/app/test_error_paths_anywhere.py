"""A message names a file by its name and folder wherever the path stands in it (``short_error``):
bare in a sentence, quoted (with spaces), as a ``file://`` URL, in Windows' forms, several in a
line. Until session 39 a path was found only before ``": "`` or quoted after it, so that ``pump
fault in /home/ana/cases/doe/head.nii.gz`` reached the notice bar and the log whole."""

from __future__ import annotations

import pytest

from neuroview.app.error_paths import short_error
from neuroview.core.named_paths import logged_traceback

HOME = "/home/ana"

CASES = [   # (message, as shown): each of these kept a whole path before session 39
    ("pump fault in /home/ana/cases/doe_john/head.nii.gz",
     "pump fault in head.nii.gz in …/doe_john"),
    ("pump fault in /home/ana/cases/head.nii.gz", "pump fault in head.nii.gz in ~/cases"),
    ("pump fault in /data/cases/doe_john/head.nii.gz.",
     "pump fault in head.nii.gz in …/doe_john."),
    ("cannot copy /data/a/doe_john/t1.nii to /mnt/b/roe_jane/t1.nii (no space)",
     "cannot copy t1.nii in …/doe_john to t1.nii in …/roe_jane (no space)"),
    ("reading '/data/cases/doe john/head 2.nii.gz' failed",
     "reading head 2.nii.gz in …/doe john failed"),
    ('reading "/data/cases/o\'brien/x.nii" failed', "reading x.nii in …/o'brien failed"),
    ("open file:///data/cases/doe%20john/x.nii now", "open x.nii in …/doe john now"),
    ("open file:///C:/cases/doe_john/x.nii now", "open x.nii in …\\doe_john now"),
    ("read C:\\Users\\Ana Doe\\cases\\doe_john\\x.nii failed", "read x.nii in …\\doe_john failed"),
    ("read 'C:\\cases\\doe john\\x.nii' failed", "read x.nii in …\\doe john failed"),
    ("read \\\\server\\share\\doe_john\\x.nii failed", "read x.nii in …\\doe_john failed"),
    ("PosixPath('/data/cases/doe_john/x.nii') is not a file",
     "PosixPath(x.nii in …/doe_john) is not a file"),
    ("series in /tmp/nv home/doe_john/dicom skipped", "series in dicom in …/doe_john skipped"),
    ("bad (see /data/doe_john/file(1).nii)", "bad (see file(1).nii in …/doe_john)"),
]


@pytest.mark.parametrize("text, shown", CASES)
def test_a_path_anywhere_is_named_by_file_and_folder(text, shown):
    assert short_error(text, home=HOME) == shown


def test_what_is_no_path_is_left_as_it_was():
    text = ("and/or 1/2 mm / s http://host/a/b/c: see https://x.org/a/b; in / and C:\\ "
            "named before: x.nii in …/doe, y.nii in ~/cases, z.nii in …\\doe")
    assert short_error(text, home=HOME) == text


def test_a_logged_traceback_names_its_files_short_and_keeps_the_frames():
    where = "/nonexistent/cases/doe_john/head.nii.gz"

    def load():
        try:
            open(where)
        except OSError as exc:
            raise RuntimeError(f"pump fault in {where}") from exc
    with pytest.raises(RuntimeError) as caught:
        load()
    text = logged_traceback(caught.value)
    assert "/nonexistent/cases" not in text and "doe_john" in text
    assert "RuntimeError: pump fault in head.nii.gz in …/doe_john" in text
    assert "No such file or directory: head.nii.gz in …/doe_john" in text
    assert f'File "{__file__}"' in text and "in load" in text        # the code's own frames


def test_a_long_line_is_named_in_linear_time():
    """A first finder took 74 s on this 40 000-character line (a path form tried at every '/')."""
    import time

    start = time.perf_counter()
    shown = short_error("/a" * 20000 + "/doe_john/x.nii: bad", home=HOME)
    assert shown == "x.nii in …/doe_john: bad" and time.perf_counter() - start < 2.0
