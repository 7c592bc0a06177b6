"""Reading a stored scan back by the URI the database keeps for it.

``scan.uri`` is what :meth:`sohoa.landing.store.Landing.uri` returned when the page was
read: a local path or ``s3://bucket/key``. Export (``sohoa.reports.export_book``) and the
review pages (``sohoa.web.page_images``) both need the bytes again, long after the
landing zone that wrote them may have been reconfigured, so this goes by the URI alone.
"""

from __future__ import annotations

from pathlib import Path

from sohoa.settings import get_settings


def read_scan(uri: str) -> bytes | None:
    """The scan's bytes, or None when it is gone or cannot be read (moved, deleted, no
    access): callers fall back to something else rather than fail the whole request."""
    if uri.startswith("s3://"):
        import boto3

        bucket, _, key = uri.removeprefix("s3://").partition("/")
        endpoint = get_settings().s3_endpoint_url
        try:
            obj = boto3.client("s3", endpoint_url=endpoint).get_object(Bucket=bucket, Key=key)
            return obj["Body"].read()
        except Exception:
            return None
    path = Path(uri)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None
