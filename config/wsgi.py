import os

from django.core.wsgi import get_wsgi_application

from desk.charsets import refuse_unreadable_charsets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A Content-Type in a charset Django cannot read is a 400, not a crash while Django builds the
# request (desk/charsets.py).
application = refuse_unreadable_charsets(get_wsgi_application())
