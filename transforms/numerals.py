"""Numeral strings -> exact Decimal values.

Public API (also used by the targets extractor):

- `parse_numeral(s)`: one numeral as written in Chinese policy text, Arabic
  (`1,234.5`), Chinese (`一千七百`, `零点五`, `两千`), or mixed with Chinese
  magnitude words (`3万`, `1.2万亿`, `230百亿亿`, `3千万`), to an exact Decimal;
  None when `s` is not a well-formed numeral.
  Also Arabic digits sectioned by magnitude words the Chinese way (`1万6千`).
  A string longer than MAX_NUMERAL_CHARS is not a numeral.
- `magnitude_exponent(s)`: the power of ten a run of magnitude words stands for
  (`万亿` -> 12).

Qualifier words (`多`, `余`, `约`), units and `百分之` are not part of a numeral:
the caller strips them first.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# 〇一二三 ... : digit characters; `两` is 2 in counts (`两千`)
CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# traditional forms in older reports: 四點五, 二萬, 三億, 兩千
TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "兩": "两", "點": "点"})
# 十 百 千 inside a section (`一千七百` = 1*1000 + 7*100)
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# 万 亿 close a section (`三万亿` = 3 * 10^4 * 10^8)
CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
# power of ten of each magnitude word, for Arabic mantissas (`1.2万亿` -> 12)
MAGNITUDE_EXPONENTS = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8, "萬": 4, "億": 8}

# `1,234.5`, `16.4`, `2000`
ARABIC_RE = re.compile(r"^[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?$")
# `1.2万亿`, `230百亿亿`, `3千万`: Arabic mantissa, Chinese magnitude words
MIXED_RE = re.compile(r"^([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)([十百千万亿]+)$")
# `1万6千`, `3亿5千万`: Arabic digits with magnitude words between them, written the Chinese way
SECTIONED_RE = re.compile(r"^([0-9]+)([万亿])([0-9])([千百])(万?)$")
# `一千七百`, `两千`, `十`, `零点五`, `二〇二三`
CHINESE_RE = re.compile(r"^([〇零一二两三四五六七八九十百千万亿]+)(?:点([〇零一二三四五六七八九]+))?$")


# No numeral written for a reader is longer (`一千二百三十四万五千六百七十八点九` is 17); a
# longer run of digits (`一` x 5000 in a broken or hostile file) is no value, and would pass
# Python's 4,300-digit limit for converting an int to a string.
MAX_NUMERAL_CHARS = 64


def magnitude_exponent(words: str) -> int:
    """Power of ten of a run of magnitude words: `万` -> 4, `万亿` -> 12, `百亿亿` -> 18."""
    return sum(MAGNITUDE_EXPONENTS[ch] for ch in words)


def _chinese_integer(s: str) -> int | None:
    if all(ch in CN_DIGITS for ch in s):  # digit by digit: `二〇二三`
        return int("".join(str(CN_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # `一一百`: two digits without a unit between
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        elif ch == "万" and section == 0 and digit is None and total:
            total *= CN_BIG_UNITS["万"]  # `五万万` (old usage) = 5 * 10^8
        elif ch == "万":
            section += digit or 0
            if section == 0 and total == 0:
                section = 1
            total += section * CN_BIG_UNITS["万"]
            section, digit = 0, None
        else:  # 亿 multiplies everything before it: `三万亿`, `百亿亿`
            total = (total + section + (digit or 0)) or 1
            total *= CN_BIG_UNITS["亿"]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_numeral(s: str) -> Decimal | None:
    """Exact value of one numeral: `1,234.5` -> 1234.5, `16.4亿` -> 1640000000,
    `一千七百` -> 1700, `两千` -> 2000, `百分之` excluded (pass `零点五` -> 0.5),
    `230百亿亿` -> 2.3E+20. None when `s` is not a numeral."""
    s = (s or "").strip().translate(TRADITIONAL)
    if len(s) > MAX_NUMERAL_CHARS:
        return None
    try:
        if ARABIC_RE.match(s):
            return Decimal(s.replace(",", ""))
        m = MIXED_RE.match(s)
        if m:
            return Decimal(m.group(1).replace(",", "")).scaleb(magnitude_exponent(m.group(2)))
        m = SECTIONED_RE.match(s)
        if m:
            head = Decimal(m.group(1)).scaleb(magnitude_exponent(m.group(2)))
            return head + Decimal(m.group(3)).scaleb(magnitude_exponent(m.group(4) + m.group(5)))
    except InvalidOperation:
        return None
    m = CHINESE_RE.match(s)
    if not m:
        return None
    whole = _chinese_integer(m.group(1))
    if whole is None:
        return None
    if m.group(2) is None:
        return Decimal(whole)
    fraction = "".join(str(CN_DIGITS[ch]) for ch in m.group(2))
    return Decimal(f"{whole}.{fraction}")
