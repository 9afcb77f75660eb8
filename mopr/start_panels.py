"""The start page's panels of ``mopr``: the auditor's search and their recent prints."""

from __future__ import annotations

from mopr import policy
from mopr.models import AccessLog
from mopr.start import Panel, register


def _auditor(request):
    prints = list(
        AccessLog.objects.filter(user=request.user, action=AccessLog.Action.PRINT)
        .select_related("case")
        .order_by("-at")[:10]
    )
    return {"prints": prints}


register(Panel("auditor", 10, policy.user_is_auditor, "start/auditor.html", _auditor))
