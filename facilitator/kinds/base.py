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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from .exporting import Cells, CodebookEntry, Report, Sheet, WordMarks

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

    # -- exports
    # What the export package (facilitator/export/) asks a kind; kinds/exporting.py has the
    # types. ``result`` is the projector's result of the activity (approved texts only),
    # ``control`` the control screen's (every text, with its status); ``groups`` a breakdown's
    # groups as ``aggregate.breakdown`` gives them (``label``, ``n``, ``suppressed``, ``result``).

    def tidy_cells(self, activity: Activity, value: Any, status: str | None,
                   words: WordMarks) -> Sequence[Cells]:
        """The answer cells of the tidy rows (CSV, XLSX "Responses") of one stored answer
        ``value`` with its moderation ``status``: one tuple per row (per chosen option, ranked
        option, rated item or word). ``words``: the activity's word moderation. Default: no
        rows (Q&A questions are rows of their own, written by the export)."""
        return ()

    def tidy_count(self, activity: Activity, value: Any) -> int:
        """How many tidy rows ``tidy_cells`` gives for ``value`` (the XLSX sheet's size is
        written before its rows); override with a count that builds nothing."""
        return len(self.tidy_cells(activity, value, None, WordMarks()))

    def codebook_notes(self, activity: Activity) -> list[str]:
        """What the codebook says about the activity besides its texts (after "profile
        question", before "moderated"): limits, scale positions, comparisons."""
        return []

    def codebook_entries(self, activity: Activity) -> list[CodebookEntry]:
        """Codebook entries after the activity's options, items and ratings (a scale's ends)."""
        return []

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        """The kind's part of the activity's worksheet, below its facts: counts, percentages,
        texts and a native chart. Default: nothing."""

    def xlsx_breakdown(self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]],
                       small: str) -> None:
        """One breakdown as a table on the activity's worksheet (header row, then a row per
        group; ``small`` stands in for the size of a suppressed group). Default: nothing."""

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        """Fill the activity's block of the printable report (templates/export/report.html):
        ``chart`` (markup), ``table`` ({"head", "rows", "numeric", "compact"?}), ``facts``
        ([(label, text)]), ``unit_note``, ``reference`` ({"caption", "note"}), ``texts`` with
        ``texts_title``, ``questions``, ``words``. Default: nothing (the block says how many
        answered)."""

    def report_breakdown(self, report: Report, activity: Activity,
                         groups: list[dict[str, Any]], label: str,
                         small: str) -> dict[str, Any] | None:
        """One breakdown as a table of the report: ``{"head", "rows"}`` and optionally
        ``"note"``; ``label`` names the dimension (the first column), ``small`` stands in for
        the size of a suppressed group. None: the kind's breakdowns are not in the report."""
        return None

