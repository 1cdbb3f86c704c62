"""A detached header whose data file is refused: the window's red bar says the header by name
and folder and then what the command line says after the header's path, word for word. The bar
named the header's folder a second time in a form of its own (``inside case in …/x``, from the
message's ``inside /tmp/.../case``); the message now says ``the folder of b.nhdr``."""

from __future__ import annotations

import pytest

from neuroview.cli.main import main

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

NRRD = ("NRRD0004\ntype: float\ndimension: 3\nsizes: 4 4 4\nspace directions: (1,0,0) (0,1,0) "
        "(0,0,1)\nencoding: raw\nendian: little\ndata file: {}\n\n")
MHD = "ObjectType = Image\nNDims = 3\nDimSize = 4 4 4\nElementType = MET_FLOAT\nElementDataFile = {}\n"


@pytest.mark.parametrize("header, named, said", [
    ("b.nhdr", "../../x/y.raw",
     "data file must be a relative path inside the folder of b.nhdr: it names a path through "
     "'..' (not shown)"),
    ("d.mhd", "/x/y.raw",
     "data file must be a relative path inside the folder of d.mhd: it names an absolute path "
     "(not shown)"),
    ("e.nhdr", "scan.raw", "data file 'scan.raw' points outside the folder of e.nhdr"),
])
def test_the_bar_says_what_the_command_says(qtbot, window, tmp_path, capsys, header, named, said):
    folder = tmp_path / "case"
    folder.mkdir()
    (tmp_path / "elsewhere.raw").write_bytes(bytes(256))
    (folder / "scan.raw").symlink_to(tmp_path / "elsewhere.raw")
    path = folder / header
    path.write_text((NRRD if header.endswith(".nhdr") else MHD).format(named))
    assert main(["info", str(path)]) != 0
    assert capsys.readouterr().err == f"neuroview: error: {path}: {said}\n"
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=10000)
    assert window.message_bar.shown == f"{header} in …/case: {said}"
