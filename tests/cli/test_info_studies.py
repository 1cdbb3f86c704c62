"""``neuroview info`` on pydicom's DICOMDIR test studies: the "T/S/C RF FAST PILOT" series of the
Brain and Brain-MRA studies share series number 2 and description, and split into the same three
parts; each candidate's listing names its study and time (as dcm2niix names its files), so no two
read alike, and the names are those pydicom reads from the files."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


PILOT = "T/S/C RF FAST PILOT"


def dicomdir() -> Path:
    from pydicom.data import get_testdata_file

    path = get_testdata_file("DICOMDIR")
    if path is None or Path(path).parent.name != "dicomdirtests":
        pytest.skip("pydicom's dicomdirtests DICOMDIR is not installed")
    return Path(path)


def pilot_origins(folder: Path) -> set[str]:
    """What each PILOT file says, read by pydicom alone: 'study DESC YYYY-MM-DD, time HH:MM:SS'."""
    origins = set()
    for path in folder.rglob("*"):
        if not path.is_file() or path.name.startswith(("DICOMDIR", "README", "TINY")):
            continue
        ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
        if str(ds.get("SeriesDescription", "")) != PILOT:
            continue
        day, time = str(ds.StudyDate), str(ds.get("AcquisitionTime") or ds.SeriesTime)
        origins.add(f"study {ds.StudyDescription} {day[:4]}-{day[4:6]}-{day[6:]}, "
                    f"time {time[:2]}:{time[2:4]}:{time[4:6]}")
    return origins


def blocks(stdout: str) -> list[list[str]]:
    found: list[list[str]] = []
    for line in stdout.splitlines():
        if line.startswith("["):
            found.append([line.split("] ", 1)[1]])
        elif found and line.startswith("    ") and not line.strip().startswith(("format", "warning")):
            found[-1].append(line.strip())
    return found


def test_pilot_parts_of_two_studies_read_apart(cli):
    path = dicomdir()
    result = cli("info", path)
    assert result.returncode == 0, result.stderr
    pilots = [block for block in blocks(result.stdout) if block[0].startswith(f"#2 {PILOT}")]
    assert len(pilots) == 6   # 3 parts in each of the 2 studies
    assert len({tuple(block) for block in pilots}) == 6, pilots   # no two listed alike
    expected = pilot_origins(path.parent)
    assert len(expected) == 2   # Brain and Brain-MRA, at different times
    # the DICOMDIR holds two patients' studies (test_dicom_two_patients.py): the pilots are the second's
    expected = {f"patient 2 of 2, {origin}" for origin in expected}
    assert {block[1] for block in pilots} == expected
    for part in (1, 2, 3):   # each part once per study
        origins = {block[1] for block in pilots if f"(part {part} of 3)" in block[0]}
        assert origins == expected
