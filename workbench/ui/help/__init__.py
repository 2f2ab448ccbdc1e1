"""In-app help: the user guide, the keyboard-shortcut list and the rule reference."""
