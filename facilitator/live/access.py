"""Who may join a live session (its ``join_mode``): anyone with its code (``open``, the
default), only through a table card's QR code (``table_code``), or only with a printed one-time
personal code (``personal_codes``).

Table keys and personal codes are derived from the app's secret key and the live session (an
HMAC), never stored: the printable pages can be printed again at any time, and a leaked database
holds none of them. A personal code that joined someone is recorded (``store.used_codes``); a
unique key makes it one-time, also across server processes.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from .. import store
from ..bus import bus
from ..snapshot import JOIN_MODES, LiveState
from .cache import cache
from .checks import LiveError
from .lookup import forget, get

#: personal codes per live session, and per request to print more
MAX_PERSONAL_CODES = 2000
MAX_PRINT = 500
#: a personal code: 8 characters of the join codes' alphabet (no look-alikes): 31^8, about
#: 8.5e11, guessed at the join limit's pace
CODE_CHARS = 8


def _mac(live: LiveState, what: str) -> bytes:
    return _mac_of(_whose(live), what)


def _whose(live: LiveState) -> tuple[str, int, str, str]:
    """What a live session's keys and codes are derived from (with the app's secret)."""
    return cache().secret, live.id, live.code, live.created_at.isoformat()


def _mac_of(whose: tuple[str, int, str, str], what: str) -> bytes:
    secret, live_id, code, created = whose
    message = f"{what}|{live_id}|{code}|{created}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()


def table_key(live: LiveState, table: int) -> str:
    """The key a table card's QR code carries (``?t=<n>&k=<key>``)."""
    return _mac(live, f"table:{table}").hex()[:16]


def personal_code(live: LiveState, number: int) -> str:
    """Personal code number ``number`` (1, 2, ...) of the live session."""
    return _code_of(_whose(live), number)


def _code_of(whose: tuple[str, int, str, str], number: int) -> str:
    alphabet = store.CODE_ALPHABET
    digest = _mac_of(whose, f"person:{number}")
    return "".join(alphabet[b % len(alphabet)] for b in digest[:CODE_CHARS])


@lru_cache(maxsize=64)
def _numbers(whose: tuple[str, int, str, str], count: int) -> dict[str, int]:
    """The first ``count`` personal codes -> their numbers, derived once per live session and
    count: a join looks its code up instead of deriving up to 2,000 HMACs. (Read only.)"""
    return {_code_of(whose, n): n for n in range(1, count + 1)}


def spaced(code: str) -> str:
    """A personal code as printed: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


def admit(live: LiveState, table: int | None, key: Any) -> int | None:
    """Check that a new participant may join by the live session's mode; returns the personal
    code's number to mark used (personal_codes), else None."""
    mode = live.join_mode
    if mode == "table_code":
        if (
            table is None
            or not isinstance(key, str)
            or not hmac.compare_digest(key[:64], table_key(live, table))
        ):
            raise LiveError(
                "join_code_required",
                "this live session is joined through the QR code on a table: scan it",
            )
        return None
    if mode == "personal_codes":
        typed = store.normalise_code(key[:40]) if isinstance(key, str) else ""
        number = _numbers(_whose(live), live.personal_codes).get(typed)
        if number is not None:
            return number
        raise LiveError(
            "join_code_required",
            "this live session is joined with a personal code: type the one you were given",
        )
    return None


def check_mode(raw: Any, tables: int) -> str:
    """A join mode chosen when starting a live session (with its number of tables)."""
    mode = raw or "open"
    if mode not in JOIN_MODES:
        raise LiveError("bad_payload", f"join must be one of: {', '.join(JOIN_MODES)}")
    if mode == "table_code" and tables < 1:
        raise LiveError("bad_payload", "joining through table codes needs at least one table")
    return str(mode)


def add_personal_codes(live: LiveState, n: Any) -> LiveState:
    """Print ``n`` more personal codes (personal_codes mode)."""
    if live.join_mode != "personal_codes":
        raise LiveError("bad_payload", "this live session is not joined with personal codes")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_PRINT:
        raise LiveError("bad_payload", f"the number of codes must be from 1 to {MAX_PRINT}")
    if live.personal_codes + n > MAX_PERSONAL_CODES:
        raise LiveError(
            "bad_payload", f"at most {MAX_PERSONAL_CODES} personal codes per live session"
        )
    store.add_personal_codes(live.id, n)
    forget(live.code)
    bus.publish({"t": "live", "code": live.code})
    return get(live.code)


def personal_codes(live: LiveState) -> list[tuple[int, str, bool]]:
    """Every personal code printed so far: (number, code, used)."""
    used = store.used_codes(live.id)
    codes = _numbers(_whose(live), live.personal_codes)
    return [(n, code, n in used) for code, n in codes.items()]
