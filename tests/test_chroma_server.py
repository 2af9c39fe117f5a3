"""The vector index on a `chroma run` server (CHROMA_HOST) instead of embedded Chroma (fixture: conftest.py)."""

import chromadb

from bot.canon.retrieval import DENSE_ONLY, LEXICAL_ONLY
from bot.room import WritersRoom


def test_retrieval_through_a_chroma_server(settings, embedder, bible_file, chroma_server):
    settings.chroma_host, settings.chroma_port = "127.0.0.1", chroma_server
    room = WritersRoom(settings, embedder=embedder)
    try:
        room.create_project("jade")
        room.import_files([bible_file], "jade")
        assert room.retrieve("jade", "What is Wanwan afraid of?", k=1)[0].id == "lin-wan"
        # on words the entry does not use ("DNA report"), only the server's vectors find it: keywords do not
        question = "Who learns the outcome of the paternity test?"
        assert [h.id for h in room.retrieve("jade", question, k=1, weights=DENSE_ONLY)] == ["ep12"]
        assert "ep12" not in [h.id for h in room.retrieve("jade", question, k=1, weights=LEXICAL_ONLY)]
        server = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
        assert sum(c.count() for c in (server.get_collection(n) for n in _names(server))) > 0
        assert not (settings.index_dir / "chroma").exists()  # nothing embedded on disk
    finally:
        room.close()


def _names(client) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]
