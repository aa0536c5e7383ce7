"""What the citizen is told by SMS at each step of a complaint; in Persian, with the code.

Four events (the SMS templates' complaint_received, complaint_step, complaint_answered and
complaint_escalated): ``tell_received``, ``tell_step``, ``tell_answered``, ``tell_escalated``.
"""

from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import queue_sms
from persian.dates import jalali
from tenants.links import portal_url

from .constants import ComplaintStatus


def tracking_url(complaint) -> str:
    return portal_url("/complaints/track/?" + urlencode({"code": complaint.code}))


def _values(complaint) -> dict:
    return {
        # Latin digits, undivided: what phones offer to copy.
        "code": complaint.code,
        "kind": complaint.get_kind_display(),
        "agency": complaint.agency.name_fa,
        "date": jalali(complaint.due_on),
        "url": tracking_url(complaint),
    }


def _send(complaint, text: str) -> None:
    queue_sms(complaint.mobile, text % _values(complaint))


def tell_received(complaint) -> None:
    with translation.override("fa"):
        _send(
            complaint,
            _(
                "Panjereh: your %(kind)s was received. Its code: %(code)s. An answer is due by "
                "%(date)s. Follow it: %(url)s"
            ),
        )


def tell_step(complaint, change) -> None:
    """A step that is neither the answer nor the escalation: in review, closed, returned."""
    with translation.override("fa"):
        if change.from_status == ComplaintStatus.ESCALATED:
            text = _(
                "Panjereh: complaint %(code)s was sent back to %(agency)s, to be answered by "
                "%(date)s."
            )
        elif change.to_status == ComplaintStatus.IN_REVIEW:
            text = _("Panjereh: complaint %(code)s is being reviewed by %(agency)s.")
        else:
            text = _("Panjereh: complaint %(code)s is closed. See why: %(url)s")
        _send(complaint, text)


def tell_answered(complaint) -> None:
    with translation.override("fa"):
        _send(
            complaint, _("Panjereh: complaint %(code)s has been answered. See the answer: %(url)s")
        )


def tell_escalated(complaint) -> None:
    with translation.override("fa"):
        _send(
            complaint,
            _(
                "Panjereh: complaint %(code)s was not answered in time and has been sent to the "
                "national level. Follow it: %(url)s"
            ),
        )
