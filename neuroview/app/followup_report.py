"""The follow-up report: one self-contained HTML file (images embedded as base64 PNG) and a PDF.
:mod:`.followup_outputs` writes it, and the files beside it, for ``neuroview followup`` and the
window's Report...

No patient identifiers: studies are named as the window names them (:mod:`.followup_names`: the
number, and the study's date and series description), never by patient fields or file names.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import Optional

from .followup import Comparison
from .followup_checks import repeatability_text
from .followup_lesions import (
    MARKED_WRONG,
    READER_COLUMN,
    column_title,
    for_reading,
    table_columns,
    table_rows,
)
from .followup_location import locations_lines
from .followup_marks import marked_line
from .followup_track import Tracking

NOT_A_DIAGNOSIS = ("This report is not a diagnosis. It lists automatic measurements made by "
                   "software on lesion masks that may contain errors; a qualified physician must "
                   "review the images and decide.")
KEY_STATUSES = ("new", "enlarging")
STATUS_ORDER = ("new", "enlarging", "stable", "shrinking", "resolved")


@dataclass
class ReportInfo:
    masks_by: str = "not stated"
    """Which model and version made the masks, and whether a person corrected them."""
    study_names: list[str] = field(default_factory=list)
    brain_masks: str = ""
    """How the brain masks were made (empty when there were none)."""
    software: str = ""


def _image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def report_html(comparisons: list[Comparison], key_slices: dict, info: ReportInfo,
                tracking: Optional[Tracking] = None) -> str:
    """The report; ``key_slices[(follow-up index, lesion id)]`` is ``(baseline PNG, later PNG)``
    bytes for each new or enlarging lesion; ``tracking``, the table across all time points."""
    names = info.study_names or ["baseline"] + [f"follow-up {n}" for n in range(1, len(comparisons) + 1)]
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8"><title>Follow-up report</title>',
           "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
           "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;"
           "text-align:right}.warn{border:2px solid #b00;padding:0.5em}img{margin:4px}</style>",
           "</head><body>", "<h1>Follow-up report</h1>",
           f'<p class="warn"><b>{html.escape(NOT_A_DIAGNOSIS)}</b></p>',
           f"<p>Lesion masks: {html.escape(info.masks_by)}.</p>"]
    if info.software:
        out.append(f"<p>Made by {html.escape(info.software)}.</p>")
    out.append("<h2>Totals</h2><table><tr><th>study</th><th>lesions</th><th>lesion load (mL)</th>"
               "<th>new</th><th>enlarging</th><th>shrinking</th><th>resolved</th>"
               "<th>brain volume change</th></tr>")
    if comparisons:
        first = comparisons[0].table
        count = first.lesions_baseline
        out.append(f"<tr><td>{html.escape(names[0])}</td><td>{count}</td>"
                   f"<td>{first.load_baseline_ml:.2f}</td>" + "<td></td>" * 5 + "</tr>")
    for number, comparison in enumerate(comparisons, start=1):
        table = comparison.table
        count = table.lesions_followup
        bvc = ("not measured (no brain masks)" if comparison.brain_volume_change_pct is None else
               f"{comparison.brain_volume_change_pct:+.2f} % "
               f"({repeatability_text(comparison, '&plusmn;')})")
        cells = [html.escape(names[number]), str(count), f"{table.load_followup_ml:.2f}",
                 *(str(table.count(s)) for s in ("new", "enlarging", "shrinking", "resolved")), bvc]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    out.extend(f"<p>{html.escape(names[number])}: {html.escape(line)}.</p>"
               for number, comparison in enumerate(comparisons, start=1)
               for line in locations_lines(comparison.table.rows))
    if tracking is not None and marked_line(tracking):
        out.append(f"<p><b>{html.escape(marked_line(tracking))}.</b></p>")
    plot = plot_png(comparisons, names)
    if plot is not None:
        out.append("<p>" + _image(plot, "lesion count and load over time") + "</p>")
    if info.brain_masks:
        out.append(f"<p>Brain masks: {html.escape(info.brain_masks)}.</p>")
    if tracking is not None:
        out.append(f"<h2>{TRACKING_TITLE}</h2><p>{html.escape(tracking_note(names))}</p>")
        out.extend(_html_table(tracking.columns(), tracking.text_rows()))
    for number, comparison in enumerate(comparisons, start=1):
        reg = comparison.registration
        out.append(f"<h2>{html.escape(names[0])} &rarr; {html.escape(names[number])}</h2>")
        out.append(f"<p>Registration: {reg.kind}, Mattes mutual information {reg.metric:.3f}. "
                   f"{html.escape(criteria(comparison))}</p>")
        out.extend(f'<p class="warn">Warning: {html.escape(note)}.</p>' for note in comparison.notes)
        out.extend(_html_table(table_columns(comparison.table), table_rows(comparison.table)))
        key_rows = [r for r in comparison.table.kept if r.status in KEY_STATUSES]
        if key_rows:
            out.append("<h3>Key slices of new and enlarging lesions (axial, left: "
                       f"{html.escape(names[0])}, right: {html.escape(names[number])})</h3>")
        for row in key_rows:
            pngs = key_slices.get((number, row.id))
            if pngs is None:
                continue
            out.append(f"<p>Lesion {row.id} ({row.status}{', ' + row.event if row.event else ''}), "
                       f"{row.volume_baseline_ml:.3f} &rarr; {row.volume_followup_ml:.3f} mL<br>"
                       + _image(pngs[0], f"lesion {row.id} {names[0]}")
                       + _image(pngs[1], f"lesion {row.id} {names[number]}") + "</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


TRACKING_TITLE = "Lesions across all time points"


def criteria(comparison: Comparison) -> str:
    """The rule the statuses of ``comparison`` were decided by (the window's boxes or the
    command's --min-change-pct / --min-change-ml): a reader sees why a lesion that grew is
    ``stable``."""
    t = comparison.thresholds
    return (f"Enlarging or shrinking: the volume changed by at least {t.min_change_pct:g} % of "
            f"the baseline volume and {t.min_change_ml:g} mL; stable otherwise.")


def time_points_legend(names: list[str]) -> str:
    """Which study each tpN is: ``tp1 = baseline, tp2 = follow-up 1...``."""
    return ", ".join(f"tp{n} = {name}" for n, name in enumerate(names, start=1))


def tracking_note(names: list[str]) -> str:
    """What the time-point columns mean, for the report."""
    return (time_points_legend(names)
            + "; Status: of the last step in which the lesion was present (Status tpN: against "
              "the time point before); Change: from tp1 to the last time point.")


# -- PDF ------------------------------------------------------------------------------------------
TABLE_ROWS_PER_PAGE = 28


def _html_table(columns, rows) -> list[str]:
    """A lesion table's lines of HTML, its positions as sides (``L 21.1``: :func:`for_reading`),
    headed by the window's words (:func:`column_title`; the CSV's names until session 45)."""
    columns, rows = for_reading(columns, rows)
    marked = columns[-1] == READER_COLUMN   # a row the reader marked wrong: struck through

    def row_start(cells) -> str:
        return ('<tr style="text-decoration:line-through;color:#777">'
                if marked and cells[-1] == MARKED_WRONG else "<tr>")

    return (["<table><tr>" + "".join(f"<th>{html.escape(column_title(c))}</th>" for c in columns) + "</tr>"]
            + [row_start(cells) + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
               for cells in rows]
            + ["</table>"])


def pdf_available() -> bool:
    """PDF reports need matplotlib (``pip install neuroview[report]``)."""
    try:
        import matplotlib  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def write_report_pdf(path, comparisons: list[Comparison], key_slices: dict, info: ReportInfo,
                     tracking: Optional[Tracking] = None) -> None:
    """The report as PDF (matplotlib): a summary page with the lesion count and load over time,
    the table across all time points, the lesion table of each later study, then the key slices;
    written atomically."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages  # noqa: PLC0415

    from ..core.atomic import atomic_path  # noqa: PLC0415

    names = info.study_names or ["baseline"] + [f"follow-up {n}" for n in range(1, len(comparisons) + 1)]
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.size": 8}), atomic_path(path) as tmp:
        with PdfPages(tmp) as pdf:
            pdf.savefig(summary_page(comparisons, names, info, tracking))
            if tracking is not None:
                for figure in _table_pages(*for_reading(tracking.columns(), tracking.text_rows()),
                                           TRACKING_TITLE, tracking_note(names)):
                    pdf.savefig(figure)
            for number, comparison in enumerate(comparisons, start=1):
                for figure in _table_pages(*for_reading(table_columns(comparison.table),
                                                        table_rows(comparison.table)),
                                           f"Lesions, {names[0]} -> {names[number]}"):
                    pdf.savefig(figure)
                for figure in _key_slice_pages(number, comparison, key_slices, names):
                    pdf.savefig(figure)


