"""Rasa input channels of Tchatche (Messenger, SMS), registered in credentials.yml by module path.

Both connectors shipped with Rasa 3.6 call their provider during the handling of a message and
lose the resident's message when that call fails; these subclasses handle the message first with a
collecting output channel (so the tracker is always saved), then deliver the replies.

Every Rasa server we start imports this package (credentials.yml), so it also installs the action
guard (channels/action_guard.py): action server down -> one French answer instead of silence.
"""

from __future__ import annotations

import os
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel

from channels import action_guard

action_guard.install()


def credential(credentials: dict[str, Any], key: str, env: str) -> str:
    """A channel secret: credentials.yml if given there, else its TCHATCHE_* variable, else ""."""
    return str(credentials.get(key) or os.environ.get(env, "") or "")


def collector(channel: str) -> CollectingOutputChannel:
    """Collects one turn's replies under the channel's own name.

    Rasa picks a response's `channel:` variant by the output channel's name: a plain
    CollectingOutputChannel is « collector », so the domain's short `channel: twilio` texts (one
    SMS) were never used.
    """

    class Named(CollectingOutputChannel):
        @classmethod
        def name(cls) -> str:
            return channel

    return Named()
