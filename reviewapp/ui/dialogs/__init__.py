"""Dialogs: shown with open()/show() and answered through signals, never a blocking exec()."""
