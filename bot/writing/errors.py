from ..canon.errors import CanonError, Phrase


class WritingError(CanonError):
    """The model could not give a usable result; the message says what to do."""


class ModelNotConfigured(WritingError):
    """The settings lack what a model call needs; the message names exactly what is missing."""

    def __init__(self, problem: str | None = None) -> None:
        super().__init__(problem or Phrase("no chat model configured: set CLIFFHANGER_MODEL (and OPENAI_API_KEY, or "
                                           "OPENAI_BASE_URL for a local OpenAI-compatible server such as Ollama or "
                                           "vLLM) in .env"))
