"""Reading complaints: by code for citizens, by agency for its handlers, escalated ones for
the national level. Agency screens read complaints only through ``complaints_of``."""

from django.db.models import Q

from . import codes
from .constants import ComplaintStatus
from .models import Complaint, ComplaintFile


def find_by_code(typed: str) -> Complaint | None:
    """The complaint with this code, or None; malformed codes never reach the database."""
    code = codes.normalise(typed)
    if not codes.is_well_formed(code):
        return None
    return Complaint.objects.select_related("agency", "request").filter(code=code).first()


def complaints_of(agency):
    """Every complaint about one agency: the only way agency screens read complaints."""
    return Complaint.objects.filter(agency_id=agency.pk)


def complaint_of(agency, code: str) -> Complaint | None:
    """One of this agency's complaints by its exact code (a malformed one is None)."""
    if not codes.is_well_formed(code):
        return None
    return complaints_of(agency).filter(code=code).first()


def overseen_in(provinces) -> Q:
    """The complaints of ``provinces``, as their supervisors oversee them: about an agency
    of one of them, or about a request a unit in one of them handled."""
    return Q(agency__province__in=provinces) | Q(request__province__in=provinces)


def escalated_complaints(*, province: str = "", provinces=None, every: bool = False):
    """Complaints at the national level: escalated now (or ``every`` one ever escalated),
    of ``province`` if one is chosen, and of ``provinces`` (None: every province, as a
    national administrator sees them)."""
    rows = Complaint.objects.select_related("agency")
    rows = (
        rows.filter(escalated_at__isnull=False)
        if every
        else rows.filter(status=ComplaintStatus.ESCALATED)
    )
    if province:
        rows = rows.filter(overseen_in([province]))
    if provinces is not None:
        rows = rows.filter(overseen_in(provinces))
    return rows


def escalated_complaint(code: str, *, provinces=None) -> Complaint | None:
    """A complaint that was escalated to the national level (now or before), by exact code,
    if it is of ``provinces`` (None: of any)."""
    if not codes.is_well_formed(code):
        return None
    return escalated_complaints(provinces=provinces, every=True).filter(code=code).first()


def file_of(complaint: Complaint, pk: int) -> ComplaintFile | None:
    return ComplaintFile.objects.filter(complaint=complaint, pk=pk).first()
