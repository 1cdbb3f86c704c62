"""NRRD ``sizes`` are read as the header writes them: pynrrd reads them through floats, so
``10.5`` was read as 10 (exit 0) and 2^63-1 as -2^63, said as a negative size (until session 36,
``bench/kinds_fuzz.py --only nhdr``). Each is one line naming the file, with what was written."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.core.errors import LoadError
from neuroview.io import load

HEADER = ("NRRD0004\ntype: short\ndimension: 3\nspace: right-anterior-superior\nsizes: {}\n"
          "space directions: (1.5,0,0) (0,1.5,0) (0,0,2)\nspace origin: (0,0,0)\nendian: little\n"
          "encoding: raw\n\n")


def _nrrd(tmp_path, sizes: str):
    path = tmp_path / "scan.nrrd"
    path.write_bytes(HEADER.format(sizes).encode() + np.arange(540, dtype="<i2").tobytes())
    return path


@pytest.mark.parametrize("sizes, problem", [
    ("10.5 9 6", "NRRD sizes must be whole numbers of voxels, not '10.5 9 6'"),
    ("10 9 6e0", "NRRD sizes must be whole numbers of voxels, not '10 9 6e0'"),
    ("9223372036854775807 1 1", "header declares absurd dimensions (9223372036854775807, 1, 1)"),
    # Python's words were the reason: "could not convert string to float: 'ten'"
    # (and the header's text is not quoted: it could be a patient's name)
    ("ten 9 6", "cannot read NRRD header (its sizes (value not shown) is not a number: damaged "
                "header)"),
    # a data file list's names, read by pynrrd as fields: "not enough values to unpack (expected
    # 2, got 1)"
    ("10 9 6\ndata file: LIST\nscan.raw", "NRRD data file lists are not supported"),
    ("10 9 6\nspace units\n", "cannot read NRRD header (a header line is not 'field: value')"),
])
def test_sizes_not_whole_or_past_int64_are_one_line(tmp_path, capsys, sizes, problem):
    path = _nrrd(tmp_path, sizes)
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == f"neuroview: error: {path}: {problem}"


def test_whole_sizes_read_as_before(tmp_path):
    volume = load(str(_nrrd(tmp_path, "10 9 6")))
    assert volume.array.shape == (10, 9, 6)
    np.testing.assert_array_equal(volume.array.ravel(order="F"), np.arange(540))


def test_a_negative_byte_skip_is_said_in_words(tmp_path, capsys):
    """pynrrd's "Invalid byteskip, allowed values are greater than or equal to -1" was the reason."""
    path = tmp_path / "scan.nrrd"
    path.write_bytes(HEADER.format("10 9 6").replace("encoding: raw\n", "encoding: raw\nbyte skip: -5\n")
                     .encode() + np.arange(540, dtype="<i2").tobytes())
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: NRRD header's byte skip -5 is negative (only -1 is allowed: "
        "the data end the file; damaged header)")


@pytest.mark.parametrize("encoding, data, held", [
    ("raw", np.arange(545, dtype="<i2").tobytes(), 545),   # 10 bytes more than the sizes make
    ("ascii", " ".join(map(str, range(530))).encode(), 530)])
def test_data_of_another_count_than_the_sizes_is_said_in_words(tmp_path, encoding, data, held):
    """pynrrd's arithmetic was the reason: "Size of the data does not equal the product of all
    the dimensions: 540-545=-5"."""
    path = tmp_path / "scan.nrrd"
    path.write_bytes(HEADER.format("10 9 6").replace("encoding: raw", f"encoding: {encoding}")
                     .encode() + data)
    with pytest.raises(LoadError) as caught:
        load(str(path))
    assert str(caught.value) == (
        f"{path}: cannot read NRRD (the data hold {held} values where the header's sizes make 540: "
        f"{'extra data' if held > 540 else 'data cut short'} or a damaged header)")


