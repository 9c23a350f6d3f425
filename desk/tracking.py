"""The citizen's tracking session: which cases this browser has proved it may see.

A citizen proves access to a case once, at /track/, with its code and the mobile number it
was filed with; the case's own pages (and its attachments) then check the session.
"""

from django.http import HttpRequest

SESSION_KEY = "desk_tracked_cases"
MAX_TRACKED = 20


def grant_case_access(request: HttpRequest, code: str) -> None:
    tracked = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    tracked.append(code)
    request.session[SESSION_KEY] = tracked[-MAX_TRACKED:]


def has_case_access(request: HttpRequest, code: str) -> bool:
    return code in request.session.get(SESSION_KEY, [])
