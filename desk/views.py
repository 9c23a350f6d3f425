from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from desk import ratelimit, registry
from desk.forms import TrackForm
from desk.tracking import grant_case_access


def home(request):
    return render(
        request,
        "desk/home.html",
        {"cards": registry.home_cards(), "track_form": TrackForm()},
    )


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        form = TrackForm(initial={"code": request.GET.get("code", "")})
        return render(request, "desk/track.html", {"form": form})

    form = TrackForm(request.POST)
    status = 200
    if form.is_valid():
        code, mobile = form.cleaned_data["code"], form.cleaned_data["mobile"]
        if not _lookup_allowed(request):
            form.add_error(
                None,
                _("Too many look-ups from your connection. Please try again in a few minutes."),
            )
            status = 429
        elif url := _find_case_url(code, mobile):
            grant_case_access(request, code)
            return redirect(url)
        else:
            # One answer for "no such code" and "wrong mobile": nothing to learn by guessing.
            form.add_error(
                None, _("No request was found with this tracking code and mobile number.")
            )
    return render(request, "desk/track.html", {"form": form}, status=status)


def _lookup_allowed(request) -> bool:
    return ratelimit.hit(
        "track",
        ratelimit.client_address(request),
        limit=settings.TRACKING_RATE_LIMIT,
        period=settings.TRACKING_RATE_PERIOD,
    )


def _find_case_url(code: str, mobile: str) -> str | None:
    kind = registry.case_kind_for(code)
    if kind is None or kind.find(code, mobile) is None:
        return None
    return kind.url(code)
