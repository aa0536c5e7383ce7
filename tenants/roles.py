"""What each role may do, and the groups that carry it.

Roles are Wagtail groups: an agency's in its own schema (made in the template
schema, so every new agency is cloned with them), national roles in the public
schema. ``ensure_agency_roles`` and ``ensure_national_roles`` are idempotent and
run after every ``migrate_schemas``, so a role's permissions follow the code.
Permissions are named "app_label.codename"; apps above this one are named, never
imported.
"""

from dataclasses import dataclass

from django.db import transaction

from .constants import (
    MODERATION_TASK_NAME,
    MODERATION_WORKFLOW_NAME,
    WAGTAIL_MODERATION_NAME,
    AgencyRole,
    NationalRole,
)

ACCESS_ADMIN = "wagtailadmin.access_admin"
HANDLE_REQUESTS = "service_requests.handle_request"
HANDLE_COMPLAINTS = "complaints.handle_complaint"
IMPORT_CATALOGUE = "catalog_pages.import_catalogue"
VIEW_SURVEY_RESULTS = "surveys.view_survey_results"
OVERRIDE_SMS_TEMPLATES = "notifications.override_smstemplate"
HANDLE_APPOINTMENTS = "appointments.handle_appointment"
FILL_SELF_ASSESSMENT = "evaluation.fill_self_assessment"
# The agency's desks, their hours and closures (appointments; the agency's administrator).
_DESKS = tuple(
    f"appointments.{action}_{model}"
    for model in ("desk", "openinghours", "closure")
    for action in ("add", "change", "delete", "view")
)
# The agency's units (HQ and field offices): its administrator manages them; staff who
# place requests and pages at a unit read them.
_UNITS = tuple(f"catalog_pages.{action}_unit" for action in ("add", "change", "delete", "view"))
VIEW_UNITS = "catalog_pages.view_unit"

_IMAGES = ("wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image")
_DOCUMENTS = (
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)


@dataclass(frozen=True)
class Role:
    name: str
    permissions: tuple[str, ...] = ()
    # Page permissions (wagtailcore codenames) over the whole page tree.
    page_permissions: tuple[str, ...] = ()
    # Image and document permissions over the root collection.
    collection_permissions: tuple[str, ...] = ()
    # Members approve or reject pages in the moderation workflow.
    approves: bool = False


AGENCY_ROLES = (
    Role(
        AgencyRole.ADMINISTRATOR,
        permissions=(
            ACCESS_ADMIN,
            "auth.add_user",
            "auth.change_user",
            "auth.delete_user",
            "auth.view_user",
            "themes.change_agencybranding",
            IMPORT_CATALOGUE,
            HANDLE_COMPLAINTS,
            VIEW_SURVEY_RESULTS,
            # The agency's own SMS texts in place of the national ones.
            OVERRIDE_SMS_TEMPLATES,
            HANDLE_APPOINTMENTS,
            *_DESKS,
            FILL_SELF_ASSESSMENT,
            *_UNITS,
        ),
    ),
    Role(
        AgencyRole.EDITOR,
        permissions=(ACCESS_ADMIN, VIEW_UNITS),
        page_permissions=("add_page", "change_page", "lock_page", "unlock_page"),
        collection_permissions=_IMAGES + _DOCUMENTS,
    ),
    Role(
        AgencyRole.REVIEWER,
        permissions=(ACCESS_ADMIN, VIEW_UNITS),
        page_permissions=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        collection_permissions=_IMAGES + _DOCUMENTS,
        approves=True,
    ),
    Role(
        AgencyRole.REQUEST_CLERK,
        permissions=(ACCESS_ADMIN, HANDLE_REQUESTS, HANDLE_APPOINTMENTS, VIEW_UNITS),
    ),
    Role(AgencyRole.COMPLAINT_HANDLER, permissions=(ACCESS_ADMIN, HANDLE_COMPLAINTS)),
    Role(AgencyRole.REPORT_VIEWER, permissions=(ACCESS_ADMIN, VIEW_SURVEY_RESULTS)),
)

NATIONAL_ROLES = (
    Role(
        NationalRole.ADMINISTRATOR,
        permissions=(
            ACCESS_ADMIN,
            "tenants.add_agency",
            "tenants.change_agency",
            "tenants.view_agency",
            "service_requests.add_holiday",
            "service_requests.change_holiday",
            "service_requests.delete_holiday",
            "service_requests.view_holiday",
            "service_search.add_synonymgroup",
            "service_search.change_synonymgroup",
            "service_search.delete_synonymgroup",
            "service_search.view_synonymgroup",
            "notifications.view_smsmessage",
            "notifications.view_inboundsms",
            "notifications.view_sandboxsms",
            # The national SMS texts (made for every event; edited, never added or deleted).
            "notifications.view_smstemplate",
            "notifications.change_smstemplate",
            # The national topic and life-event lists (the portal's "by topic" and
            # "by life event").
            "taxonomy.add_topic",
            "taxonomy.change_topic",
            "taxonomy.delete_topic",
            "taxonomy.view_topic",
            "taxonomy.add_lifeevent",
            "taxonomy.change_lifeevent",
            "taxonomy.delete_lifeevent",
            "taxonomy.view_lifeevent",
            # Background jobs: see them, and retry a failed one (console.jobs).
            "procrastinate.view_procrastinatejob",
            "procrastinate.change_procrastinatejob",
            # The call centre's audit log of look-ups (read only).
            "service_requests.view_callcentrelookup",
        ),
    ),
    Role(
        NationalRole.PROVINCIAL_SUPERVISOR,
        permissions=(ACCESS_ADMIN, "tenants.view_agency"),
    ),
    Role(NationalRole.CALL_CENTRE_OPERATOR, permissions=(ACCESS_ADMIN,)),
    Role(NationalRole.INSPECTOR, permissions=(ACCESS_ADMIN, "tenants.view_agency")),
)

# Wagtail's own starter groups: replaced by ours in every agency.
_WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


def _permissions(names):
    from django.contrib.auth.models import Permission

    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None:
            raise LookupError(f"Permission {name} does not exist; run migrate_schemas.")
        found.append(permission)
    return found


def _ensure_group(role: Role):
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=role.name)
    group.permissions.set(_permissions(role.permissions))
    return group


@transaction.atomic
def ensure_agency_roles() -> dict[str, object]:
    """Create or update the agency roles in the current (agency or template) schema."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Task,
        Workflow,
    )

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role in AGENCY_ROLES:
        group = _ensure_group(role)
        groups[role.name] = group
        GroupPagePermission.objects.filter(group=group).exclude(
            permission__codename__in=role.page_permissions
        ).delete()
        for codename in role.page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for permission in _permissions(role.collection_permissions):
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=permission
            )
    approvers = [groups[role.name] for role in AGENCY_ROLES if role.approves]
    for task in GroupApprovalTask.objects.all():
        task.groups.set(approvers)
    Workflow.objects.filter(name=WAGTAIL_MODERATION_NAME).update(name=MODERATION_WORKFLOW_NAME)
    Task.objects.filter(name=WAGTAIL_MODERATION_NAME).update(name=MODERATION_TASK_NAME)
    Group.objects.filter(name__in=_WAGTAIL_DEFAULT_GROUPS).delete()
    return groups


@transaction.atomic
def ensure_national_roles() -> dict[str, object]:
    """Create or update the national roles (run in the public schema)."""
    return {role.name: _ensure_group(role) for role in NATIONAL_ROLES}


def assign_roles(user, roles) -> None:
    """Make ``user`` a member of exactly the groups of ``roles`` (in the current schema)."""
    from django.contrib.auth.models import Group

    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
