"""The model writes in the project's language: every prompt that writes for the room tells the model the
language from `/settings language`, read off what the scripted server received."""

import pytest

from bot.writing.prompts import language_rule

SCENE = "INT. GU MANSION - STUDY - NIGHT\n\nLin Wan freezes at the open safe.\n\nGU CHEN\nExplain this.\n"

WRITERS = {
    "check": lambda room: room.check("jade", "INT. STUDY - NIGHT\n\nGu Chen smiles.", episode=3),
    "scene": lambda room: room.write_scene("jade", "Gu Chen catches Lin Wan at the safe", ["Gu Chen"], 7),
    "twists": lambda room: room.twists("jade"),
    "outline": lambda room: room.outline("jade", 3),
    "storyboard": lambda room: room.storyboard("jade", scene_text=SCENE, episode=3),
    "promo": lambda room: room.promo("jade", 2),
}


def _system_prompt_of(room, llm, call) -> str:
    llm.fallback = lambda body: {"status": 400}  # the prompt is what matters here, not the reply
    try:
        call(room)
    except Exception:
        pass
    assert llm.requests, "no model call was made"
    return llm.requests[-1]["messages"][0]["content"]


@pytest.mark.parametrize("feature", sorted(WRITERS))
def test_a_chinese_project_has_the_model_write_in_chinese(jade, llm, feature):
    jade.update_project_settings("jade", language="zh")
    system = _system_prompt_of(jade, llm, WRITERS[feature])
    assert "Write everything you write for it in Chinese (Simplified, China) (中文 (简体, 中国))" in system


def test_a_project_without_a_language_gets_no_rule_and_answers_and_translations_keep_theirs(jade, llm):
    """/ask answers in the question's language (prompts/ask.md); a translation writes its target language."""
    assert "Write everything you write" not in _system_prompt_of(jade, llm, WRITERS["twists"])
    jade.update_project_settings("jade", language="zh-TW")
    for other in (lambda r: r.translate("jade", SCENE, "en"), lambda r: r.ask("jade", "Who took the seal?"),
                  lambda r: r.suggest_glossary("jade", "en")):
        assert "Write everything you write" not in _system_prompt_of(jade, llm, other)


def test_language_rule_names_the_language_in_english_and_in_itself():
    assert "Chinese (Traditional, Taiwan) (中文 (繁體, 台灣))" in language_rule("zh-TW")
    assert "English (English)" in language_rule("en") and language_rule("") == "" and language_rule(None) == ""


def test_the_cli_sets_the_language_the_model_then_writes_in(jade, cli, settings, llm, monkeypatch):
    import bot.cli.production_desk
    import bot.cli.writing
    from bot.room import WritersRoom

    def room():
        return WritersRoom(settings, embedder=jade.embedder)

    monkeypatch.setattr(bot.cli.production_desk, "open_room", room)
    monkeypatch.setattr(bot.cli.writing, "open_room", room)
    assert "language: zh-TW" in cli("production-settings", "--project", "jade", "--language", "zh-TW").output
    bad = cli("production-settings", "--project", "jade", "--language", "fr")
    assert bad.exit_code == 1 and "'fr' is not a language the room speaks: use en, zh-CN or zh-TW" in bad.output
    llm.fallback = lambda body: {"status": 400}
    cli("twists", "--project", "jade")
    assert "Chinese (Traditional, Taiwan)" in llm.requests[-1]["messages"][0]["content"]
