"""Model configuration errors say what is missing; `ask` falls back to quoting canon when the model fails."""

import json
import socket

import pytest

from bot.writing.errors import ModelNotConfigured, WritingError


@pytest.mark.parametrize("model,key,base,says", [
    ("gpt-4o-mini", None, None, "CLIFFHANGER_MODEL is set ('gpt-4o-mini') but neither OPENAI_API_KEY nor "
                                "OPENAI_BASE_URL is"),
    (None, "sk-test", None, "OPENAI_API_KEY is set but CLIFFHANGER_MODEL is not"),
    (None, None, "http://127.0.0.1:9/v1", "OPENAI_BASE_URL is set but CLIFFHANGER_MODEL is not"),
    (None, None, None, "no chat model configured: set CLIFFHANGER_MODEL"),
])
def test_missing_model_settings_are_named(jade, settings, model, key, base, says):
    settings.model, settings.openai_api_key, settings.openai_base_url = model, key, base
    with pytest.raises(ModelNotConfigured) as err:
        jade.write_scene("jade", "Gu Chen catches her at the safe")
    assert says in str(err.value)
    answer, _ = jade.ask("jade", "What does Wanwan do at night?")
    assert answer.mode == "extractive" and says in answer.model_error


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ask_falls_back_to_quotes_when_the_server_is_unreachable(cli, bible_file, settings, monkeypatch):
    monkeypatch.setenv("CLIFFHANGER_MODEL", "scripted-model")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    monkeypatch.setenv("CLIFFHANGER_MODEL_RETRIES", "0")
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    res = cli("ask", "--project", "jade", "What does Wanwan do at night?")
    assert res.exit_code == 0 and "night-shift nurse" in res.stdout
    note = res.stderr.strip().splitlines()
    assert len(note) == 1 and note[0].startswith("(quoted from canon: the model could not answer: cannot reach")
    doc = json.loads(cli("ask", "--project", "jade", "--json", "What does Wanwan do at night?").stdout)
    assert doc["mode"] == "extractive" and "cannot reach the model server at http://127.0.0.1" in doc["model_error"]
    res = cli("write", "--project", "jade", "A scene at the safe")  # generating commands still fail clearly
    assert res.exit_code == 1 and "cannot reach the model server" in res.stderr


@pytest.mark.parametrize("reply,why", [({"status": 500}, "HTTP 500"),
                                       ({"content": "not json"}, "not valid JSON twice")])
def test_ask_falls_back_when_the_model_fails(jade, llm, reply, why):
    llm.queue(reply, reply)
    answer, _ = jade.ask("jade", "What does Wanwan do at night?")
    assert answer.mode == "extractive" and "night-shift nurse" in answer.answer
    assert answer.model_error.startswith("the model could not answer") and why in answer.model_error
    llm.queue(reply, reply)
    with pytest.raises(WritingError, match=why):
        jade.twists("jade", "the seal")


def test_a_working_model_reports_no_error(jade, llm):
    llm.queue(json.dumps({"answer": "A nurse.", "citations": ["lin-wan"]}))
    answer, _ = jade.ask("jade", "What does Wanwan do?")
    assert answer.mode == "llm" and answer.model_error is None
