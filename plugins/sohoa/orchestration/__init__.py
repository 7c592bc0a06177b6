"""The pipeline's steps as plain functions, which the DAGs in ``dags/`` only wire together.

Keeping the logic here (not in the DAG files) lets the CLI, the tests and Airflow run the
same code, and keeps DAG parsing instant: nothing here is imported at DAG import time
except :mod:`sohoa.orchestration.settings`.
"""
