"""Every UI string has a Dutch translation; the catalogs compile."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "facilitator" / "translations"


def test_every_msgid_in_the_code_is_translated_to_dutch(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with (CATALOGS / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        nl = {m.id: m for m in read_po(f) if m.id}
    assert len(wanted) > 50
    missing = sorted(str(i) for i in wanted if i not in nl or not nl[i].string or nl[i].fuzzy)
    assert missing == [], "run pybabel extract/update and translate: " + "; ".join(missing[:10])


def test_dutch_is_the_default_and_english_follows_the_browser(client) -> None:
    assert 'lang="nl"' in client.get("/").get_data(as_text=True)
    en = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in en.get_data(as_text=True)
    nl_be = client.get("/", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert 'lang="nl"' in nl_be.get_data(as_text=True)
