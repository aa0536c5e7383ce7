"""National administrators keep the topic and life-event lists in the public admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from tenants.viewsets import NationalModelViewSet

from . import services
from .models import LifeEvent, Topic

_FIELDS = ["slug", "name_fa", "name_en", "description_fa", "description_en", "is_active"]


class EntryCreateView(generic.CreateView):
    def save_instance(self):
        return services.save_entry(self.form.save(commit=False))


class EntryEditView(generic.EditView):
    def save_instance(self):
        return services.save_entry(self.form.save(commit=False))


class EntryViewSet(NationalModelViewSet):
    add_to_admin_menu = False
    add_view_class = EntryCreateView
    edit_view_class = EntryEditView
    form_fields = _FIELDS
    list_display = ["name_fa", "name_en", "slug", "is_active"]
    # Drag and drop in the listing (Wagtail's reorder view), saved in this field.
    sort_order_field = "sort_order"
    search_fields = ["slug", "name_fa", "name_en"]


class TopicViewSet(EntryViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")


class LifeEventViewSet(EntryViewSet):
    model = LifeEvent
    icon = "calendar-alt"
    menu_label = _("Life events")


class TaxonomyGroup(ViewSetGroup):
    menu_label = _("Topics and life events")
    menu_icon = "tag"
    menu_order = 170
    # Shown when one of its items is: to national administrators on the portal only.
    items = (TopicViewSet("taxonomy_topics"), LifeEventViewSet("taxonomy_life_events"))


@hooks.register("register_admin_viewset")
def register_taxonomy():
    return TaxonomyGroup()
