"""Conditional GET: a weak ETag on every successful GET, and 304 when ``If-None-Match`` matches.

The ETag is a hash of the rendered body, so it changes with anything the caller would see change
(the data, the caller's permitted actions, the language); it is weak because equal bodies are all a
client may rely on, not byte-for-byte identical encodings. The 304 is answered after the view ran
(the saving is the transfer, not the query), for list and detail endpoints alike. ``If-Match`` on a
GET that no longer matches answers 412 (Django's ``get_conditional_response``).
"""

import hashlib

from django.utils.cache import get_conditional_response

SAFE = ("GET", "HEAD")


def etag_for(content: bytes) -> str:
    return f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'


def apply(request, response):
    """Set the ETag on a 200 answer to a GET and answer 304/412 where the request's conditions say."""
    if request.method not in SAFE or response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    response["ETag"] = etag_for(response.content)
    return get_conditional_response(request, etag=response["ETag"], response=response)
