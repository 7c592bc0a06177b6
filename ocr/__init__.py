"""Image to text to fields.

Deliberately free of Airflow and of the database: everything here works on a file or
an image and returns plain records (see :mod:`ocr.record`).
"""
