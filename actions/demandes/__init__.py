"""Demandes, signalements and rendez-vous taken by the assistant and handled by the mairies."""
