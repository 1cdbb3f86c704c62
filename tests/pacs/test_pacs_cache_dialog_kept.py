"""Settings > PACS cache... counts the images kept for a retry in what the cache holds, as its
bound does (they were left out of both until session 49)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from neuroview.io.pacs import SeriesCache
from neuroview.ui.pacs_servers import CacheDialog


def test_the_cache_dialog_counts_the_images_kept_for_a_retry(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path))
    cache = SeriesCache()
    with cache.incoming("1.1") as folder:
        (folder / "1.9.1.dcm").write_bytes(b"s" * 1_000_000)
    with pytest.raises(KeyboardInterrupt), cache.incoming("1.2") as folder:
        (folder / "1.9.2.dcm").write_bytes(b"k" * 2_000_000)
        raise KeyboardInterrupt
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = CacheDialog(parent)
    assert dialog.used_label.text() == ("1 series and 1 cut short (their images kept for a retry), "
                                        "0.003 GB now in pacs-cache in …/" + tmp_path.name)
