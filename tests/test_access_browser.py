"""The screens of issue 12's items 8 and 13 in Chromium: deleting a live session from the
downloads page (typed confirmation), the printable personal codes, and a phone joining with
one. No console error or CSP violation, and no axe violation on the new pages."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import AXE_JS, CONTROL, PHONE, Screens, axe_violations, format_violations
from tests.conftest import MINI, ROOT
from tests.livesrv import Phone, Screen, create_live

pytestmark = [pytest.mark.browser, pytest.mark.server]

expect: Any = pytest.importorskip("playwright.sync_api").expect


def test_delete_from_the_downloads_page(screens: Screens, browser_server: Any) -> None:
    server = browser_server
    made = create_live(server, MINI)
    code = made["code"]
    control = Screen(server, code, "control", made["control_key"]).connect()
    control.control("goto", {"activity": "kies"})
    phone = Phone(server, code).connect()
    assert phone.respond("kies", "rood")["ok"] is True

    tab = screens.control(made["control_url"])
    tab.goto(f"{server.url}/control/{code}/exports")
    page = tab.page
    expect(page.get_by_role("heading", name="Deze live sessie verwijderen")).to_be_visible()
    assert AXE_JS.exists()
    violations = axe_violations(tab)
    assert violations == [], format_violations("downloads page", violations)

    field = page.get_by_label(f"Typ de deelnamecode {code} om te bevestigen")
    field.fill(code[:-1])
    page.get_by_role("button", name="Voorgoed verwijderen").click()
    expect(page.get_by_role("alert")).to_contain_text(f"typ de deelnamecode {code} precies over")
    expect(page.get_by_label(f"Typ de deelnamecode {code} om te bevestigen")).to_have_attribute(
        "aria-invalid", "true"
    )
    screens.shot(tab, "1-wrong-code", full_page=True)
    assert phone.respond("kies", "groen")["ok"] is True  # nothing was deleted

    page.get_by_label(f"Typ de deelnamecode {code} om te bevestigen").fill(
        f"{code[:3].lower()} {code[3:].lower()}"
    )
    page.get_by_role("button", name="Voorgoed verwijderen").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Live sessie {code[:3]} {code[3:]} is verwijderd."
    )
    expect(page.locator("main")).to_contain_text(
        "Verwijderd: 1 deelnemers, 1 antwoorden en 0 vragen."
    )
    screens.shot(tab, "2-deleted")
    phone.wait(lambda: ("deleted", {"code": code}) in phone.events, what="deleted")
    # the refused confirmation answers 400 on purpose
    screens.expect_errors(tab, r"status of 400 .*/delete")
    screens.assert_clean()


def test_personal_codes_printed_and_used(screens: Screens, browser_server: Any) -> None:
    server = browser_server
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "live", "create", str(MINI), "--json"]
        + ["--join", "personal_codes"],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    import json

    made = json.loads(out.stdout.strip().splitlines()[-1])
    code = made["code"]
    key = parse_qs(urlsplit(made["control_url"]).query)["key"][0]
    tab = screens.open("control", made["control_url"], CONTROL)
    assert key
    tab.goto(f"{server.url}/control/{code}/codes")
    page = tab.page
    page.get_by_label("Aantal codes om toe te voegen").fill("4")
    page.get_by_role("button", name="Codes toevoegen").click()
    expect(page.locator(".table-card")).to_have_count(4)
    violations = axe_violations(tab)
    assert violations == [], format_violations("personal codes page", violations)
    screens.shot(tab, "codes", full_page=True)
    printed = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator("main").inner_text())
    assert len(printed) == 4

    phone = screens.open("phone", None, PHONE)
    response = phone.page.goto(f"{server.url}/j/{code}")
    assert response is not None and response.status == 403
    field = phone.page.get_by_label("Typ de persoonlijke code die je kreeg")
    violations = axe_violations(phone)
    assert violations == [], format_violations("personal code form", violations)
    field.fill("ZZZZ-ZZZZ")
    phone.page.get_by_role("button", name="Deelnemen").click()
    expect(phone.page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    screens.shot(phone, "wrong-code")
    phone.page.get_by_label("Typ de persoonlijke code die je kreeg").fill(printed[2].lower())
    phone.page.get_by_role("button", name="Deelnemen").click()
    expect(phone.page).to_have_url(f"{server.url}/j/{code}")
    expect(phone.page.locator("#conn")).to_be_hidden()
    screens.shot(phone, "joined")
    tab.goto(f"{server.url}/control/{code}/codes")
    expect(page.locator("main")).to_contain_text("4 codes afgedrukt, 1 gebruikt.")
    # the 403 of the code form is expected (the page answers it on purpose)
    screens.expect_errors(phone, r"status of 403")
    screens.assert_clean()
