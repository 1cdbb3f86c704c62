"""A NRRD or MetaImage header's text never reaches a message: a damaged or hostile header holding
a patient's name (:data:`tests.private_values.MARKER`) in a type, an encoding, an endian, a number
or vector field, or as a field's name is refused in one line naming the file and the field, the
value ``(value not shown)``. (Until session 44 neuroview's own lines and pynrrd's quoted it:
``NRRD type 'ZZSECRET^PATIENT' is not a NRRD type``, ``Unsupported encoding: ZZSECRET^PATIENT``;
an axis kind until session 44's privacy round: ``got kinds ['zzsecret^patient', 'domain', ...]``.)"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from neuroview.cli.main import main
from tests.private_values import MARKER

VOXELS = np.arange(4 * 5 * 6, dtype="<i2").tobytes()
NRRD = ("NRRD0004\ntype: short\ndimension: 3\nsizes: 4 5 6\nencoding: raw\nendian: little\n"
        "space: left-posterior-superior\nspace directions: (1,0,0) (0,1,0) (0,0,1)\n"
        "space origin: (0,0,0)\n")
MHA = ("ObjectType = Image\nNDims = 3\nDimSize = 4 5 6\nElementType = MET_SHORT\n"
       "ElementSpacing = 1 1 1\nOffset = 0 0 0\nTransformMatrix = 1 0 0 0 1 0 0 0 1\n"
       "ElementDataFile = LOCAL\n")


@pytest.mark.parametrize("name, old, new, said", [
    ("type.nrrd", "type: short", f"type: {MARKER}", "NRRD type (value not shown) is not a NRRD type"),
    ("encoding.nrrd", "encoding: raw", f"encoding: {MARKER}",
     "cannot read NRRD (its encoding (value not shown) is not one NRRD defines)"),
    ("endian.nrrd", "endian: little", f"endian: {MARKER}",
     "NRRD endian (value not shown) is neither little nor big"),
    ("sizes.nrrd", "sizes: 4 5 6", f"sizes: 4 {MARKER} 6",
     "cannot read NRRD header (its sizes (value not shown) is not a number: damaged header)"),
    ("origin.nrrd", "space origin: (0,0,0)", f"space origin: ({MARKER},0,0)",
     "its space origin (value not shown) is not a number: damaged header"),
    ("directions.nrrd", "(0,1,0)", f"(0,{MARKER},0)",
     "its space directions (value not shown) is not a number: damaged header"),
    ("kinds.nrrd", "encoding: raw", f"encoding: raw\nkinds: {MARKER} domain domain",
     "expected 3 spatial axes (+1 optional), got kinds (value not shown), 'domain', 'domain'"),
    ("twice.nrrd", "type: short", f"type: short\n{MARKER}: 1\n{MARKER}: 2",
     "its field (value not shown) is given twice: damaged header"),
    ("element.mha", "MET_SHORT", MARKER,
     "header's ElementType (value not shown) is not one of MetaIO's number types"),
    ("dims.mha", "NDims = 3", f"NDims = {MARKER}", "header's NDims is not a number"),
    ("size.mha", "DimSize = 4 5 6", f"DimSize = 4 {MARKER} 6", "header's DimSize is not 3 numbers"),
    ("list.mha", "= LOCAL", f"= LIST {MARKER}", "over several files are not read: its ElementDataFile "
     "(value not shown) is a LIST of files; save it as one .mha"),
    ("pattern.mha", "= LOCAL", f"= {MARKER}%03d.raw 1 7 1", "its ElementDataFile (value not shown) "
     "is a numbered file pattern ('%')"),
    ("names.mha", "= LOCAL", f"= {MARKER} 2.raw", "its ElementDataFile (value not shown) is "
     "several names"),
])
def test_a_name_in_a_header_field_is_refused_without_quoting_it(tmp_path, capsys, caplog, name,
                                                               old, new, said):
    header = NRRD if name.endswith(".nrrd") else MHA
    assert old in header
    path = tmp_path / name
    path.write_bytes(header.replace(old, new).encode() + b"\n" * name.endswith(".nrrd") + VOXELS)
    with caplog.at_level(logging.DEBUG):
        assert main(["convert", str(path), str(tmp_path / "out.nii.gz")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"neuroview: error: {path}: ") and said in err and err.count("\n") == 1
    assert MARKER not in err + caplog.text
    assert MARKER.split("^")[0] not in err + caplog.text


def test_a_header_value_written_as_numbers_is_still_quoted(tmp_path, capsys):
    """What helps a user mend a file stays: a number field's digits are said as they are."""
    path = tmp_path / "sizes.nrrd"
    path.write_bytes(NRRD.replace("sizes: 4 5 6", "sizes: 4.5 5 6").encode() + b"\n" + VOXELS)
    assert main(["info", str(path)]) == 1
    assert "NRRD sizes must be whole numbers of voxels, not '4.5 5 6'" in capsys.readouterr().err
