"""Documents of the communes' GED: one interface (model.py), two backends (embedded, Mayan)."""
