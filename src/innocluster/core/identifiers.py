"""Kazakh identifiers: BIN and IIN (in-house), IBAN and BIC (python-stdnum).

python-stdnum has no Kazakh module, so BIN/IIN live here; every error still subclasses a
``stdnum.exceptions`` class, so callers can catch the stdnum families (``InvalidChecksum``,
``InvalidComponent``, ...) or our precise classes. Each error carries a translatable ``message``
(shown to users), a ``code`` (for Django forms and the API) and the offending ``value``. The value
is deliberately kept out of ``str()``/``repr()`` because an IIN is personal data and error messages
end up in logs.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import bic as _bic
from stdnum import exceptions
from stdnum import iban as _iban
from stdnum.util import clean, isdigits

WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


class IdentifierError(exceptions.ValidationError):
    """Base of our typed errors; ``str()`` is the translated message, never the value.

    ``code`` is the class name in snake case (``InvalidBirthDate`` -> ``invalid_birth_date``).
    """

    message: str | Promise = _("The number is invalid.")
    code = "invalid"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", cls.__name__).lower()

    def __init__(self, value: object = None, message: str | Promise | None = None) -> None:
        super().__init__()
        self.value = value
        if message is not None:
            self.message = message

    def __str__(self) -> str:
        return str(self.message)


class MalformedNumber(IdentifierError, exceptions.InvalidFormat):
    message = _("The number may contain only digits.")


class WrongLength(IdentifierError, exceptions.InvalidLength):
    message = _("The number has the wrong length.")


class WrongCheckDigit(IdentifierError, exceptions.InvalidChecksum):
    message = _("The check digit is wrong: please check the number for a typing mistake.")


class NoCheckDigit(IdentifierError, exceptions.InvalidChecksum):
    """Both weightings give 10: such numbers are never issued, whatever the last digit is."""

    message = _("No valid number starts with these 11 digits: please check for a typing mistake.")


class InvalidPart(IdentifierError, exceptions.InvalidComponent):
    message = _("A part of the number is invalid.")


class InvalidBirthDate(InvalidPart):
    message = _("The IIN does not start with a valid birth date (YYMMDD).")


class InvalidCentury(InvalidPart):
    message = _("The 7th digit of the IIN (century and sex) must be between 1 and 6.")


class InvalidRegistrationMonth(InvalidPart):
    message = _("The 3rd and 4th digits of the BIN (registration month) must be between 01 and 12.")


class InvalidEntityType(InvalidPart):
    message = _("The 5th digit of the BIN (entity type) must be 4, 5 or 6.")


class InvalidDivision(InvalidPart):
    message = _("The 6th digit of the BIN (division) must be 0, 1, 2 or 3.")


class NotKazakhIBAN(InvalidPart):
    message = _("The IBAN must be a Kazakh IBAN (starting with KZ).")


class EntityType(models.TextChoices):
    """5th BIN digit. A TextChoices so forms and admin get translated labels for free."""

    RESIDENT = "4", _("resident legal entity")
    NON_RESIDENT = "5", _("non-resident legal entity")
    JOINT_ENTREPRENEUR = "6", _("individual entrepreneur in a joint venture (IP(C))")


class Division(models.TextChoices):
    """6th BIN digit."""

    HEAD_OFFICE = "0", _("head office")
    BRANCH = "1", _("branch")
    REPRESENTATIVE_OFFICE = "2", _("representative office")
    PEASANT_FARM = "3", _("peasant or farm enterprise")


@dataclass(frozen=True, slots=True)
class IINParts:
    number: str
    birth_date: dt.date
    sex: Literal["M", "F"]
    century: int  # ordinal: 19, 20 or 21 (born 18xx, 19xx, 20xx)
    serial: str
    check_digit: int


@dataclass(frozen=True, slots=True)
class BINParts:
    number: str
    year: int
    month: int
    entity_type: EntityType
    division: Division
    serial: str
    check_digit: int


def compact(number: str) -> str:
    """Strip spaces and dashes (stdnum's clean also folds full-width digits and en dashes)."""
    if not isinstance(number, str):  # an int would have lost the leading zero of 2000s IINs
        raise MalformedNumber(number)
    return clean(number, " -").strip()


def check_digit(first11: str) -> int | None:
    """Check digit of a BIN or IIN, or None when both weightings give 10 (number never issued)."""
    if not isdigits(first11):
        raise MalformedNumber(first11)
    if len(first11) != 11:
        raise WrongLength(first11, _("The check digit is computed from exactly 11 digits."))
    digits = [int(c) for c in first11]
    for weights in (WEIGHTS_FIRST, WEIGHTS_SECOND):
        result = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if result != 10:
            return result
    return None


bin_check_digit = iin_check_digit = check_digit


def _validate_digits(number: str, length_message: Promise) -> str:
    """Common format checks; components are checked by the caller before the check digit so
    that a user sees *which* part is wrong rather than a generic checksum error."""
    number = compact(number)
    if not isdigits(number):
        raise MalformedNumber(number)
    if len(number) != 12:
        raise WrongLength(number, length_message)
    return number


def _verify_check_digit(number: str) -> int:
    expected = check_digit(number[:11])
    if expected is None:
        raise NoCheckDigit(number)
    if expected != int(number[11]):
        raise WrongCheckDigit(number)
    return expected


_CENTURIES = {"1": 19, "2": 19, "3": 20, "4": 20, "5": 21, "6": 21}


def parse_iin(number: str) -> IINParts:
    """Parse an IIN: YYMMDD, century/sex digit, 4-digit serial, check digit.

    The 7th digit: 1/2 born 18xx, 3/4 born 19xx, 5/6 born 20xx; odd male, even female.
    Some sources say 0 marks some foreign nationals. We reject 0 (InvalidCentury), as
    ``idnumbers`` and the published structure do: with 0 neither the birth century nor the sex is
    known, so the number cannot be parsed, and foreigners registered today receive IINs built on
    the same 1-6 rule. If a genuine 0-IIN turns up, accept it here explicitly (no birth date).
    """
    number = _validate_digits(number, _("The IIN must have 12 digits."))
    century = _CENTURIES.get(number[6])
    if century is None:
        raise InvalidCentury(number)
    try:
        birth_date = dt.date((century - 1) * 100 + int(number[:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        raise InvalidBirthDate(number) from None
    return IINParts(
        number=number,
        birth_date=birth_date,
        sex="M" if int(number[6]) % 2 else "F",
        century=century,
        serial=number[7:11],
        check_digit=_verify_check_digit(number),
    )


def parse_bin(number: str, *, today: dt.date | None = None) -> BINParts:
    """Parse a BIN: YYMM registration, entity type, division, 5-digit serial, check digit.

    Entities were registered from the 1990s on, so a two-digit year greater than this year's
    is 19yy, otherwise 20yy (``today`` is injectable for tests).
    """
    number = _validate_digits(number, _("The BIN must have 12 digits."))
    month = int(number[2:4])
    if not 1 <= month <= 12:
        raise InvalidRegistrationMonth(number)
    if number[4] not in EntityType.values:
        raise InvalidEntityType(number)
    if number[5] not in Division.values:
        raise InvalidDivision(number)
    yy = int(number[:2])
    this_yy = (today or dt.date.today()).year % 100
    return BINParts(
        number=number,
        year=(1900 if yy > this_yy else 2000) + yy,
        month=month,
        entity_type=EntityType(number[4]),
        division=Division(number[5]),
        serial=number[6:11],
        check_digit=_verify_check_digit(number),
    )


def validate_iin(number: str) -> str:
    """Return the compact IIN or raise an IdentifierError subclass."""
    return parse_iin(number).number


def validate_bin(number: str) -> str:
    """Return the compact BIN or raise an IdentifierError subclass."""
    return parse_bin(number).number


def is_valid_iin(number: str) -> bool:
    return _is_valid(validate_iin, number)


def is_valid_bin(number: str) -> bool:
    return _is_valid(validate_bin, number)


def _is_valid(validate: Callable[[str], str], number: str) -> bool:
    try:
        validate(number)
    except exceptions.ValidationError:
        return False
    return True


def mask_iin(iin: str) -> str:
    """Public display form: the first six digits are the birth date (personal data), so only the
    last four are shown. Anything that is not 12 characters is masked entirely: never leak more."""
    number = compact(iin)
    return "*" * 8 + number[8:] if len(number) == 12 else "*" * 12


_STDNUM_FAMILIES = (
    (exceptions.InvalidChecksum, WrongCheckDigit),
    (exceptions.InvalidLength, WrongLength),
    (exceptions.InvalidFormat, MalformedNumber),
    (exceptions.InvalidComponent, InvalidPart),
)


def _via_stdnum(validate: Callable[[str], str], number: str, messages: dict[type, Promise]) -> str:
    """Run a stdnum validator, turning its untranslated errors into ours of the same family."""
    try:
        return validate(number)
    except exceptions.ValidationError as exc:
        ours = next((o for s, o in _STDNUM_FAMILIES if isinstance(exc, s)), IdentifierError)
        raise ours(number, messages.get(ours)) from exc


_IBAN_MESSAGES = {
    WrongCheckDigit: _("The IBAN check digits are wrong: please check for a typing mistake."),
    MalformedNumber: _("The IBAN has an invalid format."),
}
_BIC_MESSAGES = {
    WrongLength: _("A BIC must have 8 or 11 characters."),
    MalformedNumber: _("The BIC has an invalid format."),
    InvalidPart: _("The BIC has an unknown country code."),
}


def validate_iban(number: str) -> str:
    """Return the compact Kazakh IBAN (20 characters) or raise; foreign IBANs are refused because
    the Fund only pays to and collects from Kazakh accounts."""
    number = _iban.compact(compact(number))
    if number[:2] != "KZ":
        raise NotKazakhIBAN(number)
    if len(number) != 20:
        raise WrongLength(number, _("A Kazakh IBAN must have 20 characters."))
    return _via_stdnum(_iban.validate, number, _IBAN_MESSAGES)


def validate_bic(code: str) -> str:
    """Return the compact BIC (SWIFT code) or raise."""
    return _via_stdnum(_bic.validate, _bic.compact(compact(code)), _BIC_MESSAGES)


@deconstructible
class _IdentifierValidator:
    """Django field validator: turns our errors into Django's, with the same message and code."""

    validate: Callable[[str], str]

    def __call__(self, value: str) -> None:
        try:
            self.validate(value)
        except IdentifierError as exc:
            raise DjangoValidationError(exc.message, code=exc.code) from exc

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


class BINValidator(_IdentifierValidator):
    validate = staticmethod(validate_bin)


class IINValidator(_IdentifierValidator):
    validate = staticmethod(validate_iin)