def _figure():
    from matplotlib.figure import Figure  # noqa: PLC0415

    return Figure(figsize=(8.27, 11.69))  # A4 portrait


def summary_page(comparisons, names, info, tracking=None):
    import textwrap  # noqa: PLC0415

    figure = _figure()
    figure.text(0.08, 0.95, "Follow-up report", fontsize=16, weight="bold")
    figure.text(0.08, 0.91, textwrap.fill(NOT_A_DIAGNOSIS, 95), weight="bold", color="#b00000", va="top")
    lines = [f"Lesion masks: {info.masks_by}."]
    if info.brain_masks:
        lines.append(f"Brain masks: {info.brain_masks}.")
    if info.software:
        lines.append(f"Made by {info.software}.")
    if tracking is not None and marked_line(tracking):
        lines.append(marked_line(tracking) + ".")
    counts, loads = counts_and_loads(comparisons)
    for number, comparison in enumerate(comparisons, start=1):
        table = comparison.table
        change = comparison.brain_volume_change_pct
        bvc = ("not measured" if change is None else
               f"{change:+.2f} % ({repeatability_text(comparison, '+/-')})")
        counted = ", ".join(f"{table.count(s)} {s}" for s in STATUS_ORDER)
        lines.append(f"{names[number]}: {counted}; brain volume change {bvc}. {criteria(comparison)}"
                     + "".join(f" Warning: {note}." for note in comparison.notes))
        lines.extend(f"{names[number]}: {line}." for line in locations_lines(table.rows))
    text = "\n".join(textwrap.fill(line, 100, subsequent_indent="    ") for line in lines)
    figure.text(0.08, 0.84, text, va="top")
    if counts:   # under the text, however many lines it took (warnings make it longer)
        top = min(0.65, 0.84 - 0.018 * (text.count("\n") + 1) - 0.05)
        _plot_over_time(figure.add_axes([0.12, max(top - 0.3, 0.05), 0.76, min(0.3, top - 0.05)]),
                        names, counts, loads)
    return figure


