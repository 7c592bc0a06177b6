"""The unseen faces of the realistic profile exist and cover every Vietnamese letter."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from sohoa.samples.layout import FAMILIES, UNSEEN_FAMILIES, UNSEEN_TYPEWRITER

VIETNAMESE = (
    "ĂÂĐÊÔƠƯăâđêôơư"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
FACES = [
    (family, face, path)
    for family, faces in {**UNSEEN_FAMILIES, "free-mono": UNSEEN_TYPEWRITER}.items()
    for face, path in faces.items()
]


@pytest.mark.parametrize(("family", "face", "path"), FACES)
def test_unseen_face_covers_vietnamese(family, face, path):
    cmap = TTFont(path, fontNumber=0).getBestCmap()
    missing = [c for c in VIETNAMESE if ord(c) not in cmap]
    assert not missing, f"{family} {face} lacks {''.join(missing)}"


def test_unseen_faces_are_not_the_ones_the_reader_was_tuned_on():
    tuned = {path for faces in FAMILIES.values() for path in faces.values()}
    assert not tuned & {path for _, _, path in FACES}
    assert len(UNSEEN_FAMILIES) >= 5
