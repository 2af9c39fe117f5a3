"""The vector index on a `chroma run` server (CHROMA_HOST) instead of embedded Chroma (fixture: conftest.py)."""

from bot.room import WritersRoom


def test_retrieval_through_a_chroma_server(settings, embedder, bible_file, chroma_server):
    settings.chroma_host, settings.chroma_port = "127.0.0.1", chroma_server
    room = WritersRoom(settings, embedder=embedder)
    try:
        room.create_project("jade")
        room.import_files([bible_file], "jade")
        assert room.retrieve("jade", "What is Wanwan afraid of?", k=1)[0].id == "lin-wan"
        assert not (settings.index_dir / "chroma").exists()  # nothing embedded on disk
    finally:
        room.close()
