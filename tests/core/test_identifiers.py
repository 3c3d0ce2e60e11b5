"""BIN/IIN/IBAN/BIC validation, cross-checked against the independent ``idnumbers`` package."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import given
from hypothesis import strategies as st
from idnumbers.nationalid.kaz.business_id import BusinessIDNumber
from idnumbers.nationalid.kaz.individual_id import IndividualIDNumber
from idnumbers.nationalid.kaz.util import checksum as idnumbers_checksum
from stdnum import exceptions
from stdnum import iban as stdnum_iban

from innocluster.core import identifiers as ids
from innocluster.core.identifiers import (
    BINValidator,
    Division,
    EntityType,
    IINValidator,
    InvalidBirthDate,
    InvalidCentury,
    InvalidDivision,
    InvalidEntityType,
    InvalidPart,
    InvalidRegistrationMonth,
    MalformedNumber,
    NoCheckDigit,
    NotKazakhIBAN,
    WrongCheckDigit,
    WrongLength,
)


def complete(first11: str) -> str:
    """Append the check digit; the prefix must be one that has one."""
    digit = ids.check_digit(first11)
    assert digit is not None, first11
    return first11 + str(digit)


def first_pass(first11: str) -> int:
    return sum(int(d) * w for d, w in zip(first11, ids.WEIGHTS_FIRST, strict=True)) % 11


# Prefixes whose first weighted sum is 10, so the check digit comes from the second weights.
SECOND_PASS_BIN, SECOND_PASS_IIN = "08034000050", "88031530051"
# Prefixes for which both weightings give 10: no 12th digit makes a valid number. The IIN one is
# born 1989-04-02, male, serial 1584: the case reported in Faker's kk_KZ generator (fzaninotto/Faker#1450).
NO_CHECK_DIGIT_BIN, NO_CHECK_DIGIT_IIN = "08034000052", "89040231584"

VALID_BINS = ["100140000003", complete("08034000000"), complete(SECOND_PASS_BIN), complete("99125230001")]
VALID_IINS = ["900101300017", complete("88031530000"), complete(SECOND_PASS_IIN), complete("00022950001")]


def test_compact_strips_spaces_dashes_and_folds_fullwidth_digits():
    assert ids.compact(" 1001-4000 0003 ") == "100140000003"
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "100140000003")  # typed with an East Asian IME
    assert ids.validate_bin(fullwidth) == "100140000003"
    with pytest.raises(MalformedNumber):
        ids.validate_bin("١٠٠١٤٠٠٠٠٠٠٣")  # Arabic-Indic digits pass str.isdigit() but are refused
    with pytest.raises(MalformedNumber):
        ids.compact(100140000003)  # an int would silently drop a leading zero


@pytest.mark.parametrize("number", VALID_BINS)
def test_valid_bins_agree_with_idnumbers(number):
    assert ids.validate_bin(number) == number
    assert ids.is_valid_bin(number)
    assert BusinessIDNumber.validate(number)
    theirs, ours = BusinessIDNumber.parse(number), ids.parse_bin(number)
    assert (ours.year % 100, ours.month, ours.serial, ours.check_digit) == (
        theirs["yy"],
        theirs["mm"],
        theirs["sn"],
        theirs["checksum"],
    )


@pytest.mark.parametrize("number", VALID_IINS)
def test_valid_iins_agree_with_idnumbers(number):
    assert ids.validate_iin(number) == number
    assert ids.is_valid_iin(number)
    theirs, ours = IndividualIDNumber.parse(number), ids.parse_iin(number)
    assert (ours.birth_date, ours.sex, ours.serial, ours.check_digit) == (
        theirs["yyyymmdd"],
        "M" if theirs["gender"].value == "male" else "F",
        theirs["sn"],
        theirs["checksum"],
    )


def test_second_pass_check_digit():
    for prefix in (SECOND_PASS_BIN, SECOND_PASS_IIN):
        assert first_pass(prefix) == 10
        digit = ids.check_digit(prefix)
        assert digit is not None and digit == idnumbers_checksum(prefix + "0")
        # the first-pass result (10) is not a digit; any other last digit is wrong
        wrong = prefix + str((digit + 1) % 10)
        assert not ids.is_valid_bin(wrong) and not ids.is_valid_iin(wrong)
    assert ids.is_valid_bin(complete(SECOND_PASS_BIN))
    assert ids.is_valid_iin(complete(SECOND_PASS_IIN))


@pytest.mark.parametrize(
    ("prefix", "validate"), [(NO_CHECK_DIGIT_BIN, ids.validate_bin), (NO_CHECK_DIGIT_IIN, ids.validate_iin)]
)
def test_no_check_digit_exists(prefix, validate):
    assert ids.bin_check_digit(prefix) is None and ids.iin_check_digit(prefix) is None
    assert idnumbers_checksum(prefix + "0") is None
    for last in "0123456789":
        with pytest.raises(NoCheckDigit) as info:
            validate(prefix + last)
        assert isinstance(info.value, exceptions.InvalidChecksum)
        assert not BusinessIDNumber.validate(prefix + last) and not IndividualIDNumber.validate(prefix + last)


def test_check_digit_rejects_bad_input():
    with pytest.raises(WrongLength):
        ids.check_digit("1234")
    with pytest.raises(MalformedNumber):
        ids.check_digit("1234567890A")


def test_parse_iin():
    parts = ids.parse_iin("900101300017")
    assert parts == ids.IINParts("900101300017", dt.date(1990, 1, 1), "M", 20, "0001", 7)
    assert ids.parse_iin(complete("05123160001")).birth_date == dt.date(2005, 12, 31)
    assert ids.parse_iin(complete("05123160001")).sex == "F"
    assert ids.parse_iin(complete("99123120001")).birth_date == dt.date(1899, 12, 31)
    assert ids.parse_iin(complete("99123120001")).century == 19
    with pytest.raises(AttributeError):
        parts.sex = "F"  # frozen


def test_parse_bin():
    parts = ids.parse_bin("100140000003")
    assert (parts.year, parts.month, parts.entity_type, parts.division, parts.serial, parts.check_digit) == (
        2010,
        1,
        EntityType.RESIDENT,
        Division.HEAD_OFFICE,
        "00000",
        3,
    )
    foreign_branch = ids.parse_bin(complete("99125110001"))
    assert (foreign_branch.year, foreign_branch.entity_type, foreign_branch.division) == (
        1999,
        EntityType.NON_RESIDENT,
        Division.BRANCH,
    )
    farm = ids.parse_bin(complete("24066300001"), today=dt.date(2025, 1, 1))
    assert (farm.year, farm.entity_type, farm.division) == (
        2024,
        EntityType.JOINT_ENTREPRENEUR,
        Division.PEASANT_FARM,
    )
    # a two-digit year after this year's can only be the 1990s
    assert ids.parse_bin(complete("26014000001"), today=dt.date(2025, 6, 1)).year == 1926
    assert ids.parse_bin(complete("25014000001"), today=dt.date(2025, 6, 1)).year == 2025


bin_prefixes = st.builds(
    lambda yy, mm, t, d, sn: f"{yy:02d}{mm:02d}{t}{d}{sn:05d}",
    st.integers(0, 99),
    st.integers(1, 12),
    st.sampled_from("456"),
    st.sampled_from("0123"),
    st.integers(0, 99_999),
)
iin_prefixes = st.builds(
    lambda day, c, sn: f"{day:%y%m%d}{c}{sn:04d}",
    st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)),
    st.sampled_from("123456"),
    st.integers(0, 9999),
)


@given(st.one_of(bin_prefixes, iin_prefixes))
def test_check_digit_agrees_with_idnumbers(prefix):
    assert ids.check_digit(prefix) == idnumbers_checksum(prefix + "0")


@given(bin_prefixes, st.integers(0, 9))
def test_bin_validity_agrees_with_idnumbers(prefix, last):
    assert ids.is_valid_bin(prefix + str(last)) == BusinessIDNumber.validate(prefix + str(last))


@given(st.from_regex(r"\A[0-9]{12}\Z"))
def test_iin_validity_agrees_with_idnumbers_on_any_12_digits(number):
    assert ids.is_valid_iin(number) == IndividualIDNumber.validate(number)


@pytest.mark.parametrize(
    ("validate", "number", "error", "family"),
    [
        (ids.validate_bin, "10014000000", WrongLength, exceptions.InvalidLength),
        (ids.validate_iin, "9001013000170", WrongLength, exceptions.InvalidLength),
        (ids.validate_bin, "10014000000A", MalformedNumber, exceptions.InvalidFormat),
        (ids.validate_iin, "90O101300017", MalformedNumber, exceptions.InvalidFormat),
        (ids.validate_bin, "100140000004", WrongCheckDigit, exceptions.InvalidChecksum),
        (ids.validate_iin, "900101300018", WrongCheckDigit, exceptions.InvalidChecksum),
        (ids.validate_bin, complete("08134000001"), InvalidRegistrationMonth, exceptions.InvalidComponent),
        (ids.validate_bin, complete("08004000001"), InvalidRegistrationMonth, exceptions.InvalidComponent),
        (ids.validate_bin, complete("08037000001"), InvalidEntityType, exceptions.InvalidComponent),
        (ids.validate_bin, complete("08033000001"), InvalidEntityType, exceptions.InvalidComponent),
        (ids.validate_bin, complete("08034400001"), InvalidDivision, exceptions.InvalidComponent),
        (ids.validate_iin, complete("88023130001"), InvalidBirthDate, exceptions.InvalidComponent),  # 31 Feb
        (ids.validate_iin, complete("00022930001"), InvalidBirthDate, exceptions.InvalidComponent),  # 1900
        (ids.validate_iin, complete("88130130001"), InvalidBirthDate, exceptions.InvalidComponent),
        (ids.validate_iin, complete("88031500001"), InvalidCentury, exceptions.InvalidComponent),
        (ids.validate_iin, complete("88031570002"), InvalidCentury, exceptions.InvalidComponent),
        (ids.validate_iin, "100140000003", InvalidCentury, exceptions.InvalidComponent),  # a BIN
        (ids.validate_bin, "900101300017", InvalidEntityType, exceptions.InvalidComponent),  # an IIN
    ],
)
def test_typed_errors(validate, number, error, family):
    with pytest.raises(error) as info:
        validate(number)
    exc = info.value
    assert type(exc) is error
    assert isinstance(exc, family) and isinstance(exc, exceptions.ValidationError)
    assert exc.value == ids.compact(number)
    assert isinstance(exc.message, Promise)
    assert number not in str(exc) and number not in repr(exc)  # personal data stays out of logs
    theirs = BusinessIDNumber if validate is ids.validate_bin else IndividualIDNumber
    assert not theirs.validate(number)


def test_messages_are_english_and_specific():
    with translation.override("en"), pytest.raises(WrongLength) as info:
        ids.validate_bin("123")
    assert str(info.value) == "The BIN must have 12 digits."
    with translation.override("en"), pytest.raises(WrongLength) as info:
        ids.validate_iin("123")
    assert str(info.value) == "The IIN must have 12 digits."
    assert InvalidBirthDate.code == "invalid_birth_date" and NoCheckDigit.code == "no_check_digit"


KZ_BBAN = "125KZT5004100100"
KZ_IBAN = f"KZ{stdnum_iban.calc_check_digits('KZ00' + KZ_BBAN)}{KZ_BBAN}"


def test_valid_kazakh_iban():
    assert stdnum_iban.is_valid(KZ_IBAN) and len(KZ_IBAN) == 20
    spaced = " ".join(KZ_IBAN[i : i + 4] for i in range(0, 20, 4)).lower()
    assert ids.validate_iban(spaced) == KZ_IBAN


def test_invalid_ibans():
    bad_check = KZ_IBAN[:2] + f"{(int(KZ_IBAN[2:4]) + 1) % 100:02d}" + KZ_IBAN[4:]
    with pytest.raises(WrongCheckDigit) as info:
        ids.validate_iban(bad_check)
    assert isinstance(info.value, exceptions.InvalidChecksum) and info.value.value == bad_check
    with pytest.raises(NotKazakhIBAN) as info:
        ids.validate_iban("DE89 3704 0044 0532 0130 00")  # valid, but German
    assert isinstance(info.value, exceptions.InvalidComponent)
    with pytest.raises(WrongLength):
        ids.validate_iban(KZ_IBAN + "0")
    letters_in_bank_code = "KZ" + stdnum_iban.calc_check_digits("KZ00ABCKZT5004100100") + "ABCKZT5004100100"
    with pytest.raises(MalformedNumber):
        ids.validate_iban(letters_in_bank_code)


@pytest.mark.parametrize("code", ["HSBKKZKX", "hsbk kz kx", "KCJBKZKXXXX"])
def test_valid_bic(code):
    assert ids.validate_bic(code) == code.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("code", "error"),
    [("HSBK", WrongLength), ("HSBKZZKX", InvalidPart), ("1SBKKZKX", MalformedNumber)],
)
def test_invalid_bic(code, error):
    with pytest.raises(error) as info:
        ids.validate_bic(code)
    assert isinstance(info.value, exceptions.ValidationError)


def test_mask_iin_shows_only_the_last_four_digits():
    assert ids.mask_iin("900101300017") == "********0017"
    assert ids.mask_iin("900101 300017") == "********0017"
    assert ids.mask_iin("9001") == "************"


@pytest.mark.parametrize(
    ("validator", "valid", "invalid", "code"),
    [
        (BINValidator(), "100140000003", "100140000004", "wrong_check_digit"),
        (IINValidator(), "900101300017", "880231300017", "invalid_birth_date"),
    ],
)
def test_django_validators(validator, valid, invalid, code):
    assert validator(valid) is None
    with translation.override("en"), pytest.raises(DjangoValidationError) as info:
        validator(invalid)
    assert info.value.code == code
    assert info.value.messages and invalid not in info.value.messages[0]
    assert validator == type(validator)() and validator != object()
    path, args, kwargs = validator.deconstruct()
    assert path == f"innocluster.core.identifiers.{type(validator).__name__}" and not args and not kwargs
