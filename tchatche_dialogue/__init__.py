"""Dialogue policies of Tchatche (loaded by Rasa from config.yml)."""

from tchatche_dialogue import (  # noqa: F401  (rasa_patches, rule_keys: speed fixes)
    deux_besoins,
    rasa_patches,
    rule_keys,
    states_cache,
    suivi,
    tracker_cache,
)

deux_besoins.install()  # two needs in one message, answered one after the other
suivi.install()  # a short follow-up read against the current topic
states_cache.install()  # past dialogue states read once per conversation
tracker_cache.install()  # the conversation stays in memory between two messages
