"""The Philips scale note a series gets (the window's series chooser and notice bar show it, `info`
prints it): it names the command line for the other scales, since the window offers no choice of
them (it read `--philips-scale display|stored for the others`, a flag a window user has nowhere to
give)."""

from __future__ import annotations

from enhanced_maker import EnhancedSpec, write_enhanced

from neuroview.io import load

NOTE = ("Philips scale: precise floating-point values (stored x RescaleSlope + RescaleIntercept) / "
        "(RescaleSlope x private scale slope 2005,100E), as dcm2niix writes them (the window reads "
        "these; the command line's --philips-scale display|stored reads the others)")


def test_the_note_says_where_the_other_scales_are_chosen(tmp_path, mni_volume):
    written = write_enhanced(tmp_path / "philips.dcm", mni_volume, EnhancedSpec(
        rows=12, cols=10, n_slices=4, manufacturer="Philips Medical Systems", rescale=(2.0, 0.0),
        philips_scale=(0.25, 0.0)))
    volume = load(written.path)
    assert [w for w in volume.warnings if w.startswith("Philips scale")] == [NOTE]
