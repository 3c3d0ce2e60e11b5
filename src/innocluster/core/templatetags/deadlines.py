"""A deadline's date with a warning when it may still move: ``{% deadline_date start due %}``.

Generic: the page passes the day the count starts (the event) and the date it ends; the warning
lists what :func:`innocluster.core.calendar.uncertain_days` finds between them (an estimated
holiday, a year whose transfers of days off are not confirmed). Text and a title, not colour only.
"""

from datetime import date, datetime

from django import template

from innocluster.core import calendar

register = template.Library()


def _day(value):
    if isinstance(value, datetime):
        return calendar.almaty_date(value)
    return value if isinstance(value, date) else None


def _memo(context) -> dict:
    """One memo per page render (kept in the page's outermost context), so a list of deadlines
    asks the database once, not once per row."""
    return context.dicts[0].setdefault("_calendar_uncertainty", {})


@register.simple_tag(takes_context=True)
def deadline_uncertainty(context, start, due) -> list[str]:
    """The reasons (sentences) why ``due``, counted from ``start``, may still move; empty if none
    or if either date is missing."""
    start, due = _day(start), _day(due)
    if start is None or due is None:
        return []
    found = calendar.uncertain_days(start, due, memo=_memo(context))
    return [calendar.describe_uncertainty(item) for item in found]


@register.inclusion_tag("core/_deadline_date.html", takes_context=True)
def deadline_date(context, start, due, empty="—"):
    """``due`` as a ``<time>`` in the page's date format, with the warning beside it when the
    span from ``start`` crosses an uncertain day; ``empty`` when there is no date."""
    return {"due": _day(due), "reasons": deadline_uncertainty(context, start, due), "empty": empty}
