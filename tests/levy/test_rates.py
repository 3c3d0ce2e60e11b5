"""Exchange rates: by hand, from a CSV, from the National Bank's XML (read safely)."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from innocluster.levy.errors import ImportRefused, LevyError
from innocluster.levy.models import ExchangeRate
from innocluster.levy.services.rates import add_rate, import_rates

pytestmark = pytest.mark.django_db

NB_XML = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<generator>nationalbank.kz</generator><title>Official exchange rates</title>
<item><fullname>ДОЛЛАР США</fullname><title>USD</title><description>470.50</description><quant>1</quant>
<index>DOWN</index><change>-1.20</change><pubDate>17.11.2026</pubDate></item>
<item><fullname>РОССИЙСКИЙ РУБЛЬ</fullname><title>RUB</title><description>5.85</description><quant>1</quant>
<index>UP</index><change>+0.02</change><pubDate>17.11.2026</pubDate></item>
<item><fullname>ЯПОНСКАЯ ИЕНА</fullname><title>JPY</title><description>305.10</description><quant>100</quant>
<index/><change/><pubDate>17.11.2026</pubDate></item>
</channel></rss>
"""


def test_the_national_bank_xml_imports_once(levy_ready):
    summary = import_rates(io.BytesIO(NB_XML.encode()), file_name="rates_all.xml")
    assert (summary.format, summary.rates, summary.added) == ("xml", 3, 3)
    day = dt.date(2026, 11, 17)
    assert ExchangeRate.objects.get(currency="USD", date=day).rate == Decimal("470.50")
    assert ExchangeRate.objects.get(currency="JPY", date=day).rate == Decimal("3.051")  # per one yen
    again = import_rates(io.BytesIO(NB_XML.encode()), file_name="rates_all.xml")
    assert (again.added, again.known) == (0, 3)


def test_the_get_rates_form_dates_the_items_from_the_file(levy_ready):
    xml = b"<rates><date>18.11.2026</date><item><title>EUR</title><description>512.3</description><quant>1</quant></item></rates>"
    import_rates(io.BytesIO(xml), file_name="get_rates.xml")
    assert ExchangeRate.objects.get(currency="EUR").date == dt.date(2026, 11, 18)


def test_a_dtd_is_refused_before_parsing(levy_ready):
    evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><rss><channel></channel></rss>'
    with pytest.raises(ImportRefused, match="DTD"):
        import_rates(io.BytesIO(evil), file_name="evil.xml")
    assert not ExchangeRate.objects.exists()


def test_a_csv_imports_and_each_bad_line_is_named(levy_ready):
    ok = "date;currency;rate\n2026-11-17;USD;470,50\n17.11.2026;EUR;512.30\n"
    assert import_rates(io.BytesIO(ok.encode()), file_name="r.csv").added == 2
    bad = "date;currency;rate\n2026-11-18;USD;470.5\n2026-02-30;US;-1\n2026-11-17;USD;471\n"
    with pytest.raises(ImportRefused) as refused:
        import_rates(io.BytesIO(bad.encode()), file_name="r.csv")
    text = "\n".join(refused.value.errors)
    assert "line 3:" in text and "line 4:" in text and "already 470.500000" in text
    assert not ExchangeRate.objects.filter(date=dt.date(2026, 11, 18)).exists()


def test_a_rate_by_hand_is_checked(levy_ready):
    add_rate(currency="usd", date=dt.date(2026, 1, 5), rate="455.1")
    with pytest.raises(LevyError):
        add_rate(currency="USD", date=dt.date(2026, 1, 5), rate="456")
    with pytest.raises(LevyError):
        add_rate(currency="USD", date=dt.date(2026, 1, 6), rate=456.0)
    with pytest.raises(LevyError):
        add_rate(currency="KZT", date=dt.date(2026, 1, 6), rate="1")
