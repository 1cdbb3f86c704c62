"""Privacy audit of what leaves the machine: a training set (*Send to training set* of a case
adjudicated from two readers' DICOM SEGs, and ``neuroview dataset add`` from the command line)
built from a study full of identifying values (``tests/marked_study.py``: every name, ID, date,
time and UID of the header a marker found nowhere else) in a folder named after the patient,
with Python logging at DEBUG. Every byte written into the training set (``.gz`` decompressed,
file names included) and every log and terminal line is searched for each marker, for the
readers' SEG UIDs and for the patient's folder and file names.

The private link file (outside the dataset, the way back) and the SEGs themselves (files of the
patient's record) are the user's own, kept on this machine: they are not searched here.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import numpy as np
import pydicom

from neuroview.app.case import Case
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers
from neuroview.cli.main import main
from neuroview.core.labels import LabelMap
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.links import seg_pseudonym
from neuroview.io import load
from neuroview.io.seg import read_series_headers, save_seg
from neuroview.paths import user_data_dir
from tests.marked_study import markers, write_marked_study

PATIENT_FOLDER = "Doe_Jane_1970"   # how people name a patient's folder: it must not travel either


def _written(root: Path, pattern: str = "**/*") -> dict[str, bytes]:
    """Each file under ``root`` matching ``pattern``: its path (relative) -> its bytes, a ``.gz``
    decompressed."""
    files = {}
    for path in sorted(p for p in root.glob(pattern) if p.is_file()):
        data = path.read_bytes()
        files[str(path.relative_to(root))] = gzip.decompress(data) if path.name.endswith(".gz") else data
    return files


def _hits(files: dict[str, bytes], needles) -> list[tuple[str, str]]:
    return [(name, needle) for name, data in files.items() for needle in needles
            if needle.lower() in name.lower() or needle.lower().encode() in data.lower()]


def test_training_set_and_logs_hold_no_identifying_value(tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    patient = tmp_path / "data" / PATIENT_FOLDER
    study = write_marked_study(patient / "MR_brain", burned_in="NO")
    volume = load(str(study))
    headers = read_series_headers([study])
    ann = np.zeros(volume.shape, np.uint8)
    ann[10:20, 12:22, 6:12] = 1
    bob = np.zeros_like(ann)
    bob[12:22, 12:22, 6:12] = 1
    bob[30:34, 30:34, 10:13] = 1   # a lesion only Bob saw
    segs = {}
    for reader, mask in (("Smith^Ann", ann), ("Jones^Bob", bob)):
        segs[reader] = patient / f"{PATIENT_FOLDER}_{reader.split('^')[0]}.dcm"
        save_seg(LabelMap(mask, volume.ijk_to_ras), headers, segs[reader],
                 series_description=f"Lesions - {reader}'s version", content_creator=reader)
    seg_headers = [pydicom.dcmread(p, stop_before_pixels=True) for p in segs.values()]
    seg_uids = {str(uid) for ds in seg_headers for uid in (ds.SeriesInstanceUID, ds.SOPInstanceUID)}
    assert len(seg_uids) == 4

    comparison = compare_readers(volume, None, "majority")
    assert sorted(comparison.readers) == ["Jones^Bob", "Smith^Ann"]
    plan = AdjudicationPlan(comparison)
    plan.choose(1, "Smith^Ann")
    plan.choose(2, "Jones^Bob")
    case = Case.open(volume, workspace=tmp_path / "workspace")
    apply_adjudication(case, plan, "Senior^Sam")
    export = tmp_path / "export"
    adjudicated = init_dataset(export, "Adjudicated", ["background", "lesion"])
    record = case.send_to_training_set(adjudicated)
    labels_file = case.save_labels(patient / f"{PATIENT_FOLDER}_lesions.nii.gz")
    case.close()

    typed = init_dataset(export, "Typed", ["background", "lesion"])
    assert main(["dataset", "add", str(typed), "--image", str(study), "--labels", str(labels_file),
                 "--annotator", "reader1"]) == 0
    assert main(["dataset", "list", str(typed)]) == 0
    assert main(["dataset", "list", str(adjudicated)]) == 0

    files = _written(export)
    assert {f"{adjudicated.name}/provenance/{record.case}.json", f"{adjudicated.name}/dataset.json",
            f"{typed.name}/imagesTr/nv_0001_0000.nii.gz",
            f"{typed.name}/labelsTr/nv_0001.nii.gz"} <= set(files)
    needles = [*markers(), *seg_uids, PATIENT_FOLDER, "Doe_Jane", "MR_brain"]
    assert _hits(files, [*needles, str(tmp_path)]) == []
    # The saved labels and their .segments.json are the user's, named as the user chose: no
    # header value in them either (README: Patient data, Never).
    saved = _written(patient, f"{PATIENT_FOLDER}_lesions*")
    assert len(saved) == 2 and _hits({"": b"".join(saved.values())}, [*markers(), *seg_uids]) == []
    # Adjudication still tells the two readers' SEGs apart, by an id that is no UID.
    provenance = json.loads((adjudicated / "provenance" / f"{record.case}.json").read_text())
    readers = provenance["adjudication"]["readers"]
    assert [r["reader"] for r in readers] == comparison.readers
    ids = [r["seg"] for r in readers]
    assert len(set(ids)) == 2 and all(i.startswith("seg_") for i in ids)
    assert all("seg_series_uid" not in r for r in readers)
    # ...the same SEG the same id (the secret is the link file's, outside the dataset)
    (links_file,) = (user_data_dir() / "private-links").glob(f"{adjudicated.name}-*.json")
    links = json.loads(links_file.read_text())
    assert [seg_pseudonym(links, v.seg_series_uid) for v in comparison.versions] == ids

    # Lines may name the dataset as the user gave it (README: paths you gave), not the source.
    out, err = capfd.readouterr()
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert [n for n in needles if n.lower() in (logs + out + err).lower()] == []
