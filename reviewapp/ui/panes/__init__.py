"""The panes of the main window; each listens to the ReviewSession's signals."""
