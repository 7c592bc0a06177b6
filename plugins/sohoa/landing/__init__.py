"""The landing zone: where uploaded scans wait, are read, and are kept (README: Settings).

One small storage interface (:class:`~sohoa.landing.store.Landing`) over a local folder
(the embedded default) or an S3 bucket (production, MinIO or any S3), so the DAGs, the
CLI and the tests run the same code whichever one ``SOHOA_LANDING`` names.
"""

from sohoa.landing.store import Landing, LocalLanding, S3Landing, open_landing

__all__ = ["Landing", "LocalLanding", "S3Landing", "open_landing"]
