"""Clean and validate one participant's response to an activity: the kind's job.

Pure core. ``clean_response(activity, value)`` returns the value as it will be stored, or raises
``InvalidResponse`` with a code from docs/protocol.md and a message saying what was wrong. Each
kind cleans its own answers (``Kind.clean`` in facilitator/kinds/); this module dispatches.

Stored value shapes:
- single_choice: the option id (str)
- multi_choice:  option ids (list[str]) in programme order, distinct
- scale:         {"position": int, "why": str | None}
- open_text:     str
- word_cloud:    list[str], 1 to max_words entries, lower-case, spaces collapsed, accents kept
- ranking:       list[str], every option id once, first = rank 1
- matrix:        {item_id: rating_id}, at least one item
Q&A questions are not responses (a participant may ask several); ``clean_question`` cleans them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import kinds
from .kinds.answers import InvalidResponse, clean_text, normalise_word

if TYPE_CHECKING:  # pragma: no cover
    from .programme import Activity

__all__ = ["InvalidResponse", "clean_question", "clean_response", "clean_text", "normalise_word"]


def clean_response(activity: Activity, value: Any) -> Any:
    """The value to store for this activity, or InvalidResponse."""
    return kinds.of(activity).clean(activity, value)


def clean_question(activity: Activity, text: Any) -> str:
    """A Q&A question as stored."""
    return kinds.of(activity).clean_question(activity, text)
