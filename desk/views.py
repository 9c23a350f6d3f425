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
        claims = _lookup_claims(request, code, mobile)
        if claims is None:
            form.add_error(
                None,
                _("Too many look-ups. Please try again in a few minutes."),
            )
            status = 429
        elif url := _find_case_url(code, mobile):
            # Only failed look-ups count against the code and the mobile: the citizen may
            # follow her own case as often as she likes.
            ratelimit.refund(*claims[1:])
            grant_case_access(request, code)
            return redirect(url)
        else:
            # One answer for "no such code" and "wrong mobile": nothing to learn by guessing.
            form.add_error(
                None, _("No request was found with this tracking code and mobile number.")
            )
    return render(request, "desk/track.html", {"form": form}, status=status)


def _lookup_claims(request, code: str, mobile: str) -> list | None:
    """One hit each on the client's address, the code and the mobile, or None when one of
    them is spent. The address alone would refuse thousands of citizens behind one mobile
    carrier's NAT, or let a botnet guess freely: the code and the mobile bound the guessing
    of any one case however many addresses the guesser has."""
    return ratelimit.allow(
        "track", address=ratelimit.client_address(request), code=code, mobile=mobile
    )


def _find_case_url(code: str, mobile: str) -> str | None:
    kind = registry.case_kind_for(code)
    if kind is None or not kind.matches(code, mobile):
        return None
    return kind.url(code)
