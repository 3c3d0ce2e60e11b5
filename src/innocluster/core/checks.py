"""System checks that keep a production deployment honest (run by ``check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def audit_key_is_configured(app_configs, **kwargs):
    if settings.DEBUG or settings.INNOCLUSTER_AUDIT_KEY_EXPLICIT:
        return []
    return [
        Error(
            "INNOCLUSTER_AUDIT_KEY is not set: the audit chain is sealed with a key generated in var/.",
            hint="Set INNOCLUSTER_AUDIT_KEY from a secret store so the key is not kept beside the data.",
            id="innocluster.E001",
        )
    ]


@register(Tags.security, deploy=True)
def base_url_is_https(app_configs, **kwargs):
    if settings.DEBUG or settings.HTTPS:
        return []
    return [
        Error(
            "INNOCLUSTER_BASE_URL is not https: cookies would travel unprotected.",
            hint="Set INNOCLUSTER_BASE_URL=https://your.host",
            id="innocluster.E002",
        )
    ]


@register(Tags.security, deploy=True)
def mfa_key_is_configured(app_configs, **kwargs):
    if settings.DEBUG or settings.INNOCLUSTER_MFA_KEY_EXPLICIT:
        return []
    return [
        Error(
            "INNOCLUSTER_MFA_KEY is not set: second-factor secrets are encrypted with a key generated in var/.",
            hint="Set INNOCLUSTER_MFA_KEY from a secret store; keep it out of database backups.",
            id="innocluster.E003",
        )
    ]
