"""Custom Rasa NLU components of Tchatche (loaded by module path from config.yml)."""
