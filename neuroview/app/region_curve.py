"""An ellipse's or a rectangle's figures at every time point of a 4D image: the time-intensity
curve a radiologist reads off a CT perfusion or a dynamic contrast run over an artery or a lesion,
as Horos's *ROI > Time intensity curve* and Slicer's *Sequences* ROI statistics give it.

The region stays where it was drawn, in space (as its figures on the view follow the time point
shown); each time point's figures are those the view shows when it is stepped to (the same
voxels, the scanned field's padding left out: :func:`.view_measure.drawn_on_slice`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .frames import frame_seconds, frame_volume, time_point_text
from .view_measure import DrawnRegion, RegionStats, format_value


@dataclass
class CurvePoint:
    frame: int
    """0-based time point."""
    seconds: Optional[float]
    """Its time from the run's start, where the file tells one."""
    stats: RegionStats


def region_over_time(volume, region: DrawnRegion) -> list[CurvePoint]:
    """``region``'s figures at each time point of ``volume`` (a 3D one: its one point). The
    region itself is left as it is (its figures are those of the time point on screen)."""
    points, unit = [], None
    for frame in range(max(volume.n_frames, 1)):
        probe = type(region)(region.plane, region.start_ras, region.end_ras, region.axes,
                             region.thickness_mm)
        probe.read(frame_volume(volume, frame), unit)   # the unit read once: 30 time points of
        unit = probe.stats.unit   # a 512x512x64 CT took 3.8 s, each reading its voxels for it
        points.append(CurvePoint(frame, frame_seconds(volume, frame), probe.stats))
    return points


def curve_summary(volume, points: list[CurvePoint]) -> str:
    """``peak 239.5 HU at time point 9 of 30, t = 12 s; first 35.0 HU, +204.5 HU`` (the rise
    over the first time point, a bolus's enhancement)."""
    filled = [p for p in points if p.stats.voxels]
    if not filled:
        return "empty region: no voxel inside it"
    unit = f" {filled[0].stats.unit}" if filled[0].stats.unit else ""
    peak = max(filled, key=lambda p: p.stats.mean)
    rise = peak.stats.mean - filled[0].stats.mean
    return (f"peak {format_value(peak.stats.mean)}{unit} at {time_point_text(volume, peak.frame)}; "
            f"first {format_value(filled[0].stats.mean)}{unit}, {'+' if rise >= 0 else ''}"
            f"{format_value(rise)}{unit}")


def curve_csv(points: list[CurvePoint]) -> str:
    """The curve as CSV a spreadsheet reads: ``time_point,seconds,voxels,mean,std,min,max``
    (``seconds`` empty where the file gives no time)."""
    unit = points[0].stats.unit if points else ""
    rows = [f"time_point,seconds,voxels,mean{f' ({unit})' if unit else ''},std,min,max"]
    for p in points:
        s = p.stats
        figures = ([f"{s.mean:.6g}", f"{s.std:.6g}", f"{s.minimum:.6g}", f"{s.maximum:.6g}"]
                   if s.voxels else ["", "", "", ""])
        seconds = "" if p.seconds is None else f"{p.seconds:g}"
        rows.append(",".join([str(p.frame + 1), seconds, str(s.voxels), *figures]))
    return "\n".join(rows) + "\n"


__all__ = ["CurvePoint", "curve_csv", "curve_summary", "region_over_time"]
