"""Storage behind the landing zone: a local folder or ``s3://bucket/prefix``.

Keys are ``/``-separated paths relative to the zone's root. Writes are atomic (a reader
never sees half an object: a local file is renamed into place, an S3 PUT is atomic), so a
task that dies mid-write leaves nothing a rerun could mistake for finished work.

There is deliberately no public ``delete``: the only way to take an object away is
:meth:`Landing.move`, which first writes a record of where it went under ``moves/``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ocr.errors import ConfigurationError, MissingDependencyError
from ocr.jsontext import json_text
from sohoa.settings import get_settings

MOVES = "moves"


class Landing(ABC):
    """The operations the pipeline needs, and nothing that could lose a scan silently."""

    @abstractmethod
    def uri(self, key: str) -> str:
        """Where ``key`` lives, as a path or ``s3://`` URI a person or a task can open."""

    @abstractmethod
    def put_bytes(self, key: str, data: bytes) -> None: ...

    @abstractmethod
    def put_file(self, key: str, path: Path) -> None: ...

    @abstractmethod
    def read_bytes(self, key: str) -> bytes:
        """Raises :class:`KeyError` when there is no such object."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[str]:
        """Keys under ``prefix`` (a folder-like prefix), in no promised order."""

    @abstractmethod
    def _copy(self, src: str, dst: str) -> None: ...

    @abstractmethod
    def _remove(self, key: str) -> None: ...

    @contextmanager
    @abstractmethod
    def local_copy(self, key: str) -> Iterator[Path]:
        """A local file with the object's content, for readers that need a path."""

    def put_json(self, key: str, doc: Any) -> None:
        # json_text: a file name that is not UTF-8 is written escaped, never a crash.
        self.put_bytes(key, json_text(doc, indent=1).encode())

    def read_json(self, key: str) -> Any:
        return json.loads(self.read_bytes(key))

    def move(self, src: str, dst: str, reason: str) -> str:
        """Move ``src`` to ``dst``; the record of the move is written *before* anything
        is removed, so a crash between the steps leaves a record and two copies, never
        zero. Returns the key of the record."""
        now = datetime.now(UTC)
        record_key = f"{MOVES}/{now:%Y%m%dT%H%M%S%fZ}-{_slug(src)}.json"
        self.put_json(
            record_key,
            {"from": self.uri(src), "to": self.uri(dst), "reason": reason, "at": now.isoformat()},
        )
        self._copy(src, dst)
        self._remove(src)
        return record_key


def _slug(key: str) -> str:
    return key.replace("/", "_")[-120:]


class LocalLanding(Landing):
    """A folder; the embedded default (``./.sohoa/landing``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def __repr__(self) -> str:
        return f"LocalLanding({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if path != self.root and self.root not in path.parents:
            raise ConfigurationError(f"landing key escapes the landing folder: {key!r}")
        return path

    def uri(self, key: str) -> str:
        return str(self._path(key))

    def put_bytes(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)

    def put_file(self, key: str, path: Path) -> None:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.replace(tmp, dest)

    def read_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str = "") -> Iterator[str]:
        base = self._path(prefix) if prefix else self.root
        if not base.is_dir():
            return
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if not name.startswith(".part-"):
                    yield Path(dirpath, name).relative_to(self.root).as_posix()

    def _copy(self, src: str, dst: str) -> None:
        self.put_file(dst, self._path(src))

    def _remove(self, key: str) -> None:
        self._path(key).unlink()

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise KeyError(key)
        yield path


class S3Landing(Landing):
    """``s3://bucket/prefix`` through boto3; ``SOHOA_S3_ENDPOINT_URL`` points at MinIO."""

    def __init__(
        self, bucket: str, prefix: str = "", endpoint_url: str | None = None, client: Any = None
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        if client is None:
            try:
                import boto3
            except ImportError as exc:  # pragma: no cover - boto3 is a dependency
                raise MissingDependencyError(
                    "boto3 is needed for an s3:// landing zone; pip install boto3"
                ) from exc
            client = boto3.client("s3", endpoint_url=endpoint_url or None)
        self.client = client

    def __repr__(self) -> str:
        return f"S3Landing({self.uri('')!r})"

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}".rstrip("/")

    def put_bytes(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def put_file(self, key: str, path: Path) -> None:
        self.client.upload_file(str(path), self.bucket, self._key(key))

    def read_bytes(self, key: str) -> bytes:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.NoSuchKey:
            raise KeyError(key) from None
        return obj["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def list(self, prefix: str = "") -> Iterator[str]:
        full = self._key(prefix)
        if full and not full.endswith("/"):
            full += "/"
        strip = len(self.prefix) + 1 if self.prefix else 0
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=full
        )
        for page in pages:
            for obj in page.get("Contents", []):
                yield obj["Key"][strip:]

    def _copy(self, src: str, dst: str) -> None:
        self.client.copy_object(
            Bucket=self.bucket,
            Key=self._key(dst),
            CopySource={"Bucket": self.bucket, "Key": self._key(src)},
        )

    def _remove(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        suffix = Path(key).suffix
        with tempfile.TemporaryDirectory(prefix="sohoa-scan-") as tmp:
            path = Path(tmp) / (Path(key).name or f"scan{suffix}")  # names appear in errors
            try:
                self.client.download_file(self.bucket, self._key(key), str(path))
            except Exception as exc:
                if "404" in str(exc) or "Not Found" in str(exc):
                    raise KeyError(key) from exc
                raise
            yield path


def open_landing(location: str | None = None) -> Landing:
    """The landing zone named by ``location`` (default: ``SOHOA_LANDING``)."""
    settings = get_settings()
    location = location or settings.landing
    if location.startswith("s3://"):
        bucket, _, prefix = location.removeprefix("s3://").partition("/")
        if not bucket:
            raise ConfigurationError(f"SOHOA_LANDING has no bucket: {location!r}")
        return S3Landing(bucket, prefix, endpoint_url=settings.s3_endpoint_url)
    if "://" in location:
        raise ConfigurationError(
            f"SOHOA_LANDING must be a folder or s3://bucket/prefix, got {location!r}"
        )
    return LocalLanding(Path(location))
