"""Hostile files beside the images: segment names, label maps, RTSTRUCT, through the commands
and the window a user has.

``bench/kinds_fuzz.py`` attacks image files, SEG geometry and crash journals, and
``bench/folder_fuzz.py`` model packages, dataset folders and the model registry; this one hands
neuroview the values inside the other files a colleague, a PACS or a download gives a user:

    names      segment names in a label map's ``.segments.json``, a DICOM SEG's SegmentLabel
               and an RTSTRUCT's ROIName: HTML (``<img src=file:///...>``, ``<a href=...>``,
               ``<font size=7>``), a right-to-left override, control characters, 10 MB; the same
               HTML in a labels file's own name and in a SEG's SeriesDescription
    values     label maps of odd types and values: float 1.5, NaN, negative, 2^31, uint64 max,
               bool, a 4D RGB-like map, 200,000 distinct values

Each case runs ``convert --labels`` and ``dataset add --labels`` (kinds_fuzz's ``run_case``,
``classify`` and limits: a child under 4 GiB of address space, a 20 s alarm), and the window:
``MainWindow`` offscreen (every case in one such child, 90 s each) opens the image and *Load
labels* the file, then every label and tooltip of the window is looked at (the tables' cells'
and the actions' tooltips too, since session 48). Outcomes are
kinds_fuzz's (ok, read, BAD: trace, noname, hang, memory, outside, garbage) and one more BAD:

    rich     a QLabel or tooltip of the window renders a value of the file as rich text (its
             HTML taken as markup: an image loaded, a link made, a font changed)

    nice -n 5 python bench/hostile_files.py [--seed 0] [--only names,values] [--no-window]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
from bench.kinds_fuzz import BAD, SEGMENT, _classic, _labelled, _rtstruct, _seg, classify, run_case  # noqa: E402
from tests.io.limited_cli import run_limited  # noqa: E402

WINDOW_SECONDS = 90
warnings.filterwarnings("ignore", module="pydicom")   # its own words on the values it writes

MARK = "nvhostile"
"""In every hostile value: a label showing it shows a value of the file."""
HTML = {
    "html_img": f'<img src="file:///etc/hostname">{MARK}',
    "html_link": f'<a href="file:///etc/">{MARK}</a>',
    "html_font": f"<font size=7 color=red>{MARK}</font>",
}
NAMES = {
    **HTML,
    "rtl_override": f"\u202e{MARK}gnp.exe",
    "control": f"{MARK}\n\x1b[31mred\r\x07\x00",
    "name_10mb": MARK + "x" * (10 << 20),
}


def _image_grid():
    return np.diag([1.5, 1.5, 2.0, 1.0])


def _sidecar_named(name: str):
    def make(f, r):
        image, labels = _labelled(f / "in")
        (f / "in" / "labels.segments.json").write_text(json.dumps([{**SEGMENT, "name": name}]))
        return image, labels
    return make


def _seg_named(name: str, where: str):
    def make(f, r):
        from pydicom import dcmread

        path = _seg(f / "in")
        ds = dcmread(path)
        if where == "label":
            ds.SegmentSequence[0].SegmentLabel = name
        else:
            ds.SeriesDescription = name
        ds.save_as(path)
        return f / "in" / "series", path
    return make


def _rtstruct_named(name: str):
    def make(f, r):
        from pydicom import dcmread

        _classic(f / "in" / "series")
        path = _rtstruct(f / "in" / "rt.dcm")
        ds = dcmread(path)
        for roi in ds.StructureSetROISequence:
            roi.ROIName = name
        ds.save_as(path)
        return f / "in" / "series", path
    return make


def _file_named(name: str):
    def make(f, r):
        image, labels = _labelled(f / "in")
        named = labels.with_name(name.replace("/", "") + ".nii.gz")
        labels.rename(named)
        (f / "in" / "labels.segments.json").rename(named.with_name(named.name[:-7] + ".segments.json"))
        return image, named
    return make


def _map_of(data: np.ndarray):
    def make(f, r):
        import nibabel as nib

        image, labels = _labelled(f / "in")
        nib.save(nib.Nifti1Image(data, _image_grid(), dtype=data.dtype), labels)
        (f / "in" / "labels.segments.json").unlink()
        return image, labels
    return make


def _values() -> dict[str, np.ndarray]:
    shape = (10, 9, 6)
    some = np.zeros(shape, np.float32)
    some[2:5, 2:5, 2:4] = 1.5
    nan = np.zeros(shape, np.float32)
    nan[2:5, 2:5, 2:4], nan[0, 0, 0] = 1, np.nan
    distinct = np.arange(np.prod(shape), dtype=np.int32).reshape(shape) * 3 + 70000
    return {
        "float_1_5": some,
        "float_nan_one_voxel": nan,
        "negative": np.full(shape, -1, np.int16),
        "int64_2e31": np.full(shape, 2**31, np.int64),
        "uint64_max": np.full(shape, np.iinfo(np.uint64).max, np.uint64),
        "int8_bool": (np.arange(np.prod(shape)).reshape(shape) % 2).astype(np.int8),
        "rgb_4d": np.zeros((*shape, 3), np.uint8),
        "distinct_540_over_65535": distinct,
        "float_1e38": np.full(shape, 1e38, np.float32),
    }


def cases(only: set[str] | None) -> list[tuple[str, str, object]]:
    found = []
    for name, value in NAMES.items():
        found.append(("names", f"sidecar_{name}", _sidecar_named(value)))
        found.append(("names", f"seg_label_{name}", _seg_named(value, "label")))
        found.append(("names", f"rtstruct_{name}", _rtstruct_named(value)))
    for name, value in HTML.items():
        found.append(("names", f"seg_description_{name}", _seg_named(value, "description")))
        found.append(("names", f"file_name_{name}", _file_named(value)))
    for name, data in _values().items():
        found.append(("values", name, _map_of(data)))
    return [c for c in found if only is None or c[0] in only]


# --- the window, in a child ----------------------------------------------------------------------

def window_stand_in(argv: list[str]) -> int:
    """``IMAGE LABELS HOME`` (limited_cli's ``LIMITED_CLI_ENTRY``): with ``HOME`` as
    NEUROVIEW_HOME, open ``IMAGE`` in a MainWindow
    (offscreen; one for every case of the child), *Load labels* ``LABELS``, select each segment;
    print ``rich: WIDGET TEXT`` for each label or tooltip rendering a value with MARK as HTML, the
    error bar's text on stderr (exit 1 when it shows one)."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1000, 760)
    window.show()

    def wait(condition, seconds=60.0):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            if condition():
                return
            time.sleep(0.02)

    image, labels, home = argv
    os.environ["NEUROVIEW_HOME"] = home   # the case's own: no workspace of an earlier case to restore
    window.open_paths([image])
    wait(lambda: window.message_bar.text or window.editor.session is not None and not window.runner.busy)
    window.edit_actions.load_labels(labels)
    wait(lambda: not window.runner.busy)
    session = window.editor.session
    for value in list(session.segments) if session is not None else []:
        session.segments.select(value)
        window.editor.segments_changed.emit()
        app.processEvents()
    for kind, text in _shown_as_html(window):
        if MARK in text and GuiQt.mightBeRichText(text) and _markup_taken(text):
            print(f"rich: {kind} {text[:80]!r}")
    error = window.message_bar.text
    if error:
        print(f"neuroview: error: {error}", file=sys.stderr)
    window.edit_actions.close_case()
    window.close()
    window.deleteLater()
    app.processEvents()
    return 1 if error else 0


def _shown_as_html(window):
    """``(kind, text)`` for each text of ``window`` Qt shows as HTML when it looks like HTML: every
    widget's and action's tooltip, every label's text not set to plain text, and the tooltips of
    the tables' cells and headers (the segment list's *From* cell; not looked at until session 48)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QTableWidget, QWidget

    for widget in window.findChildren(QWidget):
        yield type(widget).__name__, widget.toolTip()
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.PlainText:
            yield "QLabel", widget.text()
    for action in window.findChildren(QAction):
        yield "QAction", action.toolTip()
    for table in window.findChildren(QTableWidget):
        columns = range(table.columnCount())
        items = [table.horizontalHeaderItem(c) for c in columns]
        items += [table.item(r, c) for r in range(table.rowCount()) for c in columns]
        for item in filter(None, items):
            yield f"{table.objectName() or 'table'} cell", item.toolTip()


def _markup_taken(text: str) -> bool:
    """Whether HTML of the file's value in ``text`` (taken as HTML) is gone from what shows."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(text)
    return any(tag in text and tag not in document.toPlainText() for tag in ("<img", "<a ", "<font"))


def run_windows(root: Path, made: list[tuple[str, str, Path, object, object]]) -> list[dict]:
    """Each case's (kind, attack, folder, image, labels) through :func:`window_stand_in`, all in
    one limited child (one Qt application; each case its own window, alarm and peak)."""
    before = set(root.rglob("*"))
    argv = [[str(image), str(labels), str(case_dir / "home")] for _, _, case_dir, image, labels in made]
    results = run_limited(argv, seconds=WINDOW_SECONDS, env={
        "NEUROVIEW_HOME": str(root / "home"), "QT_QPA_PLATFORM": "offscreen",
        "LIMITED_CLI_ENTRY": "bench.hostile_files:window_stand_in"})
    records = []
    for (kind, name, case_dir, _, _), result in zip(made, results):
        outcome, detail = classify(result, case_dir, "window")
        if "rich: " in result["stdout"]:
            outcome, detail = "rich", result["stdout"].strip().splitlines()[0]
        records.append({"kind": kind, "attack": name, "verb": "window", "outcome": outcome,
                        "detail": detail[:300], "seconds": round(result["seconds"], 2),
                        "peak_mib": result["peak_rss"] >> 20})
    outside = [str(p) for p in set(root.rglob("*")) - before
               if not any(c in p.parents for _, _, c, _, _ in made) and root / "home" not in p.parents]
    if outside:
        records.append({"kind": "*", "attack": "*", "verb": "window", "outcome": "outside",
                        "detail": ", ".join(outside)[:300]})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=None, help="run only these kinds (names,values)")
    parser.add_argument("--attack", default=None, help="run only attacks containing this text")
    parser.add_argument("--no-window", action="store_true", help="the commands alone")
    parser.add_argument("--json", default=None, help="write every record here")
    args = parser.parse_args()
    chosen = cases(set(args.only.split(",")) if args.only else None)
    chosen = [c for c in chosen if args.attack is None or args.attack in c[1]]
    records, made = [], []
    with tempfile.TemporaryDirectory(prefix="hostile_files_") as tmp:
        root = Path(tmp)
        for index, (kind, name, make) in enumerate(chosen):
            # kinds_fuzz's commands: convert --labels, dataset add --labels
            records += run_case(root, index, kind, name, make, args.seed, segment=False)
            if not args.no_window:
                case_dir = root / f"w{index:03d}"
                case_dir.mkdir()
                made.append((kind, name, case_dir, *make(case_dir, random.Random(args.seed))))
        records += run_windows(root, made) if made else []
    for r in records:
        if r["outcome"] in BAD | {"rich"}:
            print(f"BAD {r['outcome']:8s} {r['kind']}/{r['attack']} {r['verb']}: {r['detail'][:200]}")
    counts = Counter(r["outcome"] for r in records)
    print(f"{len(chosen)} files, {len(records)} commands: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    bad = Counter(r["outcome"] for r in records if r["outcome"] in BAD | {"rich"})
    print("BAD by kind of defect: " + (", ".join(f"{k} {v}" for k, v in sorted(bad.items())) or "none"))
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    main()
