"""The commune page's chat widget in a real browser (Debian's Chromium driven by Playwright),
talking to the real Rasa socket.io channel and action server.

Chromium comes from the Debian package (/usr/bin/chromium, installed by
scripts/system_packages.sh); Playwright never downloads a browser. The page sends a strict CSP,
which forbids the scripts Playwright and axe-core inject, so the test contexts bypass it; the CSP
itself is checked separately.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

import playwright.sync_api as playwright_api
import pytest
import requests

from tests.images import png

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT = ROOT / "results" / "webchat.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BOT = "#tchatche-journal .tchatche-bot"
YOU = "#tchatche-journal .tchatche-vous"

# No skip: ./test.sh installs Chromium (scripts/system_packages.sh); a missing browser must fail.


@pytest.fixture(scope="module")
def browser():
    # Playwright gives each launch a fresh temporary profile (it refuses --user-data-dir here).
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, servers):
    context = browser.new_context(
        bypass_csp=True, locale="fr-FR", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def commune_url(servers, slug: str = "bucquoy") -> str:
    return f"{servers.web_url}/commune/{slug}"


def bot_count(page) -> int:
    return page.locator(BOT).count()


def ask(page, text: str, timeout: float = 60) -> str:
    """Types `text`, presses Enter, waits for the bot's answer and returns all new bot text."""
    before = bot_count(page)
    page.fill("#tchatche-saisie", text)
    page.press("#tchatche-saisie", "Enter")
    return wait_answer(page, before, timeout)


def wait_answer(page, before: int, timeout: float = 60) -> str:
    page.wait_for_function(
        f"document.querySelectorAll('{BOT}').length > {before}", timeout=timeout * 1000
    )
    time.sleep(1.5)  # a turn is several messages: let the others arrive
    return "\n".join(page.locator(BOT).all_inner_texts()[before:])


def stored_events(servers, sender: str) -> list[dict]:
    with sqlite3.connect(servers.database) as db:
        rows = db.execute(
            "select data from events where sender_id = ? order by id", (sender,)
        ).fetchall()
    return [json.loads(r[0]) for r in rows]


def session_state(page) -> dict:
    return json.loads(page.evaluate("sessionStorage.getItem('tchatche:conversation:bucquoy')"))


def test_conversation_on_the_bucquoy_page_buttons_reload_and_screenshot(page, servers):
    page.goto(commune_url(servers))
    assert page.get_attribute("html", "lang") == "fr"
    assert "démonstration" in page.inner_text(".bandeau-demo").lower()
    page.click("#tchatche-ouvrir")
    assert "pas une personne" in page.inner_text("#tchatche-avis")

    answer = ask(page, "à quelle heure ouvre la mairie ?")
    assert "Bucquoy" in answer
    assert "lundi : de 9 h à 12 h" in answer
    assert "Dans quelle commune" not in answer

    # a suggested button: a real <button> that sends its payload
    button = page.locator(f"{BOT} .tchatche-choix button").last
    title = button.inner_text()
    before = bot_count(page)
    button.click()
    assert page.locator(YOU).last.inner_text().endswith(title)
    after_button = wait_answer(page, before)
    assert title == "Prendre rendez-vous" and "C'est pour quoi ?" in after_button

    sender = session_state(page)["sessionId"]
    page.reload()
    # history restored from sessionStorage, panel still open, same socket.io session
    assert page.is_visible("#tchatche-panneau")
    assert "à quelle heure ouvre la mairie ?" in page.inner_text("#tchatche-journal")
    assert "lundi : de 9 h à 12 h" in page.inner_text("#tchatche-journal")
    # a question on another subject leaves the rendez-vous form and gets its answer
    follow_up = ask(page, "et le numéro de téléphone ?")
    assert "rien n'a été envoyé" in follow_up and "Bucquoy" in follow_up
    assert session_state(page)["sessionId"] == sender

    # The resident's own messages: a follow-up answered by replaying a topic (« et le numéro de
    # téléphone ? » → contact_mairie) stores a user event of its own, with no message id.
    users = [
        e for e in stored_events(servers, sender) if e["event"] == "user" and e.get("message_id")
    ]
    assert [u["text"] for u in users][0] == "à quelle heure ouvre la mairie ?"
    assert len(users) == 3, "the reload continued the same conversation"
    assert all(u["metadata"]["customData"]["commune"] == "Bucquoy" for u in users)
    assert all(u["input_channel"] == "socketio" for u in users)

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert SCREENSHOT.stat().st_size > 10_000


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_keyboard_only(page, servers):
    page.goto(commune_url(servers))
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused_id(page) == "tchatche-ouvrir":
            break
    assert focused_id(page) == "tchatche-ouvrir", "the opener is reachable with Tab"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "visible focus"
    page.keyboard.press("Enter")
    assert page.is_visible("#tchatche-panneau")
    assert focused_id(page) == "tchatche-saisie"
    before = bot_count(page)
    page.keyboard.type("Bonjour")
    page.keyboard.press("Enter")
    wait_answer(page, before)

    # from the input, Shift+Tab goes back through the log to the last suggested button
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.closest('.tchatche-choix') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('.tchatche-choix') !== null")
    title = page.evaluate("document.activeElement.textContent")
    before = bot_count(page)
    page.keyboard.press("Enter")
    assert page.locator(YOU).last.inner_text().endswith(title)
    wait_answer(page, before)
    assert focused_id(page) == "tchatche-saisie", "focus back in the input after a choice"

    page.keyboard.press("Escape")
    assert not page.is_visible("#tchatche-panneau")
    assert focused_id(page) == "tchatche-ouvrir", "focus returned to the opener"
    assert page.get_attribute("#tchatche-ouvrir", "aria-expanded") == "false"


