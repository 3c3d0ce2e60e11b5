"""What notifications add to the platform: the inbox and its link."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Mount, NavEntry

MANIFEST = Manifest(
    navigation=(NavEntry("notifications:inbox", _("Inbox"), "notifications.inbox", order=600),),
    permissions=("innocluster.core.notifications.permissions",),
    urls=(Mount("inbox/", urls="innocluster.core.notifications.urls"),),
)
