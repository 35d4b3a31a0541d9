"""Real servers on localhost for the messaging tests: an SMTP server (aiosmtpd) and one speaking GOV.UK Notify's API.

The Notify server checks each request's bearer token as Notify does: a JWT signed (HS256) with the API key's
secret, its issuer the key's service id, issued within the last 30 seconds (the client library's own
decode_jwt_token, which Notify's API uses). It keeps what it was sent, and answers a status chosen by the test.
"""

import base64
import email
import json
import socket
import threading
import uuid
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"earlyhelp_test-{SERVICE_ID}-{SECRET}"


# SMTP ------------------------------------------------------------------------------------------------------


class Mailbox:
    """aiosmtpd's handler: keeps each message; `refuse` makes the next RCPT answers a code (e.g. 451, 550)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: list[str] = []
        self.arrived = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 15.0) -> list:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        return list(self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_server_start() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(),
                            ident="earlyhelp test SMTP")
    controller.start()
    return controller, mailbox


# GOV.UK Notify ------------------------------------------------------------------------------------------------


class NotifyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.sent: dict[str, dict] = {}  # notification id -> what was posted, with "type"
        self.status = "delivered"  # what GET /v2/notifications/{id} answers
        self.fail_next: list[int] = []  # status codes the next POSTs answer instead of sending
        self.refused_tokens = 0
        super().__init__(("127.0.0.1", 0), NotifyHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class NotifyHandler(BaseHTTPRequestHandler):
    server: NotifyServer

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
        from notifications_python_client.errors import TokenError

        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        try:
            if not header.startswith("Bearer ") or get_token_issuer(token) != SERVICE_ID:
                raise TokenError("Invalid token: service not found", token)
            decode_jwt_token(token, SECRET)
        except TokenError:
            self.server.refused_tokens += 1
            self._answer(403, {"status_code": 403, "errors": [{"error": "AuthError",
                                                               "message": "Invalid token: signature"}]})
            return False
        return True

    def do_POST(self):
        if not self._authorised():
            return
        kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(self.path)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if kind is None:
            return self._answer(404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "Not found"}]})
        if self.server.fail_next:
            code = self.server.fail_next.pop(0)
            return self._answer(code, {"status_code": code, "errors": [{"error": "Error", "message": f"{code}"}]})
        field = "email_address" if kind == "email" else "phone_number"
        if not body.get(field) or not body.get("template_id"):
            return self._answer(400, {"status_code": 400, "errors": [{"error": "ValidationError",
                                                                      "message": f"{field} is a required property"}]})
        notification_id = str(uuid.uuid4())
        self.server.sent[notification_id] = {**body, "type": kind}
        self._answer(201, {"id": notification_id, "reference": body.get("reference"),
                           "uri": f"{self.server.url}/v2/notifications/{notification_id}",
                           "template": {"id": body["template_id"], "version": 1, "uri": ""},
                           "content": {"body": "", "subject": "", "from_email": "earlyhelp@notify.example"}})

    def do_GET(self):
        if not self._authorised():
            return
        notification_id = self.path.removeprefix("/v2/notifications/")
        if notification_id not in self.server.sent:
            return self._answer(404, {"status_code": 404, "errors": [{"error": "NoResultFound",
                                                                      "message": "No result found"}]})
        sent = self.server.sent[notification_id]
        self._answer(200, {"id": notification_id, "reference": sent.get("reference"), "type": sent["type"],
                           "status": self.server.status, "template": {"id": sent["template_id"]}})


def uploaded_file(personalisation_value: dict) -> bytes:
    """The bytes of a file sent with prepare_upload (Notify's "send a file by email")."""
    return base64.b64decode(personalisation_value["file"])