def test_script_in_a_message_is_shown_as_text(page, servers):
    page.goto(commune_url(servers))
    page.click("#tchatche-ouvrir")
    attack = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    answer = ask(page, attack)
    assert answer.strip(), "the assistant still answers"
    assert page.locator(YOU).last.inner_text().endswith(attack)
    assert page.locator("#tchatche-journal script, #tchatche-journal img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []


def test_empty_long_and_emoji_messages(page, servers):
    page.goto(commune_url(servers))
    page.click("#tchatche-ouvrir")
    you_before = page.locator(YOU).count()
    page.press("#tchatche-saisie", "Enter")
    assert "vide" in page.inner_text("#tchatche-erreur")
    page.fill("#tchatche-saisie", "   ")
    page.press("#tchatche-saisie", "Enter")
    assert "vide" in page.inner_text("#tchatche-erreur")

    long_text = "a" * 10_000
    page.fill("#tchatche-saisie", long_text)
    page.press("#tchatche-saisie", "Enter")
    assert "trop long" in page.inner_text("#tchatche-erreur")
    assert "10000 caractères" in page.inner_text("#tchatche-erreur")
    assert page.input_value("#tchatche-saisie") == long_text, "nothing lost"
    assert page.locator(YOU).count() == you_before, "nothing sent"

    answer = ask(page, "😀😀😀")
    assert page.locator(YOU).last.inner_text().endswith("😀😀😀")
    assert answer.strip()
    assert page.inner_text("#tchatche-erreur") == ""


def test_server_copes_with_a_10000_character_socket_message(page, servers):
    """A client that skips the widget's limit: Rasa still answers in French."""
    page.goto(commune_url(servers))
    reply = page.evaluate(
        """(url) => new Promise((resolve, reject) => {
            const socket = io(url, {path: "/socket.io", transports: ["websocket"]});
            socket.on("connect", () => socket.emit("session_request", {session_id: null}));
            socket.on("session_confirm", (id) => socket.emit("user_uttered", {
                message: "a".repeat(10000), session_id: id,
                metadata: {customData: {commune: "Bucquoy"}}}));
            socket.on("bot_uttered", (data) => { socket.close(); resolve(data.text || ""); });
            setTimeout(() => reject(new Error("no answer")), 60000);
        })""",
        servers.url,
    )
    assert "Je n'ai pas bien compris votre message." in reply


def test_document_message_is_a_link_stating_title_type_and_size(page, servers):
    """The document action may not be there yet: the widget's own receive() is fed the message
    the action server sends (`custom.document` plus its text fallback)."""
    page.goto(commune_url(servers))
    page.click("#tchatche-ouvrir")
    page.evaluate(
        """() => window.tchatche.receive({custom: {document: {
            url: "/d/jeton-signe",
            titre: "Compte rendu du conseil municipal du 12 mars 2026",
            date: "2026-03-12", type: "pdf", taille: 86016}}})"""
    )
    link = page.locator(f"{BOT} a.tchatche-document").last
    assert link.inner_text() == "Compte rendu du conseil municipal du 12 mars 2026 (PDF, 84 Ko)"
    assert link.get_attribute("href") == f"{servers.web_url}/d/jeton-signe"
    # the shape actions/documents/action.py sends: kind in `type`, file type in `format`
    page.evaluate(
        """() => window.tchatche.receive({custom: {document: {
            url: "https://mairies.example/d/x", titre: "Menu de la cantine",
            type: "Menu de cantine", date: "2026-11-02", taille: "120 Ko", format: "PDF"}}})"""
    )
    assert page.locator(f"{BOT} a.tchatche-document").last.inner_text() == (
        "Menu de la cantine, 2 novembre 2026 (PDF, 120 Ko)"
    )
    # the real action: a text fallback with the link, then custom.document with the same link.
    # One message: the link in the text gets the document's label; survives a reload.
    messages_before = page.locator(BOT).count()
    page.evaluate(
        """() => {
            const url = "https://mairies.example/d/jeton-2";
            window.tchatche.receive({text: "Arrêté de voirie\\nLien valable 24 heures : " + url});
            window.tchatche.receive({custom: {document: {url: url, titre: "Arrêté de voirie",
                type: "Arrêté", date: "2026-10-01", taille: "40 Ko", format: "PDF"}}});
        }"""
    )
    assert page.locator(BOT).count() == messages_before + 1
    label = "Arrêté de voirie, 1er octobre 2026 (PDF, 40 Ko)"
    assert page.locator(BOT).last.locator("a.tchatche-document").inner_text() == label
    page.reload()
    assert page.locator(BOT).last.locator("a.tchatche-document").inner_text() == label
    page.evaluate(
        """() => window.tchatche.receive({custom: {document: {
            url: "javascript:alert(1)", titre: "<b>Arrêté</b>", date: "2026-01-05",
            type: "application/pdf", taille: "120 Ko"}}})"""
    )
    last = page.locator(BOT).last
    assert last.locator("a").count() == 0, "no javascript: link"
    assert last.inner_text().endswith("<b>Arrêté</b>, 5 janvier 2026 (PDF, 120 Ko)")
    page.evaluate(
        "(text) => window.tchatche.receive({text: text})",
        "Fiche : https://www.service-public.gouv.fr/particuliers/vosdroits/F1341. "
        "Et javascript:alert(1)",
    )
    links = page.locator(BOT).last.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == (
        "https://www.service-public.gouv.fr/particuliers/vosdroits/F1341"
    )
    assert page.dialogs == []


def test_elu_token_from_the_url_fragment_goes_in_custom_data(page, servers):
    page.goto(commune_url(servers) + "#elu=jeton-elu-de-test")
    assert "elu=" not in page.url, "the token leaves the address bar"
    page.click("#tchatche-ouvrir")
    ask(page, "Bonjour")
    sender = session_state(page)["sessionId"]
    [user] = [e for e in stored_events(servers, sender) if e["event"] == "user"]
    assert user["metadata"]["customData"] == {
        "commune": "Bucquoy",
        "elu_token": "jeton-elu-de-test",
    }


def test_axe_finds_no_serious_or_critical_violation(page, servers):
    results = {}
    for name, url in (("liste", f"{servers.web_url}/"), ("commune", commune_url(servers))):
        page.goto(url)
        if name == "commune":
            page.click("#tchatche-ouvrir")
            ask(page, "Bonjour")
        page.add_script_tag(path=str(AXE))
        report = page.evaluate(
            """() => axe.run(document, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})"""
        )
        results[name] = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in report["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    assert results == {"liste": [], "commune": []}


def test_zoom_200_percent_keeps_the_widget_usable(browser, servers):
    """1280×720 at 200 % is a 640×360 CSS viewport: the panel must fit, nothing clipped."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 640, "height": 360})
    page = context.new_page()
    try:
        page.goto(commune_url(servers))
        page.click("#tchatche-ouvrir")
        for selector in ("#tchatche-saisie", ".tchatche-envoyer", "#tchatche-fermer"):
            box = page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 640, selector
            assert box["y"] >= 0 and box["y"] + box["height"] <= 360, selector
        assert page.evaluate("document.documentElement.scrollWidth <= 640")
    finally:
        context.close()


def test_page_security_headers(servers):
    response = requests.get(commune_url(servers), timeout=10)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert f"ws://127.0.0.1:{servers.rasa_port}" in csp
    assert requests.get(f"{servers.web_url}/commune/inconnue", timeout=10).status_code == 404
    index = requests.get(f"{servers.web_url}/", timeout=10).text
    assert index.count('href="/commune/') == 26 and 'href="/commune/bucquoy"' in index
    vendor = requests.get(f"{servers.web_url}/static/vendor/socket.io.min.js", timeout=10)
    assert vendor.ok and "io" in vendor.text


# --- photo of a signalement ---------------------------------------------------------------------

PHOTO_QUESTION = "Vous pouvez joindre une photo du problème. C'est facultatif."
PHOTO_ROUTE = "/signalements/photos"


def serious_axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    report = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})"""
    )
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def choose_file(page, button, file: dict) -> None:
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(file)


def wait_error(page, text: str) -> None:
    page.wait_for_function(
        "(text) => document.getElementById('tchatche-erreur').textContent === text", arg=text
    )


def test_photo_of_a_signalement_is_uploaded_and_its_token_sent_in_custom_data(page, servers):
    """The dialogue side is not needed: the widget is fed what Rasa's socket.io channel emits for
    utter_ask_signalement_photo (text and button, then the custom payload in its own
    bot_uttered). Upload route, socket.io message and the stored conversation are real."""
    csp = requests.get(commune_url(servers), timeout=10).headers["Content-Security-Policy"]
    assert "connect-src 'self'" in csp, "the page may post the photo to its own origin"
    page.goto(commune_url(servers))
    page.click("#tchatche-ouvrir")
    # the bare payload also works, and only the latest question keeps the control
    page.evaluate(
        """() => {
            window.tchatche.receive({text: "Une ancienne question."});
            window.tchatche.receive({tchatche: "photo"});
        }"""
    )
    assert page.locator(BOT).last.locator(".tchatche-photo button").count() == 1
    page.evaluate(
        """(text) => {
            window.tchatche.receive({text: text, quick_replies: [
                {content_type: "text", title: "Pas de photo", payload: "pas de photo"}]});
            window.tchatche.receive({custom: {tchatche: "photo"}});
            window.tchatche.receive({custom: {tchatche: "photo"}});
        }""",
        PHOTO_QUESTION,
    )
    question = page.locator(BOT).last
    assert PHOTO_QUESTION in question.inner_text()
    assert question.locator("button").all_inner_texts() == ["Joindre une photo", "Pas de photo"]
    assert page.locator(".tchatche-photo").count() == 1
    file_input = question.locator("input[type=file]")
    assert file_input.get_attribute("accept") == "image/*"
    assert file_input.get_attribute("capture") is None, "a photo already taken can be chosen"
    assert not file_input.is_visible()
    assert serious_axe_violations(page) == []

    page.reload()  # the offer survives a reload, like the rest of the conversation
    photo_button = page.get_by_role("button", name="Joindre une photo")
    assert photo_button.count() == 1
    assert page.locator(BOT).last.locator(".tchatche-photo").count() == 1

    # keyboard: Enter on the button opens the file chooser; checked in the page first
    with page.expect_file_chooser() as chooser:
        photo_button.focus()
        page.keyboard.press("Enter")
    chooser.value.set_files({"name": "note.txt", "mimeType": "text/plain", "buffer": b"bonjour"})
    wait_error(page, "Ce fichier n'est pas une photo.")
    too_big = b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024)
    choose_file(page, photo_button, {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": too_big})
    wait_error(page, "La photo est trop lourde : 8 Mo au plus.")
    # a file that claims to be a PNG: the server reads its bytes and refuses it
    with page.expect_response(lambda r: r.url.endswith(PHOTO_ROUTE)) as refused:
        choose_file(
            page, photo_button, {"name": "x.png", "mimeType": "image/png", "buffer": b"<svg/>"}
        )
    assert refused.value.status == 415
    wait_error(page, "Ce fichier n'est pas une photo.")
    assert page.locator(YOU).count() == 0, "nothing sent to the assistant"

    data = png()
    with page.expect_response(lambda r: r.url.endswith(PHOTO_ROUTE)) as uploaded:
        choose_file(
            page, photo_button, {"name": "IMG_0042.png", "mimeType": "image/png", "buffer": data}
        )
    assert uploaded.value.status == 201
    token = uploaded.value.json()["photo"]
    page.wait_for_function(f"document.querySelectorAll('{YOU}').length === 1")
    assert page.locator(YOU).last.inner_text().endswith("📷 Photo jointe")
    assert page.locator(".tchatche-photo").count() == 0, "the offer is over"
    assert page.inner_text("#tchatche-erreur") == ""
    assert page.evaluate("document.activeElement.id") == "tchatche-saisie"

    sender = session_state(page)["sessionId"]
    deadline = time.monotonic() + 60
    while True:
        users = [e for e in stored_events(servers, sender) if e["event"] == "user"]
        if users:
            break
        assert time.monotonic() < deadline, "the message reached Rasa"
        time.sleep(0.5)
    assert users[-1]["text"] == "📷 Photo jointe"
    assert users[-1]["metadata"]["customData"] == {"commune": "Bucquoy", "photo": token}

    database = servers.extra_env["TCHATCHE_DEMANDES_DB"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "select token_hash, content_type, size, demande_id from photos"
        ).fetchall()
    assert rows == [(hashlib.sha256(token.encode()).hexdigest(), "image/png", len(data), None)]


def test_resident_reports_a_problem_with_a_photo_through_the_assistant(page, servers):
    """The whole signalement on the web chat, real model and action server: the photo question
    comes from the form, the photo is attached to the stored SIG-… report."""
    page.goto(commune_url(servers))
    page.click("#tchatche-ouvrir")
    assert "Quel est le problème ?" in ask(page, "je veux signaler un problème dans ma rue")
    assert "Où est-ce ?" in ask(page, "Un lampadaire ne s'allume plus")
    assert PHOTO_QUESTION in ask(page, "devant la mairie")
    photo_button = page.get_by_role("button", name="Joindre une photo")
    before = bot_count(page)
    with page.expect_response(lambda r: r.url.endswith(PHOTO_ROUTE)) as uploaded:
        choose_file(page, photo_button, {"name": "a.png", "mimeType": "image/png", "buffer": png()})
    assert uploaded.value.status == 201
    assert "Voulez-vous être tenu au courant ?" in wait_answer(page, before)
    assert "- Photo : jointe" in ask(page, "non")
    done = ask(page, "oui, envoyer")
    assert "Son numéro de suivi : SIG-" in done
    reference = done.split("Son numéro de suivi : ")[1].split(".")[0]
    database = servers.extra_env["TCHATCHE_DEMANDES_DB"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        attached = db.execute(
            "select d.reference, d.lieu from photos p join demandes d on d.id = p.demande_id "
            "where d.reference = ?",
            (reference,),
        ).fetchall()
    assert attached == [(reference, "devant la mairie")]
