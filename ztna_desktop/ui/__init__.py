"""Qt user interface: the only package that imports PySide6."""

from ztna_desktop.ui.qt_workarounds import pin_true_on_pyside_6_12

pin_true_on_pyside_6_12()
