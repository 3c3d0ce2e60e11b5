"""allauth's MFA hooks: second-factor secrets encrypted at rest, and staff cannot remove theirs.

allauth stores TOTP secrets and recovery-code seeds as given by ``encrypt``; the default keeps them
in clear, so a database dump would hold every staff member's second factor. The key comes from
``INNOCLUSTER_MFA_KEY`` (settings), never from the database.
"""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings

from .mfa import requires_two_factor


def _fernet() -> Fernet:
    key = hashlib.sha256(b"innocluster-mfa:" + settings.INNOCLUSTER_MFA_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator) -> bool:
        """A person whose role requires 2FA cannot switch it off; a lost device is removed by an
        administrator (audited), after which the person enrols again."""
        return not requires_two_factor(authenticator.user)
