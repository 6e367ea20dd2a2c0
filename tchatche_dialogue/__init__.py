"""Dialogue policies of Tchatche (loaded by Rasa from config.yml)."""

from tchatche_dialogue import deux_besoins, rasa_patches  # noqa: F401  (rasa_patches: speed fix)

deux_besoins.install()  # two needs in one message, answered one after the other
