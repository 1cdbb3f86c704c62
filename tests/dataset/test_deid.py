"""De-identification: no identifying value of the source in any exported byte or file name."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset import store
from neuroview.dataset.layout import init_dataset, read_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from neuroview.paths import user_data_dir
from tests.dataset.fake_dicom import PATIENT, identifying_values
from tests.dataset.label_maps import lesion_map

CLI_FORKED = "what `dataset add` stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _all_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data += gzip.decompress(data)  # the compressed stream and its content
    return data


def scan_tree(root: Path, values: list[str]) -> list[tuple[str, str]]:
    """Every (file, value) where a value appears in a relative path or the file's bytes."""
    hits = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            relative = str(path.relative_to(root))
            content = _all_bytes(path)
            for value in values:
                if value in relative or value.encode() in content or value.lower().encode() in content:
                    hits.append((relative, value))
    return hits


def test_dicom_case_exports_no_identifying_value(tmp_path, ct_series):
    source_folder, datasets, volume = ct_series
    values = identifying_values(datasets)
    assert len(values) >= 20 and datasets[0].StudyInstanceUID in values
    # The scanner finds them in the source: the check below could fail.
    assert {v for _, v in scan_tree(source_folder, values)} >= {PATIENT["PatientID"], PATIENT["StudyDate"]}

    export = tmp_path / "export"
    folder = init_dataset(export, "Heads", ["background", "lesion"], channels=["CT"])
    label_map = lesion_map(volume, box=(slice(5, 15), slice(5, 15), slice(2, 6)))
    add_case(folder, volume, label_map, Provenance(annotator="reader1", editing_seconds=12))
    assert scan_tree(export, values) == []

    # The pseudonym links back to the source only through the private file outside the export.
    (links_file,) = (user_data_dir() / "private-links").glob("*.json")
    assert export not in links_file.parents
    links = json.loads(links_file.read_text())
    assert links["cases"]["nv_0001"]["PatientID"] == PATIENT["PatientID"]
    assert links["cases"]["nv_0001"]["SeriesInstanceUID"] == datasets[0].SeriesInstanceUID
    assert links["cases"]["nv_0001"]["source_path"] == str(source_folder)
    assert oct(links_file.stat().st_mode & 0o777) == "0o600"
    # Pixels and geometry survive de-identification untouched.
    image = nib.load(folder / "imagesTr" / "nv_0001_0000.nii.gz")
    assert np.array_equal(np.asarray(image.dataobj), volume.array)
    assert np.allclose(image.affine, volume.ijk_to_ras)


def test_nifti_header_text_and_extensions_are_not_copied(tmp_path, small_mr, cli):
    source = tmp_path / "incoming"
    source.mkdir()
    img = nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras)
    img.header["descrip"] = f"{PATIENT['PatientID']} {PATIENT['StudyDate']}".encode()
    img.header["aux_file"] = b"Quintanilla"
    img.header.extensions.append(nib.nifti1.Nifti1Extension(
        6, f"AccessionNumber={PATIENT['AccessionNumber']};Institution={PATIENT['InstitutionName']}".encode()))
    image_path = source / "Quintanilla_Zyxwerth_PID8675309X.nii.gz"
    nib.save(img, image_path)
    nib.save(nib.Nifti1Image(lesion_map(small_mr).array, small_mr.ijk_to_ras), source / "mask.nii.gz")
    values = [PATIENT["PatientID"], PATIENT["StudyDate"], PATIENT["AccessionNumber"],
              PATIENT["InstitutionName"], "Quintanilla", "Zyxwerth"]
    assert {v for _, v in scan_tree(source, values)} == set(values)

    export = tmp_path / "export"
    assert cli("dataset", "init", export, "--name", "Brains", "--labels", "background,lesion").returncode == 0
    result = cli("dataset", "add", export, "--image", image_path, "--labels", source / "mask.nii.gz",
                 "--annotator", "reader2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "nv_0001"
    assert scan_tree(export, values) == []
    (links_file,) = (user_data_dir() / "private-links").glob("*.json")
    assert json.loads(links_file.read_text())["cases"]["nv_0001"]["source_path"] == str(image_path)


def test_leak_guard_refuses_a_case_that_would_carry_identifiers(tmp_path, ct_series, monkeypatch):
    _, _, volume = ct_series
    folder = init_dataset(tmp_path, "Heads", ["background", "lesion"], channels=["CT"])
    original = store.save_nifti

    def leaky_save(array, affine, path, description=""):  # a regression that copies a header field
        return original(array, affine, path, description=volume.source_metadata["PatientName"])

    monkeypatch.setattr(store, "save_nifti", leaky_save)
    with pytest.raises(DatasetError, match="refused: an identifying value"):
        add_case(folder, volume, lesion_map(volume, box=(slice(1, 3),) * 3),
                 links_path=tmp_path / "l.json")
    assert [p for sub in ("imagesTr", "labelsTr", "provenance") for p in (folder / sub).iterdir()] == []
    assert read_dataset(folder).num_training == 0 and not (tmp_path / "l.json").exists()


def test_cli_add_from_dicom_folder(tmp_path, ct_series, cli):
    pytest.importorskip("neuroview.io.dicom", reason="needs neuroview's DICOM loader (neuroview.io.dicom)")
    from neuroview.core.geometry import corners_ras
    from neuroview.io import load

    source_folder, datasets, fixture_volume = ct_series
    loaded = load(source_folder)
    # The loader may order voxel axes its own way; the voxels must sit at the same places.
    assert np.allclose(sorted(map(tuple, corners_ras(loaded.shape, loaded.ijk_to_ras))),
                       sorted(map(tuple, corners_ras(fixture_volume.shape, fixture_volume.ijk_to_ras))))
    mask = np.zeros(loaded.shape, np.uint8)
    mask[4:9, 4:9, 2:5] = 1
    nib.save(nib.Nifti1Image(mask, loaded.ijk_to_ras), tmp_path / "mask.nii.gz")
    export = tmp_path / "export"
    assert cli("dataset", "init", export, "--name", "Heads", "--labels", "background,lesion",
               "--channels", "CT").returncode == 0
    result = cli("dataset", "add", export, "--image", source_folder, "--labels", tmp_path / "mask.nii.gz",
                 "--annotator", "reader3")
    assert result.returncode == 0, result.stderr
    assert scan_tree(export, identifying_values(datasets)) == []
    image = nib.load(export / "Dataset501_Heads" / "imagesTr" / "nv_0001_0000.nii.gz")
    assert np.array_equal(np.asarray(image.dataobj), np.asarray(loaded.array))
    (links_file,) = (user_data_dir() / "private-links").glob("*.json")
    link = json.loads(links_file.read_text())["cases"]["nv_0001"]
    assert link["PatientID"] == PATIENT["PatientID"] and link["source_path"] == str(source_folder)
