from ..canon.errors import CanonError


class WritingError(CanonError):
    """The model could not give a usable result; the message says what to do."""


class ModelNotConfigured(WritingError):
    def __init__(self) -> None:
        super().__init__("no chat model configured: set CLIFFHANGER_MODEL (and OPENAI_API_KEY, or OPENAI_BASE_URL "
                         "for a local OpenAI-compatible server such as Ollama or vLLM) in .env")
