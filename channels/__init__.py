"""Rasa input channels of Tchatche (Messenger, SMS), registered in credentials.yml by module path.

Both connectors shipped with Rasa 3.6 call their provider during the handling of a message and
lose the resident's message when that call fails; these subclasses handle the message first with a
collecting output channel (so the tracker is always saved), then deliver the replies.
"""
