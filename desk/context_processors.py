from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from desk import registry
from desk.jalali import local_date
from desk.models import SiteProfile


def site(request):
    """The municipality's name, emblem and the desk officer's card, and today's date in
    Tehran, for the header and footer."""
    return {
        # Read only where a page shows it outside the kept layout (the home page's title).
        "site_profile": SimpleLazyObject(SiteProfile.current),
        "site_emblem": settings.SITE_EMBLEM,
        "site_today": local_date(timezone.now()),
        "local_cache_seconds": settings.LOCAL_CACHE_SECONDS,
    }


def nav(request):
    """The desk functions the apps registered, for the navigation in the base layout."""
    return {"nav_cards": registry.home_cards()}
