"""sohoa: scanned Vietnamese civil-status records into a checked population database.

This package lives under ``plugins/`` so Airflow (which puts its plugins folder on
``sys.path``) and the ``sohoa`` command line import the same domain code.
"""

__version__ = "0.1.0"
