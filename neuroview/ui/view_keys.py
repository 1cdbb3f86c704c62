"""The keys and gestures of the slice views (``slice_widget.py``), for *Help > Keyboard shortcuts*."""

VIEW_KEYS = (
    ("Wheel, Up/Down, PgUp/PgDn, Left/Right", "Next / previous slice"),
    ("Home / End", "First / last slice of this view (the I, P or L end / the S, A or R end)"),
    ("Ctrl+wheel, right-drag", "Zoom about the pointer"),
    ("Shift+wheel (Paint, Erase)", "Larger / smaller brush, a notch as ] / [ (Slicer's gesture)"),
    ("+, =, Ctrl+=  /  -, _, Ctrl+-", "Zoom in / out (about the pointer over the view, else its centre)"),
    ("Middle-drag", "Pan"),
    ("Right click (no drag)", "This view's menu: alone / back, reset, window presets, mouse tools, export"),
    ("Right click (no drag, 3D view)", "Its menu: alone / back, reset camera, look from A/P/L/R/S/I,"
                                       " volume rendering, segment surfaces, slice planes, export"),
    ("Menu key, Shift+F10", "The view's right-click menu (the 3D view's too), at its centre"),
    ("Double-click", "Maximise this view / back"),
    ("R", "Reset this view (over the 3D view: its camera)"),
    ("Left/Right, Up/Down (3D view)", "Turn the 3D view 15 degrees, as a drag that way (Slicer's step)"),
    ("Shift+click (3D view)", "Move the crosshair to the segment surface, slice plane or volume drawn there"),
    ("Drag a ruler's end (Ruler, F3)", "Move that end; a click on a ruler selects it"),
    ("Drag a ruler's end (Navigate, N)", "Move that end (a press elsewhere navigates)"),
    ("Delete, Backspace", "Delete the selected ruler, else the newest on this slice"),
    ("Click, drag or click, click (Angle, F5)", "First arm, vertex, second arm: the angle"),
    ("Delete, Backspace (Angle, F5)", "Delete the newest angle on this slice"),
    ("Drag a selected ellipse's handle (Ellipse, F7)", "Resize it; a click on its outline selects it"),
    ("Delete, Backspace (Ellipse, F7)", "Delete the selected ellipse, else the newest on this slice"),
    ("Right-click a ruler, angle or ellipse", "Its menu: Delete"),
    ("Enter", "Accept the preview (AI click, grow, fill between slices): one undo step"),
    ("Esc", "Drop the angle in progress (Angle) or the statistics rectangle; else cancel the stroke"
            " in progress, discard the preview; else cancel the job the status bar shows (as its"
            " Cancel); else stop the cine (C, Shift+C), else leave full screen (F11)"),
    ("Click, Shift+click or right-click (AI click, K)", "Include / exclude a point"),
    ("Drag, Ctrl+drag (AI click, K)", "Box (or scribble) / lasso around the object"),
    ("Ctrl+Z (AI click, K)", "Take back the last prompt of the object in progress"),
)
"""Keys and gestures the slice views handle themselves (listed in Help > Keyboard shortcuts)."""
