"""Refuse oversized request bodies before they are read (pure ASGI, so it also guards
bodies sent without a Content-Length)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "Tệp tải lên quá lớn. Hãy chia thành nhiều lần tải lên nhỏ hơn."


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send)
            return
        seen = 0
        state = {"too_large": False, "started": False}

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    state["too_large"] = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            # Once the body is over the limit, whatever the app answers (FastAPI turns the
            # error into a 400 "error parsing the body", a middleware may turn it into a
            # 500) is replaced by the 413 the client should see.
            if state["too_large"]:
                if message["type"] == "http.response.start" and not state["started"]:
                    state["started"] = True
                    await _refuse(send)
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:  # BodyTooLarge, possibly wrapped in an ExceptionGroup
            if not state["too_large"]:
                raise
            if not state["started"]:
                await _refuse(send)


async def _refuse(send: Send) -> None:
    body = TOO_LARGE.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
