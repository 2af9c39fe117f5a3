"""Episode outlines with timed beats: hook in the first 3 seconds, escalation, cliffhanger."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator


class Beat(BaseModel):
    start_s: float = Field(ge=0)
    end_s: float = Field(gt=0)
    beat: str
    what_happens: str


class Outline(BaseModel):
    logline: str
    beats: list[Beat] = Field(min_length=3)
    cliffhanger: str

    @model_validator(mode="after")
    def _shape(self):
        beats = sorted(self.beats, key=lambda b: b.start_s)
        if beats[0].start_s > 0 or beats[0].end_s > 3:
            raise ValueError("the first beat must be a hook within the first 3 seconds")
        for a, b in zip(beats, beats[1:]):
            if b.start_s < a.end_s:
                raise ValueError("beats overlap")
        self.beats = beats
        return self


def paywall_note(episode: int, paywall: int) -> str:
    if episode == paywall:
        return (f"This is the paywall episode ({paywall}): its cliffhanger must be the strongest yet, "
                "a question viewers will pay to see answered.")
    if episode == paywall - 1:
        return f"The paywall falls after episode {paywall}: set up the reveal it will withhold."
    if episode < paywall:
        return f"Free episode (the paywall is at episode {paywall}): hook hard and keep viewers watching."
    return f"Paid episode (after the paywall at {paywall}): pay off promises while opening new ones."
