"""Allow `python -m oso_tui`."""

from oso_tui.cli import main

raise SystemExit(main())
