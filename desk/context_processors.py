from desk.models import SiteProfile


def site(request):
    """The municipality's name and the desk officer's card, for the header and footer."""
    return {"site_profile": SiteProfile.current()}
