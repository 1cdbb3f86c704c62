"""A reused measurement says when it was measured in local time: ``models compare --dataset``
printed ``(reused from 2026-12-05 08:55 UTC: ...)``, the stamp ``measurements.json`` keeps, to a
reader in another zone; now ``(reused from yesterday 14:25: ...)`` (``app.shown_time``), and the
``--json`` the Models dialog reads names the reused figures' stamp. measurements.json keeps UTC
(ISO 8601 since session 34; an old ``... UTC`` stamp is read too)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.ai.model_cards import two_tiny_models
from tests.ui.train_data import make_raw_dataset

torch = pytest.importorskip("torch")

INDIA = "IST-5:30"   # a POSIX zone 5 h 30 min east of UTC (no tz database needed)


@pytest.fixture
def india(monkeypatch):
    monkeypatch.setenv("TZ", INDIA)
    time.tzset()
    yield timezone(timedelta(hours=5, minutes=30))
    monkeypatch.undo()
    time.tzset()


def test_a_reused_measurement_says_when_in_local_time(capsys, tmp_path, rng, card_factory, india):
    from neuroview.cli.main import main

    raw_dataset = make_raw_dataset(tmp_path, rng)
    registry = two_tiny_models(tmp_path, card_factory)
    out_json = tmp_path / "measured.json"
    compare = [str(a) for a in ("models", "compare", "tiny@1.0.0", "tiny@1.1.0", "--dataset",
                                raw_dataset, "--device", "cpu", "--json", out_json)]
    assert main(compare) == 0
    capsys.readouterr()
    store = registry.home / "measurements.json"
    kept = json.loads(store.read_text())
    stamps = [item["measured_at"] for item in kept.values()]
    assert all(datetime.fromisoformat(s.replace("Z", "+00:00")).utcoffset() == timedelta(0)
               for s in stamps), stamps                           # UTC, ISO 8601
    assert json.loads(out_json.read_text())["models"]["tiny@1.0.0"]["reused_from"] == ""

    # as session 33 kept it: 'YYYY-MM-DD HH:MM UTC', a day ago
    day_ago = (datetime.now(timezone.utc) - timedelta(days=1)).replace(second=0, microsecond=0)
    for item in kept.values():
        item["measured_at"] = f"{day_ago:%Y-%m-%d %H:%M} UTC"
    store.write_text(json.dumps(kept))
    assert main(compare) == 0
    out = capsys.readouterr().out
    local = day_ago.astimezone(india)
    lines = [line for line in out.splitlines() if ": held-out Dice on " in line]
    assert len(lines) == 2 and all(f"(reused from yesterday {local:%H:%M}: " in line for line in lines), out
    assert "UTC" not in out
    models = json.loads(out_json.read_text())["models"]
    assert models["tiny@1.1.0"]["reused_from"] == f"{day_ago:%Y-%m-%d %H:%M} UTC"
