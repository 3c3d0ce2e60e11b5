"""The chart of accounts as code reads it: by key or code, cached per process (the chart is data
that changes a few times a year; a saved account clears the cache, see ``signals``)."""

from innocluster.finance.models import Account

_by_key: dict[str, Account] = {}
_by_id: dict[int, Account] = {}


def clear_cache(**_kwargs) -> None:
    _by_key.clear()
    _by_id.clear()


def _fill() -> None:
    for account in Account.objects.all():
        _by_id[account.pk] = account
        if account.key:
            _by_key[account.key] = account
        _by_key[account.code] = account


def account(ref: "Account | str | int") -> Account:
    """An account by key (``suspense``), code (``3392``), id, or itself. Raises ``Account.DoesNotExist``."""
    if isinstance(ref, Account):
        return ref
    if not _by_id:
        _fill()
    found = _by_id.get(ref) if isinstance(ref, int) else _by_key.get(ref)
    if found is None:
        clear_cache()
        _fill()
        found = _by_id.get(ref) if isinstance(ref, int) else _by_key.get(ref)
    if found is None:
        raise Account.DoesNotExist(f"no account {ref!r} in the chart of accounts")
    return found


def chart() -> list[Account]:
    """Every account in code order, with its parent, for the chart page and reports."""
    return list(Account.objects.select_related("parent").order_by("code"))
