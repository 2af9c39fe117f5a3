"""A small season written for the production tests: four episodes with a gap, Chinese lines, outlines."""

import json

SEASON = """Title: The Jade Seal

# Episode 1

INT. CITY HOSPITAL - NIGHT WARD - NIGHT

Lin Wan checks a drip. Grandma Gu lies awake, watching her.

GRANDMA GU
(softly)
You have my husband's eyes.

LIN WAN
Everyone says that to the night nurse.

EXT. HOSPITAL CAR PARK - NIGHT

Gu Chen slams a car door and strides in.

GU CHEN
Who let a stranger near my grandmother?

# Episode 2

INT. GU MANSION - STUDY - DAY

Gu Chen opens the safe. Su Mei watches from the doorway.

SU MEI
Cousin Chen, may I help?

GU CHEN
No.

# Episode 3

INT. GU MANSION - DINING ROOM - NIGHT

The birthday dinner. Su Mei raises a glass.

SU MEI
To Grandma!

LIN WAN
To Grandma.

# Episode 5

INT. GU MANSION - TEA ROOM - DAY

顾老太太 pours tea for Lin Wan.

@顾老太太
婉婉，这杯茶是给你的。你终于回家了。

LIN WAN
(quietly)
I never had a home to come back to.

> CUT TO:

INT. HOSPITAL LOCKER ROOM - NIGHT

Security opens the locker. The jade seal sits wrapped in a scarf.

GU CHEN
Explain this.
"""

BIBLE = {
    "project": "season",
    "entries": [
        {"id": "lin-wan", "kind": "character", "name": "Lin Wan", "aliases": ["Wanwan", "婉婉"], "tags": ["main"],
         "text": "A night nurse."},
        {"id": "gu-chen", "kind": "character", "name": "Gu Chen", "aliases": ["President Gu"], "tags": ["main"],
         "text": "Cold heir."},
        {"id": "grandma", "kind": "character", "name": "Grandma Gu", "aliases": ["顾老太太"], "tags": ["main"],
         "text": "The matriarch."},
        {"id": "su-mei", "kind": "character", "name": "Su Mei", "text": "The false granddaughter."},
        {"id": "lin-gu", "kind": "relationship", "name": "Lin Wan and Gu Chen", "episode": 1,
         "text": "Lin Wan ↔ Gu Chen: contract engagement."},
        {"id": "ep1", "kind": "episode", "name": "Episode 1: The night ward", "episode": 1,
         "text": "Hook: a stranger at grandmother's bedside.\nCliffhanger: Gu Chen orders Lin Wan fired."},
        {"id": "ep2", "kind": "episode", "name": "Episode 2: The safe", "episode": 2,
         "text": "Su Mei learns the safe's code."},
        {"id": "ep3", "kind": "episode", "name": "Episode 3: The toast", "episode": 3,
         "text": "Hook: the seal is gone.\nCliffhanger: Lin Wan's badge on the study floor."},
        {"id": "ep5", "kind": "episode", "name": "Episode 5: Tea", "episode": 5,
         "text": "Hook: tea for two.\nReveal: Grandma knows who Lin Wan is.\nCliffhanger: the seal in the locker."},
    ],
}


def write_season(tmp_path):
    fountain = tmp_path / "season.fountain"
    fountain.write_text(SEASON, encoding="utf-8")
    bible = tmp_path / "season.json"
    bible.write_text(json.dumps(BIBLE, ensure_ascii=False), encoding="utf-8")
    return [bible, fountain]
