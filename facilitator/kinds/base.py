"""The interface every activity kind implements (see docs/architecture.md, "Adding a kind").

Pure core: no flask, flask_socketio or sqlalchemy. One module per kind subclasses ``Kind`` and
registers an instance with ``facilitator.kinds.register``. Code outside ``facilitator/kinds/``
never tests a kind's name; it asks the kind (``kinds.of(activity)``) instead.

Capability flags (class attributes) used by the use cases (``facilitator/live``):
- ``answerable``: takes answers at all (``info`` does not);
- ``questions``: answers are Q&A questions (``ask``/``upvote``), not responses (``respond``);
- ``breakdown``: its result can be broken down by segment or table;
- ``moderates``: which moderation its entries get: ``None``, ``"entries"`` (free text entries:
  approve/hide one entry), ``"questions"`` (Q&A marks) or ``"words"`` (hide/show a word);
- ``profile``: it may be a profile question (its answer becomes a segment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class Kind:
    name: ClassVar[str]
    answerable: ClassVar[bool] = True
    questions: ClassVar[bool] = False
    breakdown: ClassVar[bool] = False
    moderates: ClassVar[str | None] = None
    profile: ClassVar[bool] = False

    def moderation_status(self, activity: Activity, value: Any) -> str:
        """``"pending"`` when this stored value waits for the facilitator (moderated kinds with
        text in it), else ``"approved"``."""
        return "approved"
