"""Tchatche's own web server: signed document links, the demo commune page and its chat widget."""
