"""parse_numeral: numerals as written in Chinese policy text -> exact Decimal."""
from decimal import Decimal

import pytest

from transforms.numerals import magnitude_exponent, parse_numeral


@pytest.mark.parametrize("text, expected", [
    ("421", "421"),
    ("1,234.5", "1234.5"),
    ("31.7", "31.7"),
    ("16.4亿", "1640000000"),
    ("15.42万亿", "15420000000000"),
    ("1.2万亿", "1200000000000"),
    ("230百亿亿", "230000000000000000000"),
    ("3千万", "30000000"),
    ("383.7万", "3837000"),
    ("一千七百", "1700"),
    ("两千", "2000"),
    ("十", "10"),
    ("十五", "15"),
    ("二十", "20"),
    ("一百零五", "105"),
    ("零点五", "0.5"),
    ("三万亿", "3000000000000"),
    ("一亿二千万", "120000000"),
    ("一万二千", "12000"),
    ("五千万", "50000000"),
    ("二〇二三", "2023"),
    ("1万6千", "16000"),
    ("3亿5千万", "350000000"),
    ("五萬萬", "500000000"),
    ("六万万", "600000000"),
])
def test_numeral_is_parsed_exactly(text, expected):
    assert parse_numeral(text) == Decimal(expected)


def test_decimal_magnitudes_do_not_lose_precision_as_floats_would():
    # 16.4 * 1e8 in binary floating point is 1639999999.9999998
    assert float(parse_numeral("16.4亿")) == 1640000000.0
    assert str(parse_numeral("16.4亿").normalize()) == "1.64E+9"


@pytest.mark.parametrize("text", ["", "两千多", "约5", "5%", "一一百", "abc", "3.4.5"])
def test_non_numerals_give_none(text):
    assert parse_numeral(text) is None


def test_magnitude_exponent_adds_words():
    assert magnitude_exponent("万亿") == 12
    assert magnitude_exponent("百亿亿") == 18
