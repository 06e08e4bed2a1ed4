"""The terminal app served to a browser (textual-serve), for demos: loaded only by `oso-tui serve`."""
