"""The intake and transition pipeline (ADR 0012): the one place that says what happens, in order, when
a complaint arrives or changes state. It sits above the apps whose steps it calls; none of them imports
it back (the import-linter contract in pyproject.toml)."""
