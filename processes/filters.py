"""The card list's search and filters (django-filter), for a citizen's phone: a word, a
category, a unit, and whether the service can be applied for online."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from desk.models import Department
from processes.models import Service, ServiceCategory

MAX_QUERY_LENGTH = 100


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search the services"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=ServiceCategory.objects.filter(services__published=True).distinct(),
        empty_label=_("All categories"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        queryset=Department.objects.filter(services__published=True).distinct(),
        empty_label=_("All units"),
    )
    online = django_filters.BooleanFilter(
        label=_("Only services I can apply for online"),
        field_name="accepts_online_requests",
        widget=forms.CheckboxInput,
        method="only_online",
    )

    class Meta:
        model = Service
        fields = ["q", "category", "department", "online"]

    def search(self, queryset, name, value):
        # A pasted paragraph is searched by its beginning, not refused.
        return queryset.matching(value[:MAX_QUERY_LENGTH])

    def only_online(self, queryset, name, value):
        return queryset.filter(accepts_online_requests=True) if value else queryset
