"""Terminal chat with Tchatche over Rasa's REST channel (standard library only).

Buttons are shown as numbered choices: typing the number sends the button, as on SMS.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
import uuid

QUIT_WORDS = {"quitter", "exit", "quit", "/quitter"}


def send(url: str, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text, "metadata": metadata or {}}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def show(messages: list[dict]) -> list[dict]:
    """Prints the bot's messages and returns the buttons of the last one that has some."""
    buttons: list[dict] = []
    for message in messages:
        if message.get("text"):
            for line in message["text"].splitlines():
                print(f"  Tchatche > {line}")
        if message.get("buttons"):
            buttons = message["buttons"]
            for number, button in enumerate(buttons, start=1):
                print(f"      {number}. {button.get('title')}")
    if not messages:
        print("  Tchatche > (Pas de réponse. Réessayez dans un instant, ou appelez votre mairie.)")
    return buttons


def main() -> int:
    parser = argparse.ArgumentParser(description="Discuter avec Tchatche dans le terminal.")
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--commune", help="commune de l'habitant, comme sur le site d'une mairie")
    args = parser.parse_args()
    sender = f"terminal-{uuid.uuid4().hex[:12]}"
    metadata = {"commune": args.commune} if args.commune else {}
    print("Écrivez votre question, puis Entrée. Tapez le numéro d'un choix pour le choisir.")
    print("Pour arrêter : « quitter » ou Ctrl-D.\n")
    buttons: list[dict] = []
    while True:
        try:
            text = input("Vous > ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.lower() in QUIT_WORDS:
            return 0
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            button = buttons[int(text) - 1]
            print(f"      (choix : {button.get('title')})")
            text = button.get("payload") or text
        try:
            buttons = show(send(args.url, sender, text, metadata))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            print(f"  (Tchatche ne répond pas : {exc}. Réessayez dans un instant.)")


if __name__ == "__main__":
    sys.exit(main())
