from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

ITEMS = [
    {"number": n, "title": f"Item number {n}", "summary": "A line of text about the item."}
    for n in range(50)
]


def bare_view(request):
    return HttpResponse("Hello, world.")


def template_page(request):
    """About 5.5 KB of HTML: a layout and a loop over 50 items, as a typical list page."""
    return render(request, "page.html", {"items": ITEMS, "title": "Fifty items"})


urlpatterns = [path("view/", bare_view), path("page/", template_page)]
