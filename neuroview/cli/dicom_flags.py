"""The DICOM choices shared by ``info`` and ``convert`` (``--uneven``, ``--philips-scale``)."""

from __future__ import annotations


def add_dicom_flags(parser) -> None:
    parser.add_argument(
        "--uneven", choices=("auto", "resample", "split"), default="auto",
        help="unevenly spaced or missing slices: resample onto an even grid at the smallest step "
             "(linear) or split into evenly spaced chunks, one series each; auto (default) "
             "resamples unless the grid would be mostly interpolated (more than 3 grid slices per "
             "acquired one, or a gap over 4 slice thicknesses), and splits then")
    parser.add_argument(
        "--philips-scale", choices=("float", "display", "stored"), default="float",
        help="Philips values: precise floating point (private scale slope, as dcm2niix; default),"
             " displayed (RescaleSlope/Intercept) or stored pixel values")


def dicom_options(args):
    from ..io.dicom.options import DicomOptions

    return DicomOptions(uneven=args.uneven, philips_scale=args.philips_scale)
