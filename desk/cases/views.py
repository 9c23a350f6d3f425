"""What every case app's citizen pages do the same way: a case page only for a browser that
proved the code and the mobile (the tracking session), the confirmation after filing, the
rate limits of filing, and the download of a citizen's own attachment."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from desk import ratelimit
from desk.cases.models import Channel, CitizenCase
from desk.cases.services import earlier_submission
from desk.tracking import grant_case_access, has_case_access
from desk.uploads import private_file_response

TOO_MANY_FILINGS = _(
    "Too many requests have been filed from this connection or for this mobile number. "
    "Please try again later, or call the service desk."
)


def case_access_required(view: Callable) -> Callable:
    """For a view of one case, taking `code`: anyone without the tracking session for that
    code is sent to /track/ (with the code filled in) to prove it with the mobile."""

    @wraps(view)
    def guarded(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
        if not has_case_access(request, code):
            return redirect(f"{reverse('desk:track')}?code={code}")
        return view(request, code, *args, **kwargs)

    return guarded


def lost_files(request: HttpRequest) -> list[str]:
    """The names of the files a form that came back with errors had carried: browsers never
    keep a chosen file after a round trip, so the page names what to choose again."""
    return [upload.name for name in request.FILES for upload in request.FILES.getlist(name)]


def already_filed(model: type[CitizenCase], form) -> CitizenCase | None:
    """The case this very form already filed (back, then submit again), found as the service
    finds it; a form key copied to another mobile is an error on the form, and None."""
    key, mobile = form.cleaned_data.get("submission_key"), form.cleaned_data.get("mobile")
    if not key or not mobile:
        return None
    try:
        return earlier_submission(model, key, mobile=mobile, channel=Channel.WEB)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def show_filed(request: HttpRequest, case: CitizenCase, url_name: str) -> HttpResponse:
    """After filing: the browser that filed may follow the case, starting at its
    confirmation page (`url_name`, taking the code)."""
    grant_case_access(request, case.tracking_code)
    return redirect(url_name, code=case.tracking_code)


def filing_allowed(request: HttpRequest, scope: str, mobile: str) -> bool:
    """One more filing of `scope` from this address and for this mobile, within the limits
    of `settings.RATE_LIMITS[scope]`."""
    return (
        ratelimit.allow(scope, address=ratelimit.client_address(request), mobile=mobile) is not None
    )


def attachment_download(
    request: HttpRequest, model: type[CitizenCase], code: str, pk: int
) -> HttpResponse:
    """A file the citizen attached to case `code` of `model`, to a browser holding its
    tracking session; 404 to anyone else (a file's address tells nothing), and for the files
    staff attached."""
    if not has_case_access(request, code):
        raise Http404
    attachments = model.attachments.rel.related_model.objects
    case_field = model.attachments.field.name
    upload = get_object_or_404(
        attachments, pk=pk, by_citizen=True, **{f"{case_field}__tracking_code": code}
    )
    return private_file_response(
        upload.file, content_type=upload.content_type, download_name=upload.original_name
    )
