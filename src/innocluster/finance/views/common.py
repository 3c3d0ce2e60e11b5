"""What the finance pages share."""


def query_without(request, *names: str) -> str:
    """The page's GET parameters without ``page`` and ``names`` (for links that keep the filters)."""
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()
