"""Writes of the national console: each atomic and written to the audit log."""

from django.db import transaction
from wagtail.log_actions import log

from tenants.models import Agency, SupervisedProvince

from .constants import GRANT_ACTION, PROVINCES_ACTION, REPRESENTATIVE_ACTION, REVOKE_ACTION
from .models import DeskRepresentative

REPRESENTATIVE_FIELDS = ("name", "post", "phone", "email", "notified_on", "named_on")


@transaction.atomic
def set_desk_representative(agency: Agency, *, actor=None, **values) -> DeskRepresentative:
    """Record (or correct) an agency's service-desk representative and its dates."""
    unknown = set(values) - set(REPRESENTATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    representative, _created = DeskRepresentative.objects.select_for_update().get_or_create(
        agency=agency
    )
    for field, value in values.items():
        setattr(representative, field, value)
    representative.save()
    log(
        instance=agency,
        action=REPRESENTATIVE_ACTION,
        user=actor,
        data={field: str(getattr(representative, field) or "") for field in REPRESENTATIVE_FIELDS},
    )
    return representative


@transaction.atomic
def set_supervised_provinces(user, provinces, *, actor=None) -> list[str]:
    """The provinces a provincial supervisor supervises from now on (replacing the old)."""
    wanted = sorted(set(provinces))
    before = sorted(user.supervised_provinces.values_list("province", flat=True))
    SupervisedProvince.objects.filter(user=user).exclude(province__in=wanted).delete()
    SupervisedProvince.objects.bulk_create(
        [SupervisedProvince(user=user, province=province) for province in wanted],
        ignore_conflicts=True,
    )
    if before != wanted:
        log(
            instance=user,
            action=PROVINCES_ACTION,
            user=actor,
            data={"before": before, "after": wanted},
        )
    return wanted


def _supervisor_group():
    from django.contrib.auth.models import Group

    from tenants.constants import NationalRole

    return Group.objects.get(name=NationalRole.PROVINCIAL_SUPERVISOR)


@transaction.atomic
def grant_supervisor_role(user, *, actor=None) -> None:
    """Make a national user a provincial supervisor (seeing nothing until given provinces)."""
    user.groups.add(_supervisor_group())
    log(instance=user, action=GRANT_ACTION, user=actor)


@transaction.atomic
def revoke_supervisor_role(user, *, actor=None) -> None:
    """Take the role and every province away."""
    user.groups.remove(_supervisor_group())
    SupervisedProvince.objects.filter(user=user).delete()
    log(instance=user, action=REVOKE_ACTION, user=actor)
