"""The opt-in reranker: a /rerank endpoint reorders the fused ranking; when it fails, searches go on."""

import json
import logging

import pytest

from bot.canon.errors import InvalidInput
from bot.canon.retrieval import rank
from bot.room import WritersRoom


def favour(word):
    """A scripted cross-encoder that finds ``word`` the only relevant thing in any passage."""
    return lambda query, docs: [0.9 if word in d.lower() else 0.1 for d in docs]


@pytest.fixture
def reranked(settings, embedder, llm, bible_file):
    def make(spec="rerank:scripted-reranker"):
        settings.reranker = spec
        room = WritersRoom(settings, embedder=embedder)
        room.create_project("jade")
        room.import_files([bible_file], "jade", author="tester")
        return room

    rooms = []
    yield lambda spec="rerank:scripted-reranker": rooms.append(make(spec)) or rooms[-1]
    for room in rooms:
        room.close()


@pytest.mark.parametrize("spec", ["rerank:scripted-reranker", "tei"])
def test_the_reranker_decides_the_order_and_its_relevance_is_the_score(reranked, llm, spec):
    room = reranked(spec)
    question = "Who took the jade seal?"
    assert room.retrieve("jade", question, k=1)[0].id != "ep12"  # the fused ranking alone
    llm.rerank_scores = favour("heirloom")
    hits = room.retrieve("jade", question, k=3)
    assert hits[0].id == "ep12" and hits[0].score == 0.9
    assert all(h.score == 0.1 for h in hits[1:])
    body = llm.rerank_requests[-1]
    assert body["query"] == question
    passages = body.get("documents") or body.get("texts")
    assert any(p.startswith("Episode 7: The seal is gone") for p in passages)  # name and best chunk
    assert (body.get("model") == "scripted-reranker") == (spec != "tei")


def test_a_failing_reranker_leaves_the_fused_ranking_and_warns_once(reranked, llm, caplog):
    room = reranked()
    llm.rerank_scores = None  # the endpoint answers 500
    with caplog.at_level(logging.WARNING, logger="cliffhanger"):
        first = room.retrieve("jade", "Who took the jade seal?", k=3)
        again = room.retrieve("jade", "Who took the jade seal?", k=3)
    index = room.index(room.project("jade"))
    fused = rank(index.candidates("Who took the jade seal?"), 3)
    assert [h.id for h in first] == [h.id for h in again] == [h.id for h in fused]
    assert len([r for r in caplog.records if "reranker" in r.getMessage()]) == 1
    llm.rerank_scores = favour("heirloom")
    assert room.retrieve("jade", "Who took the jade seal?", k=1)[0].id == "ep12"  # back when it answers


def test_the_reranker_reads_only_what_is_true_as_of_the_episode(reranked, llm, tmp_path):
    room = reranked()
    path = tmp_path / "later.json"
    path.write_text(json.dumps({"entries": [
        {"id": "grandma", "kind": "character", "name": "Grandma Gu", "episode": 1,
         "text": "The matriarch of the Gu Group, fond of the nurse.",
         "progressions": [{"episode": 12, "text": "She knows the nurse is her real granddaughter."}]}]}),
        encoding="utf-8")
    room.import_files([path], "jade", author="tester")
    llm.rerank_scores = favour("grandma")
    hits = room.retrieve("jade", "What does Grandma Gu know about the nurse?", k=5, as_of_episode=9)
    assert hits[0].id == "grandma"
    sent = " ".join(llm.rerank_requests[-1]["documents"])
    assert "granddaughter" not in sent and "DNA report" not in sent


def test_an_unknown_reranker_is_refused_with_the_setting_named(settings, embedder):
    settings.reranker = "cohere-ish"
    with pytest.raises(InvalidInput, match="CLIFFHANGER_RERANKER"):
        WritersRoom(settings, embedder=embedder)
    settings.reranker, settings.openai_base_url, settings.reranker_url = "rerank:m", None, None
    with pytest.raises(InvalidInput, match="CLIFFHANGER_RERANKER_URL"):
        WritersRoom(settings, embedder=embedder)
