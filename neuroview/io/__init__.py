"""Readers and writers at the edge of the world. DICOM's LPS becomes RAS here and nowhere else."""

from .candidates import ScanResult, SeriesCandidate
from .registry import choose, load, scan

__all__ = ["ScanResult", "SeriesCandidate", "choose", "load", "scan"]
