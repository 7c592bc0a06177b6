"""Reasons a clerk gives to load a generated record over its two usual warnings: the
generator's commune-only registration authority and a mother's residence left blank."""

AS_PRINTED = {"registration_place": "đúng như trên giấy", "mother_residence": "trên giấy để trống"}
