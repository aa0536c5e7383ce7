"""Reading complaints: by code for citizens, by agency for its handlers, escalated ones for
the national level. Agency screens read complaints only through ``complaints_of``."""

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


def escalated_complaints(*, province: str = "", every: bool = False):
    """Complaints at the national level: escalated now (or ``every`` one ever escalated)."""
    rows = Complaint.objects.select_related("agency")
    rows = (
        rows.filter(escalated_at__isnull=False)
        if every
        else rows.filter(status=ComplaintStatus.ESCALATED)
    )
    if province:
        rows = rows.filter(agency__province=province)
    return rows


def escalated_complaint(code: str) -> Complaint | None:
    """A complaint that was escalated to the national level (now or before), by exact code."""
    if not codes.is_well_formed(code):
        return None
    return escalated_complaints(every=True).filter(code=code).first()


def file_of(complaint: Complaint, pk: int) -> ComplaintFile | None:
    return ComplaintFile.objects.filter(complaint=complaint, pk=pk).first()
