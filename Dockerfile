# The sohoa image: the official Airflow image of the pinned version, plus Tesseract with
# its Vietnamese model, plus sohoa itself. One image for every Airflow service and the
# web app (docker-compose.yml), and for the KubernetesExecutor's task pods.
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd \
      fonts-dejavu-core fonts-liberation2 curl \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

USER airflow
WORKDIR /opt/sohoa
COPY --chown=airflow:0 pyproject.toml constraints.txt README.md ./
COPY --chown=airflow:0 ocr ./ocr
COPY --chown=airflow:0 plugins ./plugins
COPY --chown=airflow:0 schemas ./schemas
# Editable, so the package finds schemas/ beside it; the constraints pin every version
# (Airflow's own included, so pip keeps the image's Airflow).
RUN pip install --no-cache-dir --constraint constraints.txt --editable .
COPY --chown=airflow:0 dags /opt/airflow/dags

ENV SOHOA_MIGRATIONS_DIR=/opt/sohoa/schemas/migrations \
    SOHOA_OCR_JOBS=1 \
    OMP_THREAD_LIMIT=1
WORKDIR /opt/airflow