LOAD_COLOUR, COUNT_COLOUR = "#b00000", "#304080"


def counts_and_loads(comparisons: list[Comparison]) -> tuple[list[int], list[float]]:
    """Lesion count (lesions that merged or split counted apart) and load (mL) at each time point,
    baseline first; lesions the reader marked wrong left out."""
    if not comparisons:
        return [], []
    counts = [comparisons[0].table.lesions_baseline]
    loads = [comparisons[0].table.load_baseline_ml]
    for comparison in comparisons:
        counts.append(comparison.table.lesions_followup)
        loads.append(comparison.table.load_followup_ml)
    return counts, loads


def _plot_over_time(axes, names, counts, loads) -> None:
    axes.plot(names[:len(loads)], loads, "o-", color=LOAD_COLOUR, label="lesion load (mL)")
    axes.set_ylabel("lesion load (mL)", color=LOAD_COLOUR)
    axes.set_ylim(bottom=0, top=max(max(loads) * 1.15, 0.1))
    twin = axes.twinx()
    twin.plot(names[:len(counts)], counts, "s--", color=COUNT_COLOUR, label="lesion count")
    twin.set_ylabel("lesion count", color=COUNT_COLOUR)
    twin.set_ylim(bottom=0, top=max(counts) * 1.15 + 1)
    axes.set_title("Lesion count and load over time")


def plot_png(comparisons: list[Comparison], names: list[str]) -> Optional[bytes]:
    """The lesion count and load over time as PNG bytes (the PDF's plot), or None without
    matplotlib or comparisons."""
    import io  # noqa: PLC0415

    if not comparisons or not pdf_available():
        return None
    from matplotlib.figure import Figure  # noqa: PLC0415

    counts, loads = counts_and_loads(comparisons)
    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    _plot_over_time(figure.add_axes([0.12, 0.14, 0.74, 0.74]), names, counts, loads)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _table_pages(columns, rows, title, note=""):
    import textwrap  # noqa: PLC0415

    for start in range(0, max(len(rows), 1), TABLE_ROWS_PER_PAGE):
        figure = _figure()
        figure.text(0.05, 0.96, title, fontsize=12, weight="bold")
        if note:
            figure.text(0.05, 0.945, textwrap.fill(note, 120), fontsize=7, va="top")
        axes = figure.add_axes([0.03, 0.05, 0.94, 0.86 if note else 0.88])
        axes.axis("off")
        chunk = rows[start:start + TABLE_ROWS_PER_PAGE] or [[""] * len(columns)]
        table = axes.table(cellText=chunk, colLabels=[column_title(c) for c in columns], loc="upper center")
        table.auto_set_font_size(False)
        table.auto_set_column_width(list(range(len(columns))))  # words and headers fit their cells
        _fit_width(figure, axes, table, 6.5 if len(columns) <= 12 else 5.0)
        yield figure


def _fit_width(figure, axes, table, size: float) -> None:
    """Set the table's type to ``size``, or smaller until the table is no wider than ``axes``: 6
    time points and more (21 columns) ran off both sides of the page."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415

    renderer = FigureCanvasAgg(figure).get_renderer()
    room = axes.get_window_extent(renderer).width
    for _ in range(4):   # cells are as wide as their words and a margin: near after one step
        table.set_fontsize(size)
        table.draw(renderer)
        width = table.get_window_extent(renderer).width
        if width <= room:
            return
        size *= 0.98 * room / width


def _key_slice_pages(number, comparison, key_slices, names, per_page: int = 3):
    import io  # noqa: PLC0415

    from matplotlib.image import imread  # noqa: PLC0415

    rows = [r for r in comparison.table.kept
            if r.status in KEY_STATUSES and (number, r.id) in key_slices]
    for start in range(0, len(rows), per_page):
        figure = _figure()
        for slot, row in enumerate(rows[start:start + per_page]):
            for column, png in enumerate(key_slices[(number, row.id)]):
                axes = figure.add_axes([0.06 + column * 0.46, 0.68 - slot * 0.31, 0.42, 0.27])
                axes.imshow(imread(io.BytesIO(png), format="png"))
                axes.axis("off")
                axes.set_title(f"lesion {row.id} ({row.status}), {names[0 if column == 0 else number]}")
        yield figure
