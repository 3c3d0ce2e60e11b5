"""The workforce app's role: the Fund's HR officer, who checks, returns, decides and follows the
requests to attract foreign specialists (and files the Fund's own). An employer's side is the
register's ``participant_rep`` acting (confirmed) for the employing organisation."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import RoleSpec

HR_OFFICER = "hr_officer"
PARTICIPANT_REP = "participant_rep"  # the registry's role: who acts for a participant

ROLES = (RoleSpec(HR_OFFICER, _("HR officer"), two_factor=True, group="staff"),)
