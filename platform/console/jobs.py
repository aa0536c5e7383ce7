"""Background jobs for national administrators: what failed, and a retry.

A read-only listing of procrastinate's jobs (public schema), filtered by status
and task, on the national portal only (``NationalModelViewSet``). A failed job is
put back in its queue with a POST from its page; the retry is in the audit log.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from procrastinate.contrib.django.models import ProcrastinateJob
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from tenants import jobs
from tenants.guards import national_only
from tenants.viewsets import NationalModelViewSet

RETRY_ACTION = "panjereh.job.retry"

JOB_STATUSES = [
    ("todo", gettext_lazy("Waiting")),
    ("doing", gettext_lazy("Running")),
    ("succeeded", gettext_lazy("Succeeded")),
    ("failed", gettext_lazy("Failed")),
    ("cancelled", gettext_lazy("Cancelled")),
    ("aborted", gettext_lazy("Aborted")),
]


class JobPermissionPolicy(ModelPermissionPolicy):
    """Jobs are written by procrastinate only: look, and retry with the change permission."""

    def user_has_permission(self, user, action):
        if action == "retry":
            return super().user_has_permission(user, "change")
        return action not in {"add", "change", "delete"} and super().user_has_permission(
            user, action
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ProcrastinateJob, JobPermissionPolicy(ProcrastinateJob))


def _task_choices():
    names = ProcrastinateJob.objects.order_by("task_name").values_list("task_name", flat=True)
    return [(name, name) for name in names.distinct()]


class JobFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=JOB_STATUSES)
    task_name = django_filters.ChoiceFilter(label=gettext_lazy("Task"), choices=_task_choices)

    class Meta:
        model = ProcrastinateJob
        fields = ["status", "task_name"]


def _schema(job) -> str:
    return (job.args or {}).get("schema", "")


class JobInspectView(InspectView):
    template_name = "console/job_inspect.html"
    retry_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retry_url"] = (
            reverse(self.retry_url_name, args=[self.object.pk])
            if self.object.status == "failed"
            and self.permission_policy.user_has_permission(self.request.user, "retry")
            else None
        )
        return context


class JobViewSet(NationalModelViewSet):
    """procrastinate's jobs, newest first; failed ones can be retried."""

    model = ProcrastinateJob
    icon = "cogs"
    menu_label = gettext_lazy("Background jobs")
    menu_order = 190
    form_fields = ["status"]  # never shown: nobody may add or change a job here
    ordering = ["-id"]
    list_display = [
        "id",
        Column("task_name", label=gettext_lazy("Task")),
        Column("status", label=gettext_lazy("Status")),
        Column("schema", label=gettext_lazy("Schema"), accessor=_schema),
        Column("attempts", label=gettext_lazy("Tries")),
        Column("scheduled_at", label=gettext_lazy("Scheduled for")),
    ]
    filterset_class = JobFilterSet
    inspect_view_enabled = True
    inspect_view_class = JobInspectView
    inspect_view_fields = [
        "id",
        "task_name",
        "status",
        "queue_name",
        "args",
        "attempts",
        "scheduled_at",
        "lock",
        "queueing_lock",
    ]

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(retry_url_name=self.get_url_name("retry"), **kwargs)

    def retry_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "retry"):
            raise PermissionDenied
        job = get_object_or_404(ProcrastinateJob, pk=pk)
        try:
            jobs.retry_failed_job(job.pk)
        except jobs.JobNotRetryable:
            messages.error(request, _("Only a failed job can be retried."))
        else:
            log(
                instance=job,
                action=RETRY_ACTION,
                user=request.user,
                data={"task": job.task_name, "schema": _schema(job), "attempts": job.attempts},
            )
            messages.success(request, _("Job %(id)s is back in its queue.") % {"id": job.pk})
        return redirect(self.get_url_name("inspect"), job.pk)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "retry/<int:pk>/",
                national_only(require_POST(self.retry_view)),
                name="retry",
            ),
        ]
