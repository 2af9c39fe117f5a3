"""A configured chat model that keeps each prompt it is sent and then fails the call, so a test can walk any
prompt builder (structured, complete or streamed) without scripting a valid reply for each."""

from bot.writing.errors import WritingError


class RecordingModel:
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
