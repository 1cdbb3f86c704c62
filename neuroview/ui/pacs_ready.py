"""A series retrieved in the background while the reader works on another image: not opened over
it (PACS viewers leave the view to the reader), but offered in the notice bar,
``Series 4 T2 axial from lab is ready`` with *Open*. In session 49's walk a T2 asked for earlier
opened over the T1 being read, taking its slice and window/level."""

from __future__ import annotations


def working_on(window, asked_over) -> bool:
    """The reader works on the image on screen: it was opened after the retrieval was asked (the
    image on screen then was ``asked_over``, None when none), or it has label edits or
    measurements."""
    controller = window.controller
    volume = controller.volume
    if volume is None:
        return False
    case = window.edit_actions.editor.case
    return (volume is not asked_over or (case is not None and case.modified)
            or any((controller.rulers, controller.angles, controller.ellipses, controller.rectangles)))


def arrived(window, folder: str, asked_over, what: str) -> None:
    """The series ``what`` (``series 4 T2 axial from lab``) is in ``folder``: opened as a local
    folder unless the reader works on another image (:func:`working_on`), then offered. *Open*
    opens it as File > Open does, unsaved edits asking Save / Discard / Cancel first; after
    Cancel it is offered still."""
    if not working_on(window, asked_over):
        window.open_paths([folder])
        return
    ready = f"{what[:1].upper()}{what[1:]} is ready"
    bar = window.notice_bar
    if bar.isVisible() and bar.question:   # a question waits (restore?): never replaced
        window.notices.news(f"{ready}: File > Open from PACS... opens it from the cache")
        return

    def offer() -> None:
        window.notices.ask(ready, [("Open", open_it), ("Dismiss", lambda: None)],
                           question_id=f"pacs-ready {folder}")

    def open_it() -> None:
        if not window.open_paths([folder]):   # Cancel on the unsaved-edits question: offered
            offer()                            # still (until session 50 it went, unsaid)

    offer()
