"""The one as-of view, as the story domain and the layers above know it: what a reader at episode N
may see of an entry. The rule itself is canon's (canon/readings.py), since the search index below the
story domain stores each entry's readings over time; this module is its name for story readers.
"""

from ..canon.readings import (
    LATEST,
    UNDATED,
    Band,
    bands,
    change_points,
    entries_as_of,
    entry_as_of,
    placement_warnings,
    progression_heading,
    visible_text,
)

__all__ = ["LATEST", "UNDATED", "Band", "bands", "change_points", "entries_as_of", "entry_as_of",
           "placement_warnings", "progression_heading", "visible_text"]
