"""API of the suggestions app, one module per resource.

Handling units (`units/`, `units.py`): staff create and change the units of their region's
subtree, leaders read them, a unit officer reads their own unit.

The 提-交-办-督-评 workflow (`suggestions/`, `assignments/`, `notifications/`, `public/opinions/`,
`public/track/{code}/`): what its endpoints share is in `base.py`, the bodies of its steps in
`actions.py`, each resource in its own module.
"""
