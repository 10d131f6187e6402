"""Demo data: a year of realistic complaints for ``kesu demo``.

``organisation.py`` builds the departments, groups and handlers; ``generator.py`` the customers,
complaints and their event histories (through the pure steps of ``complaints/lifecycle.py``); the
other modules hold the raw material — names, places, products and complaint texts, arrival times.
"""
