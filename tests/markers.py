"""The check that a test which starts app.py is marked ``server`` and one that starts Chromium
``browser`` (tests/conftest.py tells it which test runs; tests/livesrv.py and tests/browser.py
call ``require``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

_running: list[pytest.Item] = []


@contextmanager
def running(item: pytest.Item) -> Iterator[None]:
    _running.append(item)
    try:
        yield
    finally:
        _running.pop()


def require(name: str, what: str) -> None:
    """Fail the running test when it lacks the marker ``name`` (it starts ``what``)."""
    if _running and _running[-1].get_closest_marker(name) is None:
        raise AssertionError(
            f"{_running[-1].nodeid} starts {what} but is not marked {name!r}: "
            f"add pytest.mark.{name}"
        )
