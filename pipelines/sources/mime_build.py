"""Building the raw payload of one alert split out of a digest e-mail.

The payload is a ``multipart/mixed`` message: headers for the alert (subject,
date, sender, ``Message-ID: <digest-id>#N``, ``X-Ifex-Digest-Of``,
``X-Ifex-Digest-Part: N/M``), the alert's text as ``text/plain`` UTF-8, and the
complete original digest, byte for byte, as a ``message/rfc822`` attachment.
"""

from __future__ import annotations

from email.header import Header
from email.message import Message

from models.records import sha256_hex
from pipelines.sources.digest import DigestPart
from pipelines.sources.email_text import header_text


def header_line(name: str, value: str) -> str:
    """``Name: value`` on one logical line, RFC 2047-encoded when not ASCII."""
    value = " ".join(value.split())
    if not value.isascii():
        value = Header(value, "utf-8", header_name=name).encode()
    return f"{name}: {value}"


def digest_part_payload(
    original: bytes, message: Message, part: DigestPart, ident: str, number: int, count: int
) -> bytes:
    """The raw bytes of alert ``number`` of ``count`` split from the digest ``original``."""
    boundary = f"ifex-digest-{sha256_hex(original)[:24]}"
    fields = (
        ("Subject", part.title),
        ("Date", part.date or header_text(message, "Date")),
        ("From", part.sender or header_text(message, "From")),
        ("Message-ID", f"{ident}#{number}"),
        ("X-Ifex-Digest-Of", ident),
        ("X-Ifex-Digest-Part", f"{number}/{count}"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
    )
    lines = [message.get_unixfrom() or ""] + [header_line(n, v) for n, v in fields if v]
    head = "\n".join(line for line in lines if line)
    text = (
        f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{part.text}\n"
    )
    attachment = (
        f"--{boundary}\nContent-Type: message/rfc822\n"
        'Content-Disposition: attachment; filename="digest.eml"\n\n'
    )
    return b"".join(
        [
            head.encode("utf-8", "surrogateescape"),
            b"\n\n",
            text.encode("utf-8"),
            attachment.encode("ascii"),
            original,
            f"\n--{boundary}--\n".encode("ascii"),
        ]
    )
