"""The DICOM choices shared by ``info`` and ``convert`` (``--uneven``, ``--philips-scale``)."""

from __future__ import annotations


def add_dicom_flags(parser) -> None:
    parser.add_argument(
        "--uneven", choices=("resample", "split"), default="resample",
        help="unevenly spaced or missing slices: resample onto an even grid at the smallest step "
             "(linear, default) or split into evenly spaced chunks, one series each")
    parser.add_argument(
        "--philips-scale", choices=("float", "display", "stored"), default="float",
        help="Philips values: precise floating point (private scale slope, as dcm2niix; default),"
             " displayed (RescaleSlope/Intercept) or stored pixel values")


def dicom_options(args):
    from ..io.dicom.options import DicomOptions

    return DicomOptions(uneven=args.uneven, philips_scale=args.philips_scale)
