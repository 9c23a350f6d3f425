from desk import registry
from desk.models import SiteProfile


def site(request):
    """The municipality's name and the desk officer's card, for the header and footer."""
    return {"site_profile": SiteProfile.current()}


def nav(request):
    """The desk functions the apps registered, for the navigation in the base layout."""
    return {"nav_cards": registry.home_cards()}
