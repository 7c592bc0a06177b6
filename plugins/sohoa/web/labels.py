"""Vietnamese names of the document types, one table for every page that shows them."""

from __future__ import annotations

DOC_TYPE_LABELS = {
    "birth": "Khai sinh",
    "death": "Khai tử",
    "marriage": "Kết hôn",
    "dossier_result": "Kết quả hồ sơ TTHC",
    "unknown": "Chưa rõ loại",
}
