"""Command line: thin commands over the library. Every module here with a ``register(app)``
function is added to the app; a module with ``demo(program, path, console)`` and
``DEMO_ORDER`` contributes a section to ``scaleplan demo``."""
