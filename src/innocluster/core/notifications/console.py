"""The development mail backend: each message printed as a person reads it.

Django's console backend prints the message as it would travel: a Kazakh or Russian body (two
bytes a letter, lines over 78 bytes) travels base64-encoded, so the demo's confirmation link was
unreadable. Over SMTP that encoding is right and stays; on the console this backend prints the
headers decoded and each text part as text, attachments by name. Nothing else differs.
"""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

_SKIPPED_HEADERS = {"content-transfer-encoding", "mime-version"}


def readable(message) -> str:
    """``message`` (a Django ``EmailMessage``) as text: headers, then every part decoded."""
    msg = message.message()
    lines = [f"{name}: {value}" for name, value in msg.items() if name.lower() not in _SKIPPED_HEADERS]
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_maintype() == "text" and not part.get_filename():
            lines += ["", f"[{part.get_content_type()}]", part.get_content().rstrip("\n")]
        else:
            lines += ["", f"[attachment: {part.get_filename() or 'unnamed'}, {part.get_content_type()}]"]
    return "\n".join(lines)


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        self.stream.write(readable(message) + "\n")
        self.stream.write("-" * 79 + "\n")
