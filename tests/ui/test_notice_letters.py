"""With the notice and error bars shown, the axial view's orientation letters (the top one, A, too)
and its slice text are on screen as the view draws them, and the image stays where it was: the
bars float over the views below their title strip, which holds the title and the top letter.
Session 35 gave the bars rows of their own above the views to uncover the A; that moved the image
under the pointer whenever a notice came or went, and was reverted."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, write_image

from neuroview.render.slices import LETTER_COLOR
from neuroview.ui.notice_bar import TextScroll

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

TEXT_GREY = (230, 230, 230)   # the slice text's colour (render.slices.annotate)


def boxes(view) -> dict[str, tuple[int, int, int, int]]:
    """Where the view draws its letters and slice text, (x0, y0, x1, y1) in widget points."""
    w, h = view.width(), view.height()
    return {"top": (w // 2 - 12, 0, w // 2 + 12, 20), "bottom": (w // 2 - 12, h - 20, w // 2 + 12, h),
            "left": (0, h // 2 - 12, 20, h // 2 + 12), "right": (w - 20, h // 2 - 12, w, h // 2 + 12),
            "slice text": (0, h - 20, 90, h)}


def drawn(pixels, colour) -> int:
    return int(np.all(np.abs(pixels.astype(int) - colour) <= 40, axis=2).sum())


def on_screen(window, view) -> dict[str, np.ndarray]:
    """Each box as the window shows it, after checking the view draws its letter there."""
    own, shot = grab(view), grab(window)
    corner = view.mapTo(window, view.rect().topLeft())
    out = {}
    for name, (x0, y0, x1, y1) in boxes(view).items():
        colour = TEXT_GREY if name == "slice text" else LETTER_COLOR
        assert drawn(own[y0:y1, x0:x1], colour) > 10, f"the view draws no {name} letter there"
        out[name] = shot[corner.y() + y0:corner.y() + y1, corner.x() + x0:corner.x() + x1]
        np.testing.assert_array_equal(out[name], own[y0:y1, x0:x1], err_msg=name)
    return out


def centre(window, view) -> np.ndarray:
    c = view.mapTo(window, view.rect().center())
    return grab(window)[c.y() - 4:c.y() + 5, c.x() - 4:c.x() + 5]


def test_the_axial_letters_and_slice_text_show_and_the_image_stays_with_the_bars(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    for size in ((1000, 760), (1366, 740)):
        window.resize(*size)
        for layout in ("four-up", "single"):
            window.set_layout(layout)
            window.notice_bar.hide()
            window.message_bar.hide()
            qtbot.wait(50)
            place, image = axial.geometry().getRect(), centre(window, axial)
            window.notice_bar.show_message("lesionseg@2.1.0 on cpu: lesion 3.4 mL, brain 1452 mL. "
                                           "Correct it with the segment editor; Ctrl+Z removes it.")
            qtbot.wait(50)
            on_screen(window, axial)
            window.show_error("bad.nii.gz: not a NIfTI file")   # two bars, stacked
            qtbot.wait(50)
            assert window.notice_bar.isVisible() and window.message_bar.isVisible()
            on_screen(window, axial)
            assert axial.geometry().getRect() == place, (size, layout)
            np.testing.assert_array_equal(centre(window, axial), image, err_msg=f"{size} {layout}")


def test_long_notices_end_above_the_side_letters_and_scroll(qtbot, window, tmp_path):
    """Found walking the window at 1366x768: nine damaged files left out (six lines in the red bar)
    and a restore question over a 4D image's news (four lines) reached past the middle of the
    axial view and hid its R and L. The bars now end above them; their text scrolls."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.resize(1366, 740)
    window.notices.left_out([f"IM{i:04d}: not a DICOM file (no preamble)" for i in range(9)])
    window.notice_bar.ask("Restore 12 edits from the crash journal?",
                          [("Restore", lambda: None), ("Discard", lambda: None)], question_id="restore")
    window.notices.with_the_image("4D image: showing time point 1 of 20; choose another with "
                                  "Alt+Right or Time point in the Display panel")
    window.notices.with_the_image("Warning: slices resampled to a regular spacing")
    axial = window.slice_views["axial"]
    for layout in ("four-up", "single"):
        window.set_layout(layout)
        qtbot.wait(50)
        on_screen(window, axial)
        for bar in (window.message_bar, window.notice_bar):   # each still shows a line and its buttons
            assert bar.isVisible() and bar.height() >= bar.minimumSizeHint().height()
    window.set_layout("four-up")
    qtbot.wait(50)
    scrolled = [bar.findChild(TextScroll) for bar in (window.message_bar, window.notice_bar)]
    scrolled = [scroll for scroll in scrolled if scroll.verticalScrollBar().maximum() > 0]
    assert scrolled                                   # the lines below are a scroll away
    for scroll in scrolled:
        line = scroll.widget().fontMetrics().lineSpacing()
        assert scroll.viewport().height() % line == 0    # whole lines, none cut at the bottom
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
        qtbot.wait(50)
        text = scroll.widget()
        last = text.mapTo(scroll.viewport(), text.rect().bottomLeft()).y()
        assert scroll.viewport().height() - line <= last <= scroll.viewport().height()   # in sight
