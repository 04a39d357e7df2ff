"""The site's URLs plus the online channel and supervision, for tests that run before gongkai/urls.py includes them.

Once the site includes them, this adds nothing (it never includes a namespace twice).
"""

from django.urls import URLResolver, include, path

from gongkai import urls as site


def _namespaces(patterns) -> set[str]:
    found = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace:
                found.add(p.namespace)
            found |= _namespaces(p.url_patterns)
    return found


_present = _namespaces(site.urlpatterns)
urlpatterns = []
if "apply" not in _present:
    urlpatterns.append(path("", include("gongkai.portal.urls_apply")))
if "supervision" not in _present:
    urlpatterns.append(path("", include("gongkai.supervision.urls")))
urlpatterns += site.urlpatterns

if hasattr(site, "handler404"):
    handler404 = site.handler404
