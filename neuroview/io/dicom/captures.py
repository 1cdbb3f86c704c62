"""A secondary capture said as such: a picture saved from a screen or a page (a CT's dose page,
its protocol, a screenshot), stored with SOP class Secondary Capture Image Storage. Opened alone it
showed as a one-slice colour image under warnings about its missing position, with no word of
what it was."""

from __future__ import annotations

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
"""Secondary Capture Image Storage (the multi-frame classes, ``...1.7.1`` to ``...1.7.4``, may
hold a placed volume, and are not said)."""
CAPTURE_WARNING = ("secondary capture: a picture saved from a screen or a page (a dose page, a "
                   "protocol, a screenshot), not the scanner's images; open the study's folder to "
                   "choose its series")


def name_captures(plan, refs) -> None:
    """Say first among ``plan``'s warnings that its images (``refs``) are secondary captures,
    when every one of them is."""
    if refs and all(ref.capture for ref in refs):
        plan.warnings.insert(0, CAPTURE_WARNING)
