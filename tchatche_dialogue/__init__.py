"""Dialogue policies of Tchatche (loaded by Rasa from config.yml)."""
