"""Handing one message to an SMTP server, with a mark at the one moment that decides whether it can be lost.

Until the line "." that ends the DATA of a mail transaction, a server that loses the client discards the
transaction (RFC 5321, 4.1.1.4): a worker killed before that point delivered nothing. Once the "." is
sent, the server may deliver even if the worker dies before reading its answer. `hand_over` calls
`handed()` just before sending that "." (the caller commits it), so a row left "handed" is the only
case where the message may have arrived, and one left "sending" the case where it surely did not.
"""

from __future__ import annotations

import contextlib
import email.policy
import re
import smtplib
import socket
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

CRLF = b"\r\n"


def hand_over(connection: object, message: EmailMessage, handed: Callable[[], None]) -> None:
    """Send `message` on the open `connection`, calling `handed()` when only the end of DATA is left.

    Any other backend (the console, the test outbox) has no such moment: `handed()` then comes first.
    Raises `smtplib.SMTPException` or `OSError` like Django's SMTP backend.
    """
    if not isinstance(connection, SMTPBackend) or connection.connection is None:
        handed()
        message.connection = connection  # type: ignore[assignment]
        message.send()
        return
    smtp = connection.connection
    if smtp.sock is not None:
        # The end of DATA goes out as its own small packet: without this, Nagle's algorithm holds it
        # until the server acknowledges the body, a delayed ACK of up to 40 ms for every message.
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sender = connection.prep_address(message.from_email)
    recipients = [connection.prep_address(address) for address in message.recipients()]
    data = message.message(policy=email.policy.SMTP).as_bytes()
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            _reset(smtp)
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    # Dot-stuffing, as smtplib.SMTP.data does: a line starting with "." gets a second one.
    body = re.sub(rb"(?m)^\.", b"..", data)
    smtp.send(body if body.endswith(CRLF) else body + CRLF)
    handed()
    smtp.send(b"." + CRLF)
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _reset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()
