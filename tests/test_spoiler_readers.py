"""Every reader of canon reads it through a view opened at its own cut-off: pinned entries, looks, secrets,
names offered by autocomplete, exports and the series board hold nothing from a later episode."""

import json

import pytest

from bot.canon.models import EntryIn
from bot.production.service import Producer
from bot.writing.errors import WritingError
from bot.writing.service import Writer

LATER = ("ash grey", "cold blue after the funeral", "Dr. Zhou", "The twin sister", "forged the DNA test")
SCENE = "INT. GU MANSION - STUDY - NIGHT\n\nThe lamp flickers over the safe.\n"


class RecordingModel:
    """A configured model that keeps each prompt it is sent and then fails, so any reader can be walked."""

    configured = True

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def problem(self):
        return None

    def require(self) -> None:
        pass

    def _record(self, messages, *_args):
        self.prompts.append("\n".join(text for _, text in messages))
        raise WritingError("recorded")

    structured = complete = stream = _record


@pytest.fixture
def later_canon(jade):
    """Project jade with a pinned style rule that changes in episode 19, a character and a secret of episode 19."""
    jade.add_entry("jade", EntryIn(
        id="style", kind="rule", name="Style", pinned=True,
        text="Warm lamplight, vertical frames. In episode 19 the palette turns ash grey.",
        progressions=[{"episode": 19, "text": "Every frame is cold blue after the funeral."}]), "t")
    jade.add_entry("jade", EntryIn(id="dr-zhou", kind="character", name="Dr. Zhou", episode=19, look="white coat",
                                   text="The family doctor who forged the DNA test."), "t")
    for n, text in ((2, "The seal goes missing at dinner."), (19, "At the funeral Dr. Zhou forged the DNA test.")):
        jade.add_entry("jade", EntryIn(id=f"ep-{n}", kind="episode", name=f"Episode {n}", episode=n, text=text), "t")
    jade.add_secret("jade", "t", id="twin", name="The twin sister", true_from=19, terms=["twin"])
    model = RecordingModel()
    jade._writer = Writer(jade.settings, model=model)
    jade._producer = Producer(jade.settings, model)
    return jade, model


def leaked(text: str) -> list[str]:
    return [p for p in LATER if p.casefold() in text.casefold()]


def prompt_of(model, call) -> str:
    with pytest.raises(WritingError):
        call()
    return model.prompts[-1]


def test_model_prompts_hold_no_later_pinned_text(later_canon):
    room, model = later_canon
    readers = {
        "promo": lambda: room.promo("jade", 3, count=1, angles=["revenge"]),
        "storyboard": lambda: room.storyboard("jade", SCENE, episode=3, images=False),
        "translate": lambda: room.translate("jade", SCENE, "zh", episode=3),
        "twists": lambda: room.twists("jade", "the safe", episode=3),
        "outline": lambda: room.outline("jade", 3, "the safe"),
        "write": lambda: room.write_scene("jade", "the safe", [], episode=3),
    }
    found = {name: leaked(prompt_of(model, call)) for name, call in readers.items()}
    assert found == {name: [] for name in readers}
    assert "Warm lamplight" in model.prompts[0]  # the pinned rule itself still reaches the prompt


def test_look_sheet_secrets_autocomplete_export_and_board_as_of_an_episode(later_canon):
    room, _model = later_canon
    assert leaked(room.look_sheet("jade", as_of_episode=3).render()) == []
    assert "Warm lamplight" in room.look_sheet("jade", as_of_episode=3).render()
    assert "ash grey" in room.look_sheet("jade").render()  # no episode named: the whole series
    assert [r.secret.name for r in room.secrets("jade", 3) if r.secret.id == "twin"] == []
    assert leaked(json.dumps([r.as_json() for r in room.secrets("jade", 3)])) == []
    assert room.entry_names_matching("jade", "Dr", 25, as_of_episode=3) == []
    assert room.entry_names_matching("jade", "Dr", 25, as_of_episode=19) == [("dr-zhou", "Dr. Zhou")]
    for fmt in ("json", "markdown"):
        assert leaked(room.export("jade", fmt, as_of_episode=3)) == []
    assert "cold blue after the funeral" in room.export("jade", "json")  # the editors' export: the whole series
    board = room.series_board("jade", as_of_episode=3)
    assert leaked(json.dumps(board.to_dict(), ensure_ascii=False)) == [] and max(e.episode for e in board.episodes) <= 3


def test_a_view_of_canon_cannot_be_opened_without_its_cut_off(later_canon):
    from bot.canon.view import WHOLE_SERIES

    room, _model = later_canon
    for missing in ((), (None,)):
        with pytest.raises(TypeError):
            room.canon.view("jade", *missing)
    with pytest.raises(TypeError):
        room.canon_view("jade")
    assert room.canon.view("jade", WHOLE_SERIES)[1].as_of is None
    assert leaked(" ".join(e.text for e in room.canon.view("jade", 3)[1].pinned())) == []
