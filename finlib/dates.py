"""Dates and times as the papers print them: ``14 August 2017``; times in UK local time.

With :mod:`finlib.money`, the one home of display formats.  Babel gives the month names and the
time zone's name as a British reader expects them (``GMT`` in winter, ``BST`` in summer).
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime, get_timezone

LOCALE = "en_GB"
UK = get_timezone("Europe/London")


def long_date(day: dt.date) -> str:
    """``14 August 2017``."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def iso_date_text(text: str) -> str:
    """A date written ``YYYY-MM-DD`` (as the inputs hold them) as the papers print it; other text as it is."""
    try:
        return long_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


def uk_time(moment: dt.datetime) -> str:
    """A moment in UK local time: ``22 November 2026, 06:09 GMT`` (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_datetime(moment, "d MMMM y, HH:mm zzz", tzinfo=UK, locale=LOCALE)


def iso_time_text(text: str) -> str:
    """An ISO 8601 timestamp (as manifests hold them) in UK local time; other text as it is."""
    try:
        return uk_time(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


def iso_day_text(text: str) -> str:
    """The day of an ISO 8601 timestamp in UK local time, as the papers print a date (``14 August 2017``);
    other text as it is."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_date(moment.astimezone(UK).date(), "d MMMM y", locale=LOCALE)
