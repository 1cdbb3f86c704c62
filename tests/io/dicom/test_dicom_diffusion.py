"""Diffusion trace / ADC volumes stored with the acquisition (issue 11.3), against dcm2niix.

A Philips DWI series often ends with the isotropic (trace) volume the scanner computed: b > 0,
direction 'I' in (2001,1004), no gradient vector. dcm2niix writes the series without it
(``3_DWI``) and again with it as ``3_DWI_ADC``; neuroview makes the trace volume its own series,
``DWI_ADC``, so a 4D diffusion series never holds it, with a warning that it holds the trace
signal, not ADC values. The same in a Philips Enhanced MR file,
whose frames say ISOTROPIC in their MRDiffusionSequence. A DERIVED ADC map stored in the series
is split by both (dcm2niix names it after a clash, ``3_DWIa``).
"""

from __future__ import annotations

import shutil

import nibabel as nib
import pydicom
import pytest
from dwi_maker import write_enhanced_dwi
from pydicom.uid import generate_uid
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

PHILIPS = (("Manufacturer", "Philips Medical Systems"),
           (0x20010010, "LO", "Philips Imaging DD 001"),
           (0x20050010, "LO", "Philips MR Imaging DD 001"))
VECTORS = {"0": (0, 0, 0), "P": (1, 0, 0), "M": (0, 1, 0), "S": (0, 0, 1), "I": (0, 0, 0)}
ORIGINAL = ("ORIGINAL", "PRIMARY", "M_SE", "M", "SE")
ADC_MAP = ("DERIVED", "PRIMARY", "ADC", "ADC")
TRACE_NOTE = ("the scanner's isotropic (trace) diffusion-weighted image: its values are signal, "
              "not ADC (named _ADC as dcm2niix names it)")


def _write_dwi(make_series, folder, last_type):
    """b=0, three b=1000 directions, then the isotropic volume (image type ``last_type``)."""
    uid = generate_uid()
    volumes = [(0, "0"), (1000, "P"), (1000, "M"), (1000, "S"), (1000, "I")]
    written = []
    for t, (b_value, direction) in enumerate(volumes):
        vector = VECTORS[direction]
        extra = PHILIPS + ((0x20011003, "FL", float(b_value)), (0x20011004, "CS", direction),
                           (0x200510B0, "FL", float(vector[0])),
                           (0x200510B1, "FL", float(vector[1])),
                           (0x200510B2, "FL", float(vector[2])))
        series = make_series(f"dwi-{last_type[0]}-{t}-{uid[-6:]}", series_uid=uid, n_slices=6,
                             value_scale=1.0 - 0.15 * t, first_instance=1 + 6 * t, seed=t,
                             description="DWI", extra=extra,
                             image_type=last_type if direction == "I" else ORIGINAL)
        shutil.copytree(series.folder, folder / f"v{t}")
        written.append(series)
    return written


@pytest.mark.parametrize("last_type, dcm2niix_names", [
    (ORIGINAL, ["3_DWI.nii", "3_DWI_ADC.nii"]),  # the trace volume appended to the run
    (ADC_MAP, ["3_DWI.nii", "3_DWIa.nii"]),  # a DERIVED ADC map stored in the series
])
def test_philips_trace_volume_is_its_own_series(make_series, tmp_path, cli, last_type,
                                                dcm2niix_names):
    written = _write_dwi(make_series, tmp_path / "in", last_type)
    references = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert [p.name for p in references] == dcm2niix_names
    dwi, extra = (nib.load(p) for p in references)

    result = scan(tmp_path / "in")
    assert [c.description for c in result.candidates] == ["DWI", "DWI_ADC"]
    # the trace image is said to be one: its name alone reads as an ADC map (a stroke is bright
    # on it, dark on an ADC map); a DERIVED ADC map is one (session 49)
    said = TRACE_NOTE in result.candidates[1].warnings
    assert said == (last_type == ORIGINAL)
    _check_against_dcm2niix(cli, tmp_path, "003", dwi, extra, written)


def _check_against_dcm2niix(cli, tmp_path, number, dwi, extra, written):
    """``convert`` writes the DWI series (four volumes, as dcm2niix's without the trace) and the
    trace volume alone (dcm2niix's ``_ADC`` file repeats the four before it)."""
    proc = cli("convert", tmp_path / "in", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.nii.gz")) == \
        [f"{number}_DWI.nii.gz", f"{number}_DWI_ADC.nii.gz"]
    ours_dwi = nib.load(tmp_path / "out" / f"{number}_DWI.nii.gz")
    ours_trace = nib.load(tmp_path / "out" / f"{number}_DWI_ADC.nii.gz")
    assert ours_dwi.shape[3] == dwi.shape[3] == 4
    for t in range(4):
        compare_in_world(ours_dwi.get_fdata()[..., t], ours_dwi.affine, dwi.get_fdata()[..., t],
                         dwi.affine)
        compare_in_world(ours_dwi.get_fdata()[..., t], ours_dwi.affine, written[t].values,
                         written[t].ijk_to_ras)
    expected = extra.get_fdata()[..., 4] if extra.ndim == 4 else extra.get_fdata()
    if extra.ndim == 4:
        assert extra.shape[3] == 5
    assert ours_trace.ndim == 3
    compare_in_world(ours_trace.get_fdata(), ours_trace.affine, expected, extra.affine)
    compare_in_world(ours_trace.get_fdata(), ours_trace.affine, written[4].values,
                     written[4].ijk_to_ras)


PHILIPS_VOLUMES = [(0, "NONE", None), (1000, "DIRECTIONAL", (1, 0, 0)), (1000, "DIRECTIONAL", (0, 1, 0)),
                   (1000, "DIRECTIONAL", (0, 0, 1)), (1000, "ISOTROPIC", None)]
"""b=0, three directions at b=1000, then the ISOTROPIC volume (Philips' trace, in the same file)."""


def test_philips_enhanced_isotropic_frames_are_their_own_series(tmp_path, mni_volume, cli):
    written = write_enhanced_dwi(tmp_path / "in" / "dwi.dcm", mni_volume, "Philips Medical Systems",
                                 PHILIPS_VOLUMES, n_slices=6)   # 30 frames
    references = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert [p.name for p in references] == ["5_DWI.nii", "5_DWI_ADC.nii"]
    listed = scan(tmp_path / "in").candidates
    assert [c.description for c in listed] == ["DWI", "DWI_ADC"]
    assert listed[1].warnings[0] == TRACE_NOTE
    _check_against_dcm2niix(cli, tmp_path, "005", *(nib.load(p) for p in references), written)


def test_other_vendors_keep_an_original_isotropic_volume(make_series, tmp_path):
    """The Philips rule only: another vendor's ORIGINAL volume stays in the 4D series, as in
    dcm2niix."""
    _write_dwi(make_series, tmp_path / "in", ORIGINAL)
    for path in (tmp_path / "in").rglob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.Manufacturer = "SIEMENS"
        ds.save_as(path)
    (reference,) = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    (candidate,) = scan(tmp_path / "in").candidates
    assert candidate.description == "DWI" and candidate.shape[3] == nib.load(reference).shape[3] == 5
