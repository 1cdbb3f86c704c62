"""``neuroview snapshot INPUT --out FILE.png``: the picture the window would show, with no display.

Slice views are drawn by the same numpy renderer the window uses; the 3D view by the same
offscreen VTK scene (X when a display exists, EGL otherwise).
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from ..app.view_slab import MAX_THICKNESS_MM, SLAB_MODES, Slab
from ..core.errors import NeuroviewError
from .arg_types import counting_number, finite_number, positive_number

VIEW_CHOICES = ("axial", "sagittal", "coronal", "3d", "four-up")
SLAB_CHOICES = {name.lower(): mode for mode, name in SLAB_MODES.items()}
"""``--slab-mode`` (``mip``, ``minip``, ``mean``) -> ``app.view_slab.Slab``'s mode."""


def slab_thickness(text: str) -> float:
    """``--slab MM``: above 0 and at most the Slab row's 200 mm, checked as argparse parses."""
    value = positive_number(text)
    if value > MAX_THICKNESS_MM:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_THICKNESS_MM:g} mm, got {text!r}")
    return value


def percent(text: str) -> float:
    """``--overlay-opacity PCT``: 0 to 100, checked as argparse parses."""
    value = finite_number(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be 0 to 100 (per cent), got {text!r}")
    return value


def register(parser) -> None:
    parser.add_argument("input", metavar="INPUT", help="image file, folder or DICOMDIR")
    parser.add_argument("--labels", metavar="LABELS", help="label map (NIfTI mask) to overlay")
    parser.add_argument("--view", choices=VIEW_CHOICES,
                        help="a slice plane, the 3D view, or the three planes and 3D together "
                             "(default axial; a single-slice image, such as a CT scout, or a "
                             "2D acquisition, such as a sagittal spine's 4 mm slices, its own "
                             "plane)")
    parser.add_argument("--at", metavar="R,A,S", help="RAS point in mm the slices go through "
                        "(default inside the largest labelled component with --labels, else "
                        "the volume's centre)")
    parser.add_argument("--size", metavar="WxH", default="512x512", help="picture size in pixels")
    parser.add_argument("--window", type=positive_number, help="window width (with --level)")
    parser.add_argument("--level", type=finite_number, help="window centre (with --window)")
    parser.add_argument("--series", type=counting_number, metavar="N",
                        help="series N when INPUT holds several, as 'neuroview info' numbers them "
                             "([N], not the DICOM series number #)")
    parser.add_argument("--frame", type=counting_number, metavar="N",
                        help="time point N of a 4D image (1-based, as the window's Time point box; "
                             "default 1, said in one line)")
    parser.add_argument("--slab", type=slab_thickness, metavar="MM",
                        help="a thick slab of MM mm in the slice views, as the window's Slab row "
                             "(default the thin slice)")
    parser.add_argument("--slab-mode", choices=tuple(SLAB_CHOICES),
                        help="how the slab's voxels combine: mip (brightest), minip (darkest), "
                             "mean (default mip; with --slab)")
    parser.add_argument("--overlay", metavar="SERIES",
                        help="another series of the study (a DICOM folder, or a file of it: its "
                             "series; one DICOM frame of reference) drawn in colour over the image "
                             "where its voxels lie, as the window's View > Other series > Overlay "
                             "series...")
    parser.add_argument("--overlay-opacity", type=percent, default=50.0, metavar="PCT",
                        help="the overlay's opacity, 0-100 (default 50)")
    parser.add_argument("--overlay-colours", choices=("hot", "grey"), default="hot",
                        help="the overlay's colour scale (default hot)")
    parser.add_argument("--overlay-frame", type=counting_number, metavar="N",
                        help="time point N of a 4D overlay (1-based, as the window's Overlay time "
                             "point row; default 1, said in one line)")
    parser.add_argument("--overlay-anyway", action="store_true",
                        help="draw an overlay of another frame of reference, or naming none (a "
                             "NIfTI), as it lies: for images you know are aligned")
    parser.add_argument("-o", "--out", required=True, metavar="FILE.png", help="PNG file to write")


def _parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise NeuroviewError(f"--size must look like 512x512, got {text!r}") from None
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise NeuroviewError(f"--size must be between 16 and 8192 pixels per side, got {text!r}")
    return width, height


def _parse_point(text: str) -> np.ndarray:
    try:
        point = np.array([float(x) for x in text.split(",")])
    except ValueError:
        point = np.zeros(0)
    if point.shape != (3,) or not np.all(np.isfinite(point)):
        raise NeuroviewError(f"--at must be three numbers R,A,S in mm, got {text!r}")
    return point


def _extent(volume) -> str:
    """Where the image's voxel centres lie, axis by axis: ``R -96.0..97.0, A ... mm``."""
    corners = np.array([[i, j, k] for i in (0, volume.shape[0] - 1) for j in (0, volume.shape[1] - 1)
                        for k in (0, volume.shape[2] - 1)], float)
    ras = volume.ijk_to_ras_points(corners)
    return ", ".join(f"{name} {low:.1f}..{high:.1f}" for name, low, high
                     in zip("RAS", ras.min(axis=0), ras.max(axis=0))) + " mm"


def labels_point(labels) -> np.ndarray | None:
    """Where the slices go with ``--labels`` and no ``--at``: the voxel of the largest labelled
    component (26-connected, any label) nearest its centroid, so every plane cuts it;
    ``None`` for an empty label map."""
    from ..app.components import find_components, voxel_ras

    components = find_components(labels.array > 0, labels.ijk_to_ras)
    if not components:
        return None
    return voxel_ras(components[0].jump_ijk, labels.ijk_to_ras)


def render_picture(volume, state, view: str, width: int, height: int, labels=None,
                   time_point: str = "") -> np.ndarray:
    """The RGB picture of ``view`` (a plane, ``3d`` or ``four-up``) for a viewer state; its slice
    views name ``time_point`` above their caption (of a 4D image's, as the window's views)."""
    from ..render.layout import compose_four_up, tile_sizes
    from ..render.slices import render_view

    if view in ("axial", "sagittal", "coronal"):
        return render_view(volume, state, view, width, height, labels=labels, time_point=time_point).rgb
    if view == "3d":
        return _render_3d(volume, state, width, height, labels)
    tile_w, tile_h = tile_sizes(width, height)
    images = {plane: render_view(volume, state, plane, tile_w, tile_h, labels=labels,
                                 time_point=time_point).rgb
              for plane in ("axial", "sagittal", "coronal")}
    try:
        images["3d"] = _render_3d(volume, state, tile_w, tile_h, labels)
    except NeuroviewError as exc:   # as the window: its slice views, the 3D tile left dark
        print(f"note: {volume.source_path or 'the image'}: 3D view not drawn ({exc.message}); the "
              "slice views are", file=sys.stderr)
        images["3d"] = np.zeros_like(images["axial"])
    return compose_four_up(images, width, height)


def _render_3d(volume, state, width, height, labels) -> np.ndarray:
    from ..app.view_presets import opening_3d_preset
    from ..render.volume3d import Scene3D

    scene = Scene3D(width, height)
    try:  # the window's rule: a NIfTI CT (no modality, air at -1000) is drawn as a CT too
        scene.set_volume(volume, preset=opening_3d_preset(volume))
        # a single-slice image is drawn as its slice plane: at the window/level, as the window's
        # 3D view draws it (without this, VTK's rainbow table over 0..1: a blue square)
        if state is not None:
            scene.update_planes(state.crosshair_ras, state.window, state.level)
        if labels is not None:
            scene.set_labels(labels, hidden=state.labels.hidden)
        return scene.render(width, height)
    finally:
        scene.close()


def _overlay_series(args):
    """The ``--overlay`` series, scanned (not read) as the window's *Overlay series...* takes a
    pick: a DICOM file stands for its series; a file that is not an image is refused in
    ``info``'s one line, before INPUT is read; a folder of several: the best, said."""
    from ..io.picked_series import scan_picked
    from .progress import TextProgress
    from .series_choice import say_chosen

    result, candidate = scan_picked(args.overlay, TextProgress())
    if candidate is None:
        candidate = result.best()
        if len(result.candidates) > 1:
            say_chosen(result, candidate, args.overlay, "overlaid")
    return candidate


def _overlay(args, volume, candidate):
    """The ``--overlay`` series (``candidate``) as the window draws it
    (``app.fusion.FusionLayer``); another frame of reference refused in one line unless
    ``--overlay-anyway``; a 4D one at ``--overlay-frame`` (time point 1 said in a note without
    it)."""
    from ..app.fusion import FusionLayer, frame_mismatch
    from .progress import TextProgress

    overlay = candidate.load(progress=TextProgress())
    problem = frame_mismatch(volume, overlay)
    if problem and not args.overlay_anyway:
        raise NeuroviewError(f"--overlay {args.overlay} {problem}; --overlay-anyway draws it as "
                             "it lies")
    layer = FusionLayer.for_volume(overlay, args.overlay_opacity / 100.0)
    layer.colours = args.overlay_colours
    n, frame = overlay.n_frames, args.overlay_frame
    if frame is not None and not 1 <= frame <= n:
        what = "a 3D image (one time point)" if n == 1 else f"a 4D image of {n} time points"
        raise NeuroviewError(f"--overlay {args.overlay}: --overlay-frame {frame} is out of range: "
                             f"it is {what}")
    if frame is None and n > 1:
        print(f"note: --overlay {args.overlay}: 4D image of {n} time points: used time point 1 (choose "
              "another with --overlay-frame N)", file=sys.stderr)
    layer.set_frame((frame or 1) - 1)
    return layer


def run(args) -> int:
    from ..app.frames import pick_time_point, time_point_text
    from ..app.view_labels import load_label_map
    from ..app.view_state import ViewerState
    from ..render.flat import slice_plane
    from ..render.png import write_png
    from .outputs import check_writable
    from .progress import TextProgress
    from .series_choice import load_series

    width, height = _parse_size(args.size)
    point = _parse_point(args.at) if args.at else None
    if (args.window is None) != (args.level is None):
        raise NeuroviewError("--window and --level go together")
    if not args.out.lower().endswith(".png"):
        raise NeuroviewError(f"--out must name a .png file, got {args.out!r}")
    if args.overlay_frame is not None and not args.overlay:
        raise NeuroviewError("--overlay-frame goes with --overlay SERIES (the 4D series drawn over "
                             "the image)")
    if args.slab_mode is not None and args.slab is None:
        raise NeuroviewError("--slab-mode goes with --slab MM (the slab's thickness)")
    check_writable(args.out)
    for option, path in (("--labels", args.labels), ("--overlay", args.overlay)):
        if path and not os.path.exists(path):   # said before seconds of reading INPUT
            raise NeuroviewError(f"{option} {path}: no such file or folder")
    overlay = _overlay_series(args) if args.overlay else None
    volume = load_series(args.input, args.series, TextProgress(), verb="drew")
    when = time_point_text(volume, (args.frame or 1) - 1) if volume.axis4 != "channel" else ""
    volume, note = pick_time_point(volume, args.frame, args.input)
    if note:
        print(f"note: {note}", file=sys.stderr)
    labels = load_label_map(args.labels) if args.labels else None
    state = ViewerState.for_volume(volume)
    if point is None and labels is not None:
        point = labels_point(labels)
    if args.at and volume.ras_to_voxel(point) is None:   # a typo: an empty view, no word of it
        raise NeuroviewError(f"--at {args.at} lies outside the image ({_extent(volume)}): "
                             "nothing of it would be drawn there")
    if point is not None:
        state.set_crosshair(point)
    if args.window is not None:   # positive and finite: argparse checked it (arg_types)
        state.set_window_level(args.window, args.level)
    if overlay is not None:
        state.fusion = _overlay(args, volume, overlay)
    if args.slab is not None:   # every slice view, captioned 'MIP 10 mm' as in the window
        slab = Slab(args.slab, SLAB_CHOICES[args.slab_mode or "mip"])
        state.slabs.update((plane, slab) for plane in state.slabs)
    # a coronal scout drawn axially was a black picture with a line through it, said as written
    # and a sagittal spine's 4 mm slices drawn axially were a blocky reformat (session 51)
    view = args.view or slice_plane(volume.shape, volume.ijk_to_ras) or state.acquired_view() or "axial"
    rgb = render_picture(volume, state, view, width, height, labels, time_point=when)
    write_png(rgb, args.out)
    slab_said = f", {state.slabs['axial'].title()}" if args.slab is not None else ""
    print(f"wrote {args.out} ({width}x{height}, {view}{slab_said})")
    return 0
