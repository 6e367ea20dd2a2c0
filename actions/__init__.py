"""Tchatche action server (rasa-sdk): territory data, computed answers, one module per theme."""
