"""kesu (客诉): complaint management for complaint centres."""

__version__ = "0.1.0"
