"""A scripted STS endpoint on 127.0.0.1 for the live-check tests.

STS speaks the AWS Query protocol: botocore POSTs a form (``Action=AssumeRole&
RoleArn=...&Version=2011-06-15``) signed with SigV4, and STS responds with XML,
``<AssumeRoleResponse><AssumeRoleResult>...`` on success and
``<ErrorResponse><Error><Type>Sender</Type><Code>..</Code><Message>..</Message>
</Error><RequestId>..</RequestId></ErrorResponse>`` on failure. Each test lists
:class:`Reply` objects, and the first one whose action and parameters match a
request is sent back. Every request is recorded: its action, its parameters
without TokenCode, and the access key id from the SigV4 credential scope.
"""

from __future__ import annotations

import datetime
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
CREDENTIAL_SCOPE = re.compile(r"Credential=(?P<key>[^/,\s]+)/")

# Placeholder temporary credentials in the shapes of the AWS documentation.
ISSUED_ACCESS_KEY_ID = "ASIASTUBISSUED000001"
ISSUED_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSTUBSECRET"
ISSUED_SESSION_TOKEN = "FwoGZXIvYXdzSTUBSESSIONTOKEN" + "Q" * 40


@dataclass(frozen=True)
class Reply:
    """One scripted response: for ``action`` when every ``when`` parameter matches (None: parameter absent).

    ``signed_by`` restricts the reply to requests signed with that access key id.
    ``fields`` fills a success result (GetCallerIdentity: Arn, Account, UserId);
    ``error`` is ``(code, message)`` for an error response with ``status``.
    ``delay`` holds the response back that many seconds; ``date`` replaces the
    Date header (for clock-skew tests). ``body`` is sent verbatim in place of
    the XML, for replies botocore cannot parse.
    """

    action: str
    when: dict[str, str | None] = field(default_factory=dict)
    signed_by: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    error: tuple[str, str] | None = None
    status: int = 200
    delay: float = 0.0
    date: str | None = None
    body: str | None = None


@dataclass
class Request:
    """One request as the stub received it. ``has_token_code`` records whether an MFA code was sent, not the code."""

    action: str
    params: dict[str, str]
    signed_by: str | None
    has_token_code: bool = False


class StubSts:
    """A threaded HTTP server on 127.0.0.1 that responds to STS Query requests from a list of replies."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"stub": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> StubSts:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def actions(self) -> list[str]:
        with self._lock:
            return [request.action for request in self.requests]

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def find(self, action: str, params: dict[str, str], signed_by: str | None) -> Reply | None:
        for reply in self.replies:
            if reply.action != action or reply.signed_by not in (None, signed_by):
                continue
            if all(params.get(name) == value for name, value in reply.when.items()):
                return reply
        return None


def _result_xml(action: str, reply: Reply, params: dict[str, str]) -> str:
    if action == "GetCallerIdentity":
        arn = reply.fields.get("Arn", "arn:aws:iam::111122223333:user/stub")
        body = (f"<Arn>{escape(arn)}</Arn><UserId>{escape(reply.fields.get('UserId', 'AIDASTUBUSER00000001'))}"
                f"</UserId><Account>{escape(reply.fields.get('Account', arn.split(':')[4]))}</Account>")
    elif action in ("AssumeRole", "AssumeRoleWithWebIdentity"):
        role_arn = params.get("RoleArn", "arn:aws:iam::111122223333:role/stub")
        session = params.get("RoleSessionName", "session")
        account = role_arn.split(":")[4]
        expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        body = (
            f"<AssumedRoleUser><AssumedRoleId>AROASTUBROLE00000001:{escape(session)}</AssumedRoleId>"
            f"<Arn>arn:aws:sts::{account}:assumed-role/{escape(role_arn.rsplit('/', 1)[-1])}/{escape(session)}"
            f"</Arn></AssumedRoleUser><Credentials><AccessKeyId>{ISSUED_ACCESS_KEY_ID}</AccessKeyId>"
            f"<SecretAccessKey>{ISSUED_SECRET_ACCESS_KEY}</SecretAccessKey>"
            f"<SessionToken>{ISSUED_SESSION_TOKEN}</SessionToken>"
            f"<Expiration>{expiration.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration></Credentials>"
        )
    else:
        body = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in reply.fields.items())
    return (f'<{action}Response xmlns="{NAMESPACE}"><{action}Result>{body}</{action}Result>'
            f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></{action}Response>")


def _error_xml(code: str, message: str, status: int) -> str:
    kind = "Receiver" if status >= 500 else "Sender"
    return (f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>{kind}</Type><Code>{escape(code)}</Code>'
            f"<Message>{escape(message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")


class _Handler(BaseHTTPRequestHandler):
    stub: StubSts
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
        params = {name: values[-1] for name, values in form.items()}
        action = params.pop("Action", "")
        params.pop("Version", None)
        match = CREDENTIAL_SCOPE.search(self.headers.get("Authorization", ""))
        signed_by = match.group("key") if match else None
        recorded = {name: value for name, value in params.items() if name != "TokenCode"}
        self.stub.record(Request(action, recorded, signed_by, "TokenCode" in params))

        reply = self.stub.find(action, params, signed_by)
        if reply is None:
            status, body, date = 400, _error_xml("InvalidAction", f"stub: no reply for {action}", 400), None
        elif reply.body is not None:
            status, body, date = reply.status, reply.body, reply.date
        elif reply.error is not None:
            status, body, date = reply.status, _error_xml(*reply.error, reply.status), reply.date
        else:
            status, body, date = reply.status, _result_xml(action, reply, params), reply.date
        if reply is not None and reply.delay:
            time.sleep(reply.delay)
        self._send(status, body.encode("utf-8"), date)

    def _send(self, status: int, body: bytes, date: str | None) -> None:
        self.send_response_only(status)
        self.send_header("Date", date or self.date_time_string())
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client closed the connection first (read timeout tests).
            return