@pytest.mark.parametrize("magic, reason", [
    # pynrrd's "Invalid NRRD magic line: NRRD000x" (found by bench/kinds_fuzz.py, a flipped bit)
    ("NRRD000x", "its first line is not NRRD and a version number: damaged header"),
    ("NRRD0009", "NRRD version 9: neuroview reads versions 1 to 5")])
def test_a_magic_line_pynrrd_refuses_is_said_in_words(tmp_path, capsys, magic, reason):
    path = tmp_path / "scan.nrrd"
    path.write_bytes(HEADER.format("10 9 6").replace("NRRD0004", magic).encode()
                     + np.arange(540, dtype="<i2").tobytes())
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == f"neuroview: error: {path}: cannot read NRRD header ({reason})"


@pytest.mark.parametrize("dimension", ["9223372036854775808", "1000000000000", "4"])
def test_a_dimension_other_than_the_count_of_sizes_is_one_line(tmp_path, capsys, dimension):
    """A header without ``kinds`` whose ``dimension`` was 2^63 or 10^12 made a list of that many
    axes: `internal error: OverflowError: cannot fit 'int' into an index-sized integer` (or a
    MemoryError; ``bench/fuzz_readers.py --only nrrd,nhdr``, session 39)."""
    path = tmp_path / "scan.nrrd"
    text = HEADER.format("10 9 6").replace("dimension: 3", f"dimension: {dimension}")
    path.write_bytes(text.encode() + np.arange(540, dtype="<i2").tobytes())
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (f"neuroview: error: {path}: NRRD header gives 3 "
                                               f"sizes for {dimension} axes")


@pytest.mark.parametrize("field, value, reason", [
    ("sizes", "7" * 100000, "NRRD sizes hold a number of 100000 digits (damaged header)"),
    ("dimension", "7" * 100000, "cannot read NRRD header (a number of 100000 digits: damaged header)"),
    ("encoding", "7" * 100000, "cannot read NRRD (its encoding '7777777777"),
    ("data file", "7" * 100000, "data file '7777777777"),
])
def test_a_value_of_100000_characters_is_one_short_line(tmp_path, capsys, field, value, reason):
    """Numbers of 100,000 digits were `internal error: ValueError: Exceeds the limit (4300
    digits) for integer string conversion` (sizes) or that text as the reason (dimension); other
    values of 100,000 characters were printed whole, a line of 100 kB (``bench/fuzz_readers.py
    --only nrrd,nhdr``, session 39)."""
    path = tmp_path / "scan.nrrd"
    lines = [line if not line.startswith(f"{field}:") else f"{field}: {value}"
             for line in HEADER.format("10 9 6").splitlines()]
    if field == "data file":
        lines.insert(-1, f"data file: {value}")
    path.write_bytes("\n".join(lines).encode() + b"\n" + np.arange(540, dtype="<i2").tobytes())
    assert main(["convert", str(path), str(tmp_path / "out") + "/"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"neuroview: error: {path}: {reason}")
    assert "\n" not in err and len(err) < len(str(path)) + 200


@pytest.mark.parametrize("line, reason", [
    # Python's words for an empty vector: "string index out of range"
    ("space origin: ", "its space origin '' is not a vector in parentheses"),
    # pynrrd's, naming no field: "Vector should be enclosed by parentheses."
    ("space directions: -1", "its space directions '-1' is not a vector in parentheses"),
    ("space directions: ", "its space directions '' is not vectors of one length"),
])
def test_a_vector_pynrrd_cannot_parse_is_said_with_its_field(tmp_path, capsys, line, reason):
    """``bench/fuzz_readers.py --only nrrd,nhdr`` (session 39): 58 commands gave pynrrd's or
    Python's text as the reason, without the field."""
    path = tmp_path / "scan.nrrd"
    field = line.split(":")[0]
    lines = [line if old.startswith(field + ":") else old for old in HEADER.splitlines()]
    path.write_bytes("\n".join(lines).format("10 9 6").encode() + b"\n"
                     + np.arange(540, dtype="<i2").tobytes())
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (f"neuroview: error: {path}: cannot read NRRD "
                                               f"header ({reason}: damaged header)")
