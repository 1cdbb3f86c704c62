"""How DICOM series are turned into volumes where there is a choice (the user's, in the API and CLI)."""

from __future__ import annotations

from dataclasses import dataclass

UNEVEN_CHOICES = ("auto", "resample", "split")
PHILIPS_SCALE_CHOICES = ("float", "display", "stored")


@dataclass(frozen=True)
class DicomOptions:
    uneven: str = "auto"
    """Unevenly spaced slices (or missing ones): ``"resample"`` onto an even grid at the smallest
    step (linear; every acquired slice stays where it was acquired), or ``"split"`` into regularly
    spaced chunks, one candidate each. Neither moves a voxel from where it was acquired.
    ``"auto"`` resamples unless the grid would be mostly interpolated (see
    :func:`.uneven.mostly_interpolated`), and splits then."""
    philips_scale: str = "float"
    """Philips values: ``"float"`` (precise values from the private scale slope (2005,100E), as
    dcm2niix writes them), ``"display"`` (RescaleSlope/Intercept) or ``"stored"`` (raw pixels)."""

    def __post_init__(self) -> None:
        if self.uneven not in UNEVEN_CHOICES:
            raise ValueError(f"uneven must be one of {', '.join(UNEVEN_CHOICES)}")
        if self.philips_scale not in PHILIPS_SCALE_CHOICES:
            raise ValueError(f"philips_scale must be one of {', '.join(PHILIPS_SCALE_CHOICES)}")
