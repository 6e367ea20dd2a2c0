"""Orientation: questions outside the commune's competence, sent to the right local office."""
