"""One module per ``sohoa`` subcommand: ``register(subparsers)`` sets ``func`` on its parser."""
