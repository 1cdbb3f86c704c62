"""The registry reads each model card once per version of its file (a main window listed the
registry three times, reading every card each time), and still sees at its next listing a card
edited, a model added or removed, a card broken or repaired."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from neuroview.ai.api import ModelCard
from neuroview.ai.registry import Registry

BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "models"


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """A registry over copies of the bundled cards, and the list of card folders read."""
    bundled = tmp_path / "bundled"
    for card in BUNDLED.glob("*/model.json"):
        (bundled / card.parent.name).mkdir(parents=True)
        shutil.copy(card, bundled / card.parent.name / "model.json")
    read = []   # the package folder of each card parsed
    real = ModelCard.from_json.__func__

    def counting(cls, text, source=""):
        read.append(Path(source).parent.name)
        return real(cls, text, source)

    monkeypatch.setattr(ModelCard, "from_json", classmethod(counting))
    return Registry(home=tmp_path / "home", bundled=bundled), read


def _rewrite(card_path: Path, **changes) -> None:
    data = json.loads(card_path.read_text())
    data.update(changes)
    card_path.write_text(json.dumps(data))


def test_each_card_is_read_once_until_its_file_changes(registry):
    registry, read = registry
    first = {e.ref: e.card.description for e in registry.entries()}
    assert registry.default_ref("interactive") == "clickseg@" + registry.get("clickseg").card.version
    registry.entries()
    registry.unreadable()
    assert sorted(read) == ["clickseg", "lesionseg"], "one read per card, not one per listing"

    _rewrite(registry.bundled_dir / "lesionseg" / "model.json", description="Edited card")
    described = {e.ref: e.card.description for e in registry.entries()}
    assert described[next(r for r in first if r.startswith("lesionseg"))] == "Edited card"
    assert sorted(read) == ["clickseg", "lesionseg", "lesionseg"], "only the edited card again"


def test_a_model_added_removed_broken_or_repaired_is_seen_at_the_next_listing(registry):
    registry, read = registry
    registry.entries()
    user = registry.models_dir / "mine@2.0.0"
    user.mkdir(parents=True)
    shutil.copy(registry.bundled_dir / "lesionseg" / "model.json", user / "model.json")
    _rewrite(user / "model.json", name="mine", version="2.0.0")
    assert "mine@2.0.0" in {e.ref for e in registry.entries()}

    (user / "model.json").write_text('{"name": "mine", "labels": [')
    assert "mine@2.0.0" not in {e.ref for e in registry.entries()}
    assert [str(e) for e in registry.unreadable()] == [
        f"{user / 'model.json'}: model card is not valid JSON (it ends at line 1, column 29, where a "
        "value belongs: cut short?)"]

    shutil.copy(registry.bundled_dir / "lesionseg" / "model.json", user / "model.json")
    _rewrite(user / "model.json", name="mine", version="2.0.0")
    assert "mine@2.0.0" in {e.ref for e in registry.entries()}
    assert registry.unreadable() == []

    shutil.rmtree(user)
    assert "mine@2.0.0" not in {e.ref for e in registry.entries()}
    assert read.count("mine@2.0.0") == 3   # added, broken, repaired: once each


def test_a_card_changed_by_a_caller_leaves_the_next_listing_alone(registry):
    registry, _ = registry
    card = registry.get("lesionseg").card
    version = card.version
    card.version = "99.0.0"   # finetune sets a copied card's version and name
    card.name = "changed"
    assert registry.get("lesionseg").card.version == version
