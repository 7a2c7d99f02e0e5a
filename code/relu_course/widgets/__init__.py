"""Explorer widgets and their static renditions, one module per chapter topic.

Every explorer is built from an ``update`` function that draws one figure for one set of
parameters. The live widget calls it from sliders (JupyterLab, Binder); the static rendition
calls it for a grid of parameter values (small multiples) so a reader of the HTML site, who has
no kernel, sees what the sliders would show. Tests drive the update functions directly.
ipywidgets is imported only when a live widget is built.
"""
from relu_course.widgets.gates import (
    GATE_SHIFT_RANGE,
    GATE_X_RANGE,
    gate_explorer,
    gate_panel,
    gate_small_multiples,
)

__all__ = ["GATE_SHIFT_RANGE", "GATE_X_RANGE", "gate_explorer", "gate_panel", "gate_small_multiples"]
