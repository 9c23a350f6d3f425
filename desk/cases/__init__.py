"""The case kit: what every kind of case a citizen files and follows with a tracking code
(complaints, meeting requests, service requests) shares, written once.

- `models`: the abstract case, event and attachment, the channel, transitions.
- `services`: filing a case, moving it, its SMS, its attachments, internal notes.
- `forms`: the citizen's fields, the one-time submission key, checked file uploads.
- `views`: the tracking-session guard, the filing rate limits, the confirmation redirect,
  the attachment download.
- `admin`: the back office's step forms, timeline and attachment inlines, filters, the
  Persian-aware search and the walk-in registration page.

A case app subclasses and calls these; it writes only what is its own. See
docs/ARCHITECTURE.md, "How to build a case app".
"""
