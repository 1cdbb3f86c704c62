"""An Enhanced CT object holding two reconstruction kernels, each frame's kernel in its CT
Reconstruction functional group (0018,9314), against the volumes written and dcm2niix."""

from __future__ import annotations

import nibabel as nib
import pydicom
from enhanced_maker import EnhancedSpec, write_enhanced_ct_kernels
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import scan


def test_each_kernel_of_an_enhanced_ct_is_a_series_of_its_own(tmp_path, mni_volume):
    """Soft-tissue (FC13) and bone (FC51) frames at the same 4 positions in one enhanced file
    were one 4D series of two 'time points' without a word: the per-frame kernel was not read.
    dcm2niix 1.0.20260724 mixes them into one 8-slice volume, two slices at each position."""
    written = write_enhanced_ct_kernels(tmp_path / "in" / "ct.dcm", mni_volume, ("FC13", "FC51"),
                                        EnhancedSpec(rows=8, cols=8, n_slices=4,
                                                     description="HEAD", manufacturer="TOSHIBA"))
    candidates = {c.description: c for c in scan(tmp_path / "in").candidates}
    assert sorted(candidates) == ["HEAD (FC13)", "HEAD (FC51)"]
    for kernel, truth in zip(("FC13", "FC51"), written):
        volume = candidates[f"HEAD ({kernel})"].load()
        assert volume.array.shape == (8, 8, 4) and not volume.axis4
        assert volume.warnings[0].startswith(f"reconstruction kernel {kernel}: one of 2 kernels")
        assert truth.values.std() > 0
        compare_in_world(volume.array, volume.ijk_to_ras, truth.values, truth.ijk_to_ras)
    (output,) = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert nib.load(output).shape == (8, 8, 8)


def test_files_read_as_a_template_s_differences_keep_their_own_kernel(tmp_path, mni_volume,
                                                                       monkeypatch):
    """Enhanced CT files of one series alike byte for byte but for the kernel in their frames'
    CT Reconstruction items (and the SOPInstanceUID) are read as differences from the first
    (io/dicom/templates.py): the kernel is one of the values those differences replace."""
    from neuroview.io.dicom import templates

    write_enhanced_ct_kernels(tmp_path / "a.dcm", mni_volume, ("B30f",),
                              EnhancedSpec(rows=8, cols=8, n_slices=4, description="HEAD"))
    data = (tmp_path / "a.dcm").read_bytes()
    sop = pydicom.dcmread(tmp_path / "a.dcm").SOPInstanceUID.encode()
    (tmp_path / "in").mkdir()
    for index, kernel in enumerate((b"B30f", b"B30f", b"B70f")):
        (tmp_path / "in" / f"{index}.dcm").write_bytes(
            data.replace(b"B30f", kernel).replace(sop, sop[:-2] + f"{index}9".encode()))
    read = []
    real = templates.read_like_template
    monkeypatch.setattr(templates, "read_like_template",
                        lambda file: read.append(real(file)) or read[-1])
    templates.forget()
    candidates = {c.description: c for c in scan(tmp_path / "in").candidates}
    assert sum(found is not None for found in read) == 2  # the 2 files after the first
    assert candidates["HEAD (B30f)"].shape == (8, 8, 4, 2)
    assert candidates["HEAD (B70f)"].shape == (8, 8, 4)
