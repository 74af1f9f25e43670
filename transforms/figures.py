"""Figures: numbers that measure something, with value, unit, qualifier and context.

One regex (`FIGURE_RE`) scans every sentence of a batch at once. Its alternatives
are tried left to right at each position, so spans that must not yield figures
(`《...》`, short quoted names, `第5版`) are consumed whole before a number inside
them could match; dates, years and durations are matched with their time word as
unit and then dropped. Offsets are computed in characters: `str.extract_all`
returns each match together with the gap before it, and the running sum of
`len_chars` of those pieces gives where each match ends.

Headings are not sentences, so the text outside every sentence is scanned as well
(its figures have no sent_no). A range match that is really two figures (`从15%到50%`,
`15%到2025年`) is split into two ordinary matches before interpretation.
"""
from __future__ import annotations

import polars as pl

from transforms.numerals import MAGNITUDE_EXPONENTS, parse_numeral
from transforms.runs import cum_sum_in_run, prev_in_run, row_in_run

# 1,234.5  16.4  2000
AR_NUM = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
# 一千七百  两千  零点五  十五  (traditional 四點五, 二萬)
CN_NUM = r"[〇零一二两兩三四五六七八九十百千万萬亿億]+(?:[点點][〇零一二三四五六七八九]+)?"
# 1万6千, 3亿5千万: Arabic digits sectioned by magnitude words the Chinese way
SECTIONED_NUM = r"[0-9]+万[1-9]千|[0-9]+亿[1-9]千万?"
NUM = rf"(?:{SECTIONED_NUM}|{AR_NUM}|{CN_NUM})"
# a digit (or 十) that can stand before a magnitude word: 六亿, 十亿
CN_DIGIT_OR_TEN = "[一二两兩三四五六七八九十]"
# magnitude words after an Arabic mantissa: 3万, 1.2万亿, 230百亿亿, 3千万 (not the 千 of 千瓦)
MAGNITUDE = r"(?:[十百千]?[万亿萬億])*"
# qualifier words before a number: 约13%, 超过了70%, 近2000万, 不低于
PREFIX_QUALIFIERS = {
    "大约": "~", "约": "~", "超过了": ">", "超过": ">", "超": ">", "逾": ">", "突破了": ">",
    "突破": ">", "破": ">", "高于": ">", "不低于": ">=", "不少于": ">=", "至少": ">=", "至多": "<=", "最多": "<=", "不超过": "<=", "不高于": "<=",
    "不到": "<", "不足": "<", "低于": "<", "少于": "<", "接近": "<~", "将近": "<~", "近": "<~",
}
# qualifier words after the unit: 70%左右, 1200万人以上, 5%上下, 增长2倍多
SUFFIX_QUALIFIERS = {"左右": "~", "上下": "~", "前后": "~", "以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=",
                     "多": ">", "余": ">"}
# 10多个, 1000余家, 两千多家
APPROX_MORE = r"[多余餘]"
PREFIX = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))
SUFFIX = "|".join(SUFFIX_QUALIFIERS)
# suffix qualifiers that can also begin the next word (10个多边机制)
SUFFIX_MORE = "多余"
# measure words and units written after the magnitude; longest first (个百分点 before 个).
# Time words are matched too, so that 2023年 / 5月份 / 前5个月 are recognised and dropped.
UNITS = [
    "个百分点", "百分点", "%", "‰", "倍", "成",
    "个多月", "个半月", "个月", "个多小时", "个半小时", "个小时", "个季度", "个工作日", "年", "月", "日", "天", "周", "号",
    "美元", "欧元", "日元", "英镑", "港元", "港币", "澳门元", "澳元", "加元", "新西兰元", "新加坡元",
    "韩元", "新台币", "卢布", "卢比", "泰铢", "林吉特", "比索", "兰特", "瑞士法郎", "法郎", "里拉", "元",
    "千瓦时", "吨标准煤", "标准煤", "千瓦", "兆瓦时", "兆瓦", "吉瓦", "载重吨", "修正总吨", "总吨",
    "吨公里", "吨", "公斤", "千克", "毫克", "微克", "克", "斤",
    "平方公里", "平方千米", "平方米", "立方米", "公里", "千米", "厘米", "毫米", "米", "海里",
    "平方公尺", "立方公尺", "公尺", "尺", "担", "匹",
    "公顷", "亩", "升", "桶", "摄氏度", "℃", "度", "小时", "分钟", "秒", "岁",
    "人次", "人年", "场次", "剂次", "列次", "辆次", "台次", "批次", "架次", "车次", "班次", "艘次", "航次", "户次", "件次", "标准箱", "标箱", "人", "名", "位", "户", "家", "个", "座", "项", "件", "台", "辆", "架", "艘",
    "所", "张", "套", "部", "条", "处", "只", "头", "场", "批", "次", "种", "类", "款", "篇",
    "本", "册", "份", "块", "片", "栋", "间", "宗", "起", "例", "笔", "首", "门", "支", "颗",
    "枚", "株", "棵", "轮", "期", "床", "列", "剂", "票", "国", "席",
    # traditional forms in the older reports: 三萬一千餘個, 二百多萬戶
    "個", "戶", "噸", "項", "條", "種", "畝",
]
UNIT = "|".join(dict.fromkeys(UNITS))
# after a lone 十/百/千 (5千多户, 3千人) only units that cannot fuse with it (not 千米, 千克, 千瓦)
UNIT_AFTER_SMALL = "|".join(u for u in dict.fromkeys(UNITS) if u not in ("米", "克", "%", "‰"))
# units that begin with a magnitude word, tried first so 五万千瓦 is 五万 + 千瓦, not 五万千
UNITS_STARTING_WITH_MAGNITUDE = "千瓦时|千瓦|千米|千克"
# technical units written in Latin letters after the number: 230 EFLOPS, 5GW
TECH_UNITS = r"EFLOPS|PFLOPS|TFLOPS|FLOPS|GWh|kWh|GW|MW|kW|TW|TB|PB|EB|Gbps|Mbps|km|kg|nm|GHz|MHz"
# units that make a number a date, year or duration, never a figure: 7月5日, 2023年, 前5个月
TIME_UNITS = ["年", "月", "日", "天", "周", "号", "个月", "个多月", "个半月", "个季度", "个工作日",
              "个小时", "个多小时", "个半小时"]
# 5%—6%, 3至5年, 2%到3%, 1000万吨到2000万吨
RANGE_SEP = r"—|–|-|~|至|到"
# spans whose numbers are names, not figures: 《...》 titles, “十四五” / “5G工厂”, 第5版 / 第一
# (a short quotation with a percentage is a quoted figure: “白人73.9%的平等对待”);
# 第1、2批: an ordinal list is one ordinal span; 二十国集团 is a name
ORDINAL = r"[0-9〇零一二两三四五六七八九十百千]+"
SKIP = rf"《[^》]{{0,60}}》|“[^”%]{{0,12}}”|第{ORDINAL}(?:[、和至到—-]{ORDINAL})*|{ORDINAL}国集团|一成不变"

# every match that is not a skipped span holds a numeral, or is 过半 or 翻番 / 翻了番
MATCH_NEEDS_RE = r"[0-9〇零一二两兩三四五六七八九十百千万萬亿億]|过半|翻了?番"

# the alternatives of FIGURE_RE, tried in this order
SKIP_ALT = rf"(?P<skip>{SKIP})"
# 5%—6%, 3至5年, 3000—5000万吨, 1000万吨到2000万吨, 百分之二十到三十
RANGE_ALT = (
    rf"(?:(?P<r_pre>{PREFIX}))?(?P<r_pct>百分之)?(?P<r_n1>{NUM})(?P<r_x1>{MAGNITUDE})(?P<r_u1>{UNIT})?(?:{RANGE_SEP})"
    rf"(?P<r_pct2>百分之)?(?P<r_n2>{NUM})(?P<r_x2>{MAGNITUDE})(?P<r_unit>{UNIT})?(?P<r_suf>{SUFFIX})?"
)
OTHER_ALTS = (
    # 过半, 翻一番, 翻了两番
    rf"(?P<half>过半)|翻了?(?P<fan>[一两三四五]?)番(?P<fan_more>多)?"
    # 超过14万家, 百分之十五, 三分之一, 10多个, 230 EFLOPS, 70%左右, 10.9亿
    rf"|(?:(?P<pre>{PREFIX}))?(?:(?P<pct>百分之)(?P<pn>{NUM})|(?P<fd>{CN_NUM})分之(?P<fn>{CN_NUM})"
    rf"|(?P<sn>[0-9]{{1,2}})/(?P<sd>[0-9]{{1,2}})"
    rf"|(?P<nf>{NUM})(?P<uf>{UNITS_STARTING_WITH_MAGNITUDE})"
    rf"|(?P<n>{NUM})(?:(?P<xk>[十百千])(?P<mk>{APPROX_MORE})?(?P<uk>{UNIT_AFTER_SMALL})"
    rf"|(?P<m1>{APPROX_MORE})?(?P<x>{MAGNITUDE})(?P<m2>{APPROX_MORE})?(?P<x2>亿)?"
    rf"(?: ?(?P<tech>{TECH_UNITS})(?-u:\b)|(?P<unit>{UNIT})(?:/(?P<slash>{UNIT}))?)?))(?P<suf>{SUFFIX})?"
)
FIGURE_RE = rf"{SKIP_ALT}|{RANGE_ALT}|{OTHER_ALTS}"
GROUPS = ["skip", "r_pre", "r_pct", "r_n1", "r_x1", "r_u1", "r_pct2", "r_n2", "r_x2", "r_unit", "r_suf", "half", "fan", "fan_more",
          "pre", "pct", "pn", "fd", "fn", "sn", "sd", "nf", "uf", "n", "xk", "mk", "uk", "m1", "x", "m2", "x2", "tech", "unit", "slash", "suf"]
PIECE_RE = rf"(?s).*?(?:{FIGURE_RE})"
# the match that ends a piece: the earliest start from which the pattern matches up to the
# piece's end is where the match starts, as no match starts in the gap before it (found by a
# reverse scan from the end, over little more than the match: 6x cheaper than extract_all)
SURFACE_AT_END_RE = rf"(?:{FIGURE_RE})$"
# one whole match, for its named groups: 超过14万家
SURFACE_GROUPS_RE = rf"^(?:{FIGURE_RE})$"
# a skipped span begins with 《 “ 第 or is `..国集团` or 一成不变, a range holds a separator: a
# surface that can be neither is read with OTHER_ALTS alone (a pattern half the size, 2x faster)
MAY_BE_SKIP_OR_RANGE_RE = rf"^[《“第]|国集团$|^一成不变$|{RANGE_SEP}"
OTHER_GROUPS_RE = rf"^(?:{OTHER_ALTS})$"

# a qualifier a few words before its number: 约占全国总量的四成, 超过全国的一半
DISTANT_QUALIFIER_RE = (
    rf"(?P<q>大约|约|超过|接近|将近|不到|不足)(?:占|为|达到|达|有|合)[^0-9,;:。!?、]{{0,10}}$"
)
# characters that make a qualifier part of another word: 节约, 制约, 最近, 附近, 赶超
QUALIFIER_WORD_PARTS = {"约": "节制集简契隐预公相邀婉违履条特签", "近": "最附邻贴靠亲",
                        "超": "赶高", "破": "打突攻击冲爆跌识看"}
# rate denominators: 每千瓦时0.3元 -> 元/千瓦时, 每千人口床位6.9张 -> 张/千人口
RATE_PER_RE = (
    r"每(?P<d>(?:[0-9]+)?[十百千万]?(?:人口|千瓦时|立方米|平方米|平方公里|公里|吨|公斤|亩|公顷|户|人|辆|台))"
    r"[^0-9,;:。!?、]{0,10}$"
)
# temperatures, which can be below zero: -20℃, 零下60℃
TEMPERATURE_UNITS = ["℃", "摄氏度"]
# units that make a number right after Latin letters a share, not part of a name (GDP1.3%)
SHARE_UNITS = ["%", "‰", "个百分点"]
# units that never take a rate denominator (人均预期寿命78岁 is not 岁/人)
NOT_RATE_UNITS = ["", "%", "‰", "倍", "个百分点", "百分点", "岁"]
# 亩均产量约450公斤 / 亩产1000公斤 -> 公斤/亩, 人均可支配收入 -> 元/人
RATE_AVG_RE = r"(?P<d>亩|人|户)[均产][^0-9,;:。!?、]{0,8}$"
# the second number of a change keeps the first's denominator: 人均可支配收入从27136元增长到36439元,
# 每千人口床位数由6.3张提高到7.2张 -> 元/人 and 张/千人口 both
RATE_CHANGE_TAIL = r"[^,;:。!?、]{0,30}?[从由][0-9.]+[^0-9,;:。!?、]{0,8}(?:到|至)$"
RATE_AVG_CHANGE_RE = r"(?P<d>亩|人|户)[均产]" + RATE_CHANGE_TAIL
RATE_PER_CHANGE_RE = r"每(?P<d>(?:[0-9]+)?[十百千万]?(?:人口|千瓦时|立方米|平方米|平方公里|公里|吨|公斤|亩|公顷|户|人|辆|台))" + RATE_CHANGE_TAIL
# 职工家庭按人口平均的生活费收入达到526元 -> 元/人 (older reports)
RATE_BY_RE = r"按(?P<d>人|户)口?平均[^0-9,;:。!?、]{0,12}$"
# 过半 inside another word: 经过半年, 通过半导体 (before) / 过半年, 过半个月 (after)
HALF_WORD_BEFORE = "经通度越跨"
HALF_WORD_AFTER = "年月天日个小"
# magnitude words that count on their own with 多/余 or a qualifier word and a measure word:
# 十余部, 百余家, 千余名, 万余人, 逾百家, 超千亿元, 近万家 (not 千家万户, 亿万人民)
ROUND_MORE_RE = "^[十百千万亿]+$"
# Chinese numerals preceded by these are vague (几十万人, 数百家, 上千家, 好几万)
VAGUE_BEFORE = "几数上成好幾數"
# 成 followed by these is a word, not "tenths" (300亿成本, 5成员)
CHENG_WORD_NEXT = "立果本为员交功效绩熟就长都品型套"
# a number moving from one value to another is two figures, not a range: 比重从15%到50%
FROM_WORDS = "从由"
# a measure word that is the first character of the counted noun: 8000万人口, 2300万台湾同胞
UNIT_WORD_NEXT = {"人": "口民", "台": "湾", "家": "庭", "头": "部", "部": "门"}
# a unit written once for two numbers: 分别高4.5个和2.6个百分点 -> 4.5 个百分点
SHARED_UNIT_RE = r"^[和、与及][0-9.]+个(百分点)"
# the characters that join a list of numbers sharing one unit (SHARED_LIST_UNIT_RE): 4.2和0.7
LIST_JOINERS = "和、与及"
# A text holds a match `_never_figures` keeps only if it holds one of these (FIGURE_RE read
# alternative by alternative): an Arabic digit, 过半, 翻(番), (百)分之, a Chinese numeral of
# two or more characters, or one Chinese numeral with what keeps it as a figure: 成 or 倍,
# 多/余 (十多万人, 十余部), a qualifier before it (近万家), a list after it (一和2倍, bare)
# or a suffix before that list, a range separator after its unit (三至五年). A lone Chinese
# digit with any other measure word (两国, 一个) or none (一) is never a figure.
CN_NUMERAL = "〇零一二两兩三四五六七八九十百千万萬亿億"
FIGURE_NEEDS_RE = (
    rf"[0-9]|过半|翻|分之|(?:{PREFIX})[{CN_NUMERAL}]"
    rf"|[{CN_NUMERAL}](?:[{CN_NUMERAL}点點成倍{APPROX_MORE[1:-1]}{LIST_JOINERS}]|{SUFFIX}|(?:{UNIT})?(?:{RANGE_SEP}))"
)
# the measure words that make a lone Chinese digit a figure: 三成, 两倍
LONE_DIGIT_UNITS = ["成", "倍"]
# a unit written once after a list of numbers: 分别高4.2和0.7个百分点, 10.6万、3.8万、3.3万平方公里
SHARED_LIST_UNIT_RE = rf"^(?:[{LIST_JOINERS}]{AR_NUM}(?:[万亿])*)+({UNIT})"
# a period as written: 今年1—5月, 去年, 截至2023年年底, 5月份, 今年前5个月
PERIOD_RE = (
    r"(?:截至|截止到|截止)?(?:(?:今年|去年|上年|明年|前年|[0-9]{4}年)"
    r"(?:前[0-9一二三四五六七八九十]+个月|[0-9]{1,2}(?:—[0-9]{1,2})?月(?:份|底|末)?|年底|年末|年初|上半年|下半年|前三季度|[一二三四]季度)?"
    r"|前[0-9一二三四五六七八九十]+个月|[0-9]{1,2}(?:—[0-9]{1,2})?月(?:份|底|末)?|上半年|前三季度|[一二三四]季度)"
)
# a character every period holds
PERIOD_NEEDS_RE = "[年月季]"
# headings worth scanning hold a digit: 前三季度我国服务进出口总额同比增18.2%
HEADING_NUMBER_RE = r"[0-9〇零一二两三四五六七八九十百千万亿]"
# the clause before the number, the metric's raw text: 规模以上工业增加值同比增长
CLAUSE_BEFORE_RE = r"(?P<c>[^,;:。!?]*)$"
# linking verbs and qualifiers cut from the end of a metric: 比重达到, 超过了
METRIC_TAIL_RE = r"(?:达到了|达到|达|为|是|约|大约|超过了|超过|超|都|均|已经|已|了|的|突破了|突破|近|接近|将近|累计)+$"

FIGURE_COLUMNS = ["doc_id", "figure_no", "sent_no", "turn_no", "speaker", "surface", "value",
                  "value_high", "unit", "qualifier", "metric", "period", "char_start", "char_end"]


def _matches(sentences: pl.DataFrame, figures_only: bool = False) -> pl.DataFrame:
    """Every FIGURE_RE match with its named groups and its character span in the sentence.
    PIECE_RE cuts each text into pieces that each end with one match (the text before it
    and the match), in step with `extract_all(FIGURE_RE)`: the k-th match ends where the
    first k pieces end. The groups depend on the matched surface alone, so they are
    extracted once per distinct surface (short strings, far fewer than matches) and
    joined back, with the facts `_never_figures` reads from the surface (`_never`, `_bare`).

    With `figures_only`, only the matches that may be figures: a text without a numeral
    (MATCH_NEEDS_RE, most texts) is not scanned, as all it can hold are skipped spans, and
    the matches `_never_figures` drops (most of the rest) are dropped here."""
    text = pl.col("text")
    if figures_only:
        # null where no figure can be: the regexes skip nulls
        text = pl.when(text.str.contains(MATCH_NEEDS_RE)).then(text)
    pieces = (
        sentences.with_row_index("_row")
        .select("_row", piece=text.str.extract_all(PIECE_RE))
        .explode("piece")
        .drop_nulls("piece")
        .select("_row", "piece", _end=cum_sum_in_run(pl.col("piece").str.len_chars(), "_row"))
        # str.find gives the match's BYTE offset, so the piece is cut as bytes (at a character boundary)
        .select("_row", "_end", surface=pl.col("piece").cast(pl.Binary).bin.slice(
            pl.col("piece").str.find(SURFACE_AT_END_RE)).cast(pl.String))
    )
    parts = _surface_groups(pieces.select(pl.col("surface").unique()))
    parts = parts.with_columns(_never=_never_figures_by_surface(), _bare=_is_bare_number())
    if figures_only:
        # `_never_figures` reads the two flags and the character after the match: most matches
        # are dropped before the groups are joined to them
        pieces = pieces.join(parts.select("surface", "_never", "_bare"), on="surface", how="left", maintain_order="left")
        pieces = pieces.with_columns(text=sentences.get_column("text").gather(pieces.get_column("_row"))) \
            .filter(~_never_figures()).select("_row", "_end", "surface")
    return pieces.join(parts, on="surface", how="left", maintain_order="left") \
        .with_columns(_start=pl.col("_end") - pl.col("surface").str.len_chars())


def _surface_groups(surfaces: pl.DataFrame) -> pl.DataFrame:
    """The named groups of FIGURE_RE in each matched surface (one row per surface)."""
    may_be = pl.col("surface").str.contains(MAY_BE_SKIP_OR_RANGE_RE)
    out = pl.concat([
        surfaces.filter(may_be).with_columns(_g=pl.col("surface").str.extract_groups(SURFACE_GROUPS_RE)).unnest("_g"),
        surfaces.filter(~may_be).with_columns(_g=pl.col("surface").str.extract_groups(OTHER_GROUPS_RE)).unnest("_g"),
    ], how="diagonal", rechunk=True).select("surface", *GROUPS)
    out = out.with_columns(*[pl.col(g).replace("", None) for g in GROUPS])
    # 5千多户 is 5 + 千 + 多 + 户, the same parts as 5万多户
    # 4万多亿元 is 4 + 万亿 + 多; 1/3 is the fraction 三分之一 written with a slash
    more_then_yi = pl.col("x2").is_not_null() & pl.col("x").str.ends_with("万").fill_null(False)
    out = out.with_columns(x=pl.when(more_then_yi).then(pl.concat_str("x", "x2"))
                           .otherwise("x"), fd=pl.coalesce("fd", "sd"), fn=pl.coalesce("fn", "sn"))
    return out.with_columns(n=pl.coalesce("n", "nf"), x=pl.coalesce("x", "xk"), m1=pl.coalesce("m1", "mk"),
                            unit=pl.coalesce("unit", "uk", "uf")).drop("nf", "xk", "mk", "uk", "uf", "x2", "sn", "sd")


def _split_ranges(m: pl.DataFrame) -> pl.DataFrame:
    """A range match that is really two figures becomes two normal matches: a value moving
    `从15%到50%`, or numbers with different units (`15%到2025年`, whose second is a year).
    1000万吨到2000万吨 (same unit) and 5%—6% stay one range."""
    L = lambda c: pl.col(c).str.len_chars().fill_null(0)  # noqa: E731
    prev = pl.col("text").str.slice((pl.col("_start") - 1).clip(0), (pl.col("_start") > 0).cast(pl.Int64))
    pct1, pct2 = pl.col("r_pct").is_not_null(), pl.col("r_pct2").is_not_null()
    u1 = pl.when(pct1).then(pl.lit("%")).otherwise("r_u1")
    second_pct = pct2 | (pct1 & pl.col("r_unit").is_null())
    u2 = pl.when(second_pct).then(pl.lit("%")).otherwise("r_unit")
    same_unit = (u1 == u2) | ((u1 == "个") & (u2 == "个百分点"))
    split = pl.col("r_n1").is_not_null() & (
        prev.is_in(list(FROM_WORDS)) | (u1.is_not_null() & ~same_unit.fill_null(False)))
    m = m.with_columns(_split=split)
    keep, two = m.filter(~pl.col("_split")), m.filter(pl.col("_split"))
    if two.height == 0:
        return keep.drop("_split")
    ranged = ["r_pre", "r_pct", "r_n1", "r_x1", "r_u1", "r_pct2", "r_n2", "r_x2", "r_unit", "r_suf"]
    first_len = L("r_pre") + L("r_pct") + L("r_n1") + L("r_x1") + L("r_u1")
    second_len = L("r_pct2") + L("r_n2") + L("r_x2") + L("r_unit") + L("r_suf")
    first = two.with_columns(
        pre=pl.col("r_pre"), n=pl.when(~pct1).then(pl.col("r_n1")),
        # 从百分之五到百分之十: each part is a 百分之 figure
        pct=pl.when(pct1).then(pl.col("r_pct")), pn=pl.when(pct1).then(pl.col("r_n1")),
        # 从3到5万吨: the first number borrows the magnitude and unit written once after the second
        x=pl.when(pl.col("r_u1").is_null()).then(pl.coalesce("r_x1", "r_x2")).otherwise("r_x1"),
        unit=pl.when(~pct1).then(pl.coalesce("r_u1", "r_unit")),
        surface=pl.col("surface").str.slice(0, first_len),
        _end=pl.col("_start") + first_len,
    )
    second = two.with_columns(
        n=pl.when(~second_pct).then(pl.col("r_n2")), x=pl.col("r_x2"), unit=pl.col("r_unit"), suf=pl.col("r_suf"),
        pct=pl.when(second_pct).then(pl.lit("百分之")), pn=pl.when(second_pct).then(pl.col("r_n2")),
        surface=pl.col("surface").str.slice(pl.col("surface").str.len_chars() - second_len),
        _start=pl.col("_end") - second_len,
    )
    parts = pl.concat([first, second]).with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in ranged])
    return pl.concat([keep, parts.select(keep.columns)]).drop("_split")


def _drop_noun_units(m: pl.DataFrame) -> pl.DataFrame:
    """`8000万人口`, `2300万台湾同胞`: the measure word begins the counted noun, so the
    figure has no unit (`8000万`, unit '') and the noun is not part of its surface; it is
    still a count of that noun (`六亿人民`)."""
    in_noun = pl.lit(False)
    for unit, nexts in UNIT_WORD_NEXT.items():
        in_noun = in_noun | ((pl.col("_unit_raw") == unit) & pl.col("_next").is_in(list(nexts)))
    in_noun = in_noun & pl.col("suf").is_null() & pl.col("r_n1").is_null() & pl.col("_per").is_null()
    # read three times below, so computed once (eager polars does not share subexpressions)
    m = m.with_columns(_in_noun=in_noun)
    in_noun = pl.col("_in_noun")
    return m.with_columns(
        surface=pl.when(in_noun).then(pl.col("surface").str.slice(0, pl.col("surface").str.len_chars() - 1))
        .otherwise("surface"),
        _end=pl.when(in_noun).then(pl.col("_end") - 1).otherwise("_end"),
        unit=pl.when(in_noun).then(pl.lit("")).otherwise("unit"),
    ).drop("_in_noun")


def _below_zero(m: pl.DataFrame) -> pl.DataFrame:
    """`-20℃以下`, `零下60℃`: a temperature below zero is negative; the minus sign is part
    of its surface (`零下` is a word before it, like a qualifier at a distance)."""
    temp = pl.col("unit").is_in(TEMPERATURE_UNITS) & pl.col("r_n1").is_null()
    # the (at most) two characters before the match, cut only where the unit is a temperature (few rows)
    before2 = pl.when(temp).then(pl.col("text")).str.slice((pl.col("_start") - 2).clip(0), (pl.col("_start")).clip(0, 2))
    m = m.with_columns(_before2=before2)
    minus = temp & (pl.col("_prev") == "-") & ~pl.col("_before2").str.contains("^[0-9]")
    m = m.with_columns(_minus=minus)
    below = temp & (pl.col("_minus") | (pl.col("_before2") == "零下"))
    return m.with_columns(
        value=pl.when(below).then(-pl.col("value")).otherwise("value"),
        surface=pl.when(pl.col("_minus")).then(pl.concat_str(pl.lit("-"), "surface")).otherwise("surface"),
        _start=pl.when(pl.col("_minus")).then(pl.col("_start") - 1).otherwise("_start"),
    ).drop("_before2", "_minus")


def _exponents(frame: pl.DataFrame, cols: list[str]) -> dict[str, int]:
    """Power of ten of each magnitude word in `cols` (`万亿` -> 12), for `_exponent`."""
    words = set()
    for c in cols:
        words |= set(frame.get_column(c).drop_nulls().unique().to_list())
    return {w: sum(MAGNITUDE_EXPONENTS.get(ch, 0) for ch in w) for w in words}


def _exponent(col: str, exponents: dict[str, int]) -> pl.Expr:
    """Power of ten of a magnitude-word column, 0 where it is null (a few distinct words: looked
    up, not counted character by character on every row)."""
    return pl.col(col).replace_strict(exponents, default=None, return_dtype=pl.Int64).fill_null(0)


def _chinese_mantissas(frame: pl.DataFrame, cols: list[str]) -> dict[str, str]:
    """Plain decimal strings for the Chinese numerals in `cols` (parsed once each)."""
    words = set()
    for c in cols:
        # the Arabic numbers (most) are read by `_mantissa` itself
        distinct = frame.get_column(c).drop_nulls().unique()
        words |= set(distinct.filter(~distinct.str.contains("^[0-9.,]*$")).to_list())
    out = {}
    for w in words:
        d = parse_numeral(w)
        if d is not None:
            out[w] = format(d, "f")
    return out


def _mantissa(col: str, chinese: dict[str, str]) -> pl.Expr:
    c = pl.col(col)
    is_arabic = c.str.contains(r"^[0-9][0-9,.]*$")
    return pl.when(is_arabic).then(c.str.replace_all(",", "")).otherwise(
        c.replace_strict(chinese, default=None, return_dtype=pl.String))


def _decimal(mantissa: pl.Expr, exponent: pl.Expr) -> pl.Expr:
    """Float64 of mantissa * 10**exponent, correctly rounded (`16.4`, 8 -> 1640000000.0)."""
    return pl.concat_str(mantissa, pl.lit("e"), exponent.cast(pl.String)).cast(pl.Float64, strict=False)


def _fraction_percent(denominator: str | None, numerator: str | None) -> str | None:
    """`三分之一` -> `33.333...` (percent)."""
    d, n = parse_numeral(denominator or ""), parse_numeral(numerator or "")
    if not d or n is None:
        return None
    return format(n * 100 / d, "f")


def _qualifier_from(col: str, table: dict[str, str]) -> pl.Expr:
    return pl.col(col).replace_strict(table, default=None, return_dtype=pl.String)


def _interpret(m: pl.DataFrame) -> pl.DataFrame:
    """Value, unit, qualifier of each match; rows that are not figures get keep=False."""
    # a Chinese numeral is parsed together with its magnitude words: 四亿零七百多万 is 四亿零七百万
    m = m.with_columns(_n_x=pl.when(pl.col("n").str.contains("^[0-9]")).then(pl.col("n"))
                       .otherwise(pl.concat_str("n", pl.col("x").fill_null(""))))
    # 三至五万吨: the first Chinese number of a range takes the magnitude written on the second
    carried = pl.col("r_n2").str.extract(r"[〇零一二两兩三四五六七八九十百千]([万萬亿億]+)$", 1)
    m = m.with_columns(_r1=pl.when(~pl.col("r_n1").str.contains("[0-9万萬亿億]") & carried.is_not_null())
                       .then(pl.concat_str("r_n1", carried)).otherwise("r_n1"))
    chinese = _chinese_mantissas(m, ["_r1", "r_n2", "pn", "n", "fan", "_n_x"])
    exponents = _exponents(m, ["x", "r_x1", "r_x2"])
    main_exp = pl.when(pl.col("n").str.contains("^[0-9]")).then(_exponent("x", exponents)).otherwise(0)
    fractions = {(d, n): _fraction_percent(d, n) for d, n in m.select("fd", "fn").unique().rows() if d}
    frac = pl.concat_str("fd", pl.lit("|"), "fn").replace_strict(
        {f"{d}|{n}": v for (d, n), v in fractions.items()}, default=None, return_dtype=pl.String)
    is_range, is_half = pl.col("r_n1").is_not_null(), pl.col("half").is_not_null()
    is_pct, is_frac = pl.col("pct").is_not_null(), pl.col("fd").is_not_null()
    # used several times below, so computed once (eager polars does not share subexpressions)
    m = m.with_columns(_is_fan=pl.col("fan").is_not_null() | pl.col("surface").str.contains("^翻了?番$"))
    is_fan = pl.col("_is_fan")
    special = is_range | is_half | is_fan | is_pct | is_frac
    m = m.with_columns(_unit_raw=pl.coalesce("r_unit", "tech", "unit", pl.when(~special).then(pl.col("_list_unit"))))
    unit_raw = pl.col("_unit_raw")
    range_exp = pl.when(pl.col("r_x1").is_null()).then(_exponent("r_x2", exponents)).otherwise(_exponent("r_x1", exponents))
    cheng = (unit_raw == "成").fill_null(False)
    m = m.with_columns(
        _mag=pl.when(is_range).then(pl.col("r_x2")).otherwise(pl.col("x")),
        _num=pl.coalesce("r_n1", "pn", "n", "fd"),
        # 成 is tenths: 五成 -> 50 %, and each end of a range, 五到六成 -> 50-60 %
        value=pl.when(is_range).then(_decimal(_mantissa("_r1", chinese), range_exp + cheng.cast(pl.Int32)))
        .when(is_half).then(pl.lit(50.0))
        .when(is_fan).then(pl.lit(2.0).pow(_mantissa("fan", chinese).fill_null("1").cast(pl.Float64)))
        .when(is_pct).then(_decimal(_mantissa("pn", chinese), pl.lit(0)))
        .when(is_frac).then(frac.cast(pl.Float64, strict=False))
        .otherwise(_decimal(_mantissa("_n_x", chinese), main_exp + cheng.cast(pl.Int32))),
        value_high=pl.when(is_range).then(_decimal(_mantissa("r_n2", chinese),
                                                   _exponent("r_x2", exponents) + cheng.cast(pl.Int32))),
        unit=pl.when(is_half | is_pct | is_frac | cheng | pl.col("r_pct").is_not_null()).then(pl.lit("%"))
        .when(is_fan).then(pl.lit("倍"))
        .when((unit_raw == "个") & pl.col("_shared_unit").is_not_null()).then(pl.lit("个百分点"))
        .otherwise(unit_raw.fill_null("")),
        qualifier=pl.when(is_range).then(pl.lit("range"))
        .when(is_half | pl.col("fan_more").is_not_null()).then(pl.lit(">"))
        .otherwise(pl.coalesce(
            _qualifier_from("pre", PREFIX_QUALIFIERS), _qualifier_from("suf", SUFFIX_QUALIFIERS),
            pl.when(pl.col("m1").is_not_null() | pl.col("m2").is_not_null()).then(pl.lit(">")),
            pl.lit("="))),
    )
    return m.drop("_is_fan")


def _is_chinese(num: pl.Expr) -> pl.Expr:
    return num.str.contains(r"^[〇零一二两兩三四五六七八九十百千万萬亿億点點]+$")


def _is_special() -> pl.Expr:
    """过半, 百分之十五, 三分之一, 翻一番: figures without a measure word."""
    return pl.col("half").is_not_null() | pl.col("pct").is_not_null() | pl.col("fd").is_not_null() \
        | pl.col("r_pct").is_not_null() \
        | pl.col("surface").str.contains("^翻")


def _is_round_more(num: pl.Expr, unit: pl.Expr) -> pl.Expr:
    """十余部新片, 百余家企业, 千余名: a lone magnitude word with 多/余 and a measure word is a count."""
    return num.str.contains(ROUND_MORE_RE) & (pl.col("m1").is_not_null() | pl.col("pre").is_not_null()) \
        & unit.is_not_null()


def _has_magnitude(mag: pl.Expr, num: pl.Expr, chinese: pl.Expr) -> pl.Expr:
    """三百万, 六亿 (人民), 三亿 (多农村劳动力); not 万一 (`chinese`: `_is_chinese(num)`)."""
    return mag.is_not_null() | (chinese & num.str.contains("[万亿萬億]") & (
        (num.str.len_chars() >= 3) | num.str.contains(f"^{CN_DIGIT_OR_TEN}[万亿萬億]$")))


def _keep_figures(m: pl.DataFrame) -> pl.DataFrame:
    """The rows that measure something: not skipped spans, dates, years, durations or names."""
    # read several times below, so computed once (eager polars does not share subexpressions)
    m = m.with_columns(_chinese=_is_chinese(pl.col("_num")))
    m = m.with_columns(_round_more=_is_round_more(pl.col("_num"), pl.col("_unit_raw")))
    num = pl.col("_num")
    chinese = pl.col("_chinese")
    single_chinese = chinese & (num.str.len_chars() == 1)
    unit = pl.col("_unit_raw")
    round_more = pl.col("_round_more")
    has_mag = _has_magnitude(pl.col("_mag"), num, chinese)
    special = _is_special()
    is_range = pl.col("r_n1").is_not_null()
    time_ok = is_range & (unit == "年") & (pl.col("value_high") < 100)
    return m.filter(
        pl.col("skip").is_null()
        & pl.col("value").is_not_null()
        # 1 followed by 400 zeros is no measure, and no double holds it (it would be stored as inf)
        & pl.col("value").is_finite() & pl.col("value_high").is_finite().fill_null(True)
        & (special | unit.is_not_null() | has_mag)
        & (~unit.is_in(TIME_UNITS).fill_null(False) | time_ok)
        # 两个毫不动摇, 四个关键词, 千家万户: a lone Chinese digit with a measure word
        & (special | ~single_chinese | unit.is_in(LONE_DIGIT_UNITS).fill_null(False) | is_range | round_more)
        # 亿万人, 千千万万, 信心百倍: magnitude words without a digit are idioms (十五, 十亿 are not)
        # (百分之百, 千分之三 are shares)
        & (~(chinese & ~num.str.contains("^十|[〇零一二两兩三四五六七八九]")).fill_null(False) | round_more | special)
        # 三五米, 七八个: adjacent digits are an approximation; 二〇二三 a year
        & ~(chinese & num.str.contains("^[〇零一二两兩三四五六七八九]{2,}$")).fill_null(False)
        # 5G, G20, COP15, IPv6 are names; 占GDP1.3% is a share
        & ~(pl.col("_prev").str.contains("[A-Za-z]") & ~chinese & ~unit.is_in(SHARE_UNITS).fill_null(False))
        # 每10万人口, 每100个美国人: the number after 每 is a rate's denominator
        & (pl.col("_prev") != "每").fill_null(True)
        & ~(chinese & pl.col("_prev").is_in(list(VAGUE_BEFORE)))
        & ~(pl.col("half").is_not_null()
             & (pl.col("_prev").is_in(list(HALF_WORD_BEFORE)) | pl.col("_next").is_in(list(HALF_WORD_AFTER))))
        & ~((unit == "成") & (pl.col("_mag").is_not_null() | pl.col("_next").is_in(list(CHENG_WORD_NEXT)))).fill_null(False)
    ).drop("_chinese", "_round_more")


# For the early drops below: a match that is not a range (`_split_ranges` leaves it as it is) has
# `_interpret`'s _num = this, and, when a unit is written, _unit_raw = that unit (a list's shared
# unit is taken only by a number without one) and _mag = its magnitude words `x`.
SINGLE_NUM = ("pn", "n", "fd")
WRITTEN_UNIT = ("r_unit", "tech", "unit")


def _never_figures_by_surface() -> pl.Expr:
    """Matches that `_keep_figures` rejects on their surface (named groups) alone: skipped
    spans (`《...》`, `第5版`), a single number with a time word (`2023年`, `5个月`;
    ranges such as `3至5年` can be figures), and a lone Chinese digit with a measure word
    (`两国`, `一个`; `_keep_figures`'s rule, written on the groups)."""
    single = pl.col("r_n1").is_null()
    time_word = single & pl.col("unit").is_in(TIME_UNITS).fill_null(False)
    num, unit = pl.coalesce(*SINGLE_NUM), pl.coalesce(*WRITTEN_UNIT)
    digit_word = (single & ~_is_special() & _is_chinese(num) & (num.str.len_chars() == 1) & unit.is_not_null()
                  & ~unit.is_in(LONE_DIGIT_UNITS) & ~_is_round_more(num, unit))
    return pl.col("skip").is_not_null() | time_word | digit_word.fill_null(False)


def _is_bare_number() -> pl.Expr:
    """A single number with neither unit nor magnitude word (`一`, `两`, `02000004`):
    `_keep_figures` wants one or the other, so it is a figure only if a list after it lends it
    its shared unit (`分别增长一和2倍`)."""
    num = pl.coalesce(*SINGLE_NUM)
    return (pl.col("r_n1").is_null() & ~_is_special() & pl.coalesce(*WRITTEN_UNIT).is_null()
            & ~_has_magnitude(pl.col("x"), num, _is_chinese(num)).fill_null(False))


def _never_figures() -> pl.Expr:
    """Matches that `_keep_figures` rejects whatever their context, dropped before the
    per-row context work (`_never`, `_bare` from `_matches`): those of
    `_never_figures_by_surface`, and a bare number (`_is_bare_number`) that has no list after it."""
    no_list_after = ~pl.col("text").str.slice(pl.col("_end"), 1).is_in(list(LIST_JOINERS))
    return pl.col("_never") | (pl.col("_bare") & no_list_after)


def _context(m: pl.DataFrame) -> pl.DataFrame:
    """Previous/next character, distant qualifier and rate denominator of each match."""
    before = pl.col("text").str.slice(0, pl.col("_start"))
    return m.with_columns(
        _prev=pl.col("text").str.slice((pl.col("_start") - 1).clip(0), (pl.col("_start") > 0).cast(pl.Int64)),
        _next=pl.col("text").str.slice(pl.col("_end"), 1),
        _shared_unit=pl.col("text").str.slice(pl.col("_end"), 16).str.extract(SHARED_UNIT_RE, 1),
        _list_unit=pl.col("text").str.slice(pl.col("_end"), 40).str.extract(SHARED_LIST_UNIT_RE, 1),
        _before=before,
    ).with_columns(
        _far_q=pl.col("_before").str.extract(DISTANT_QUALIFIER_RE, 1),
        _per=pl.coalesce(pl.col("_before").str.extract(RATE_PER_RE, 1),
                         pl.col("_before").str.extract(RATE_AVG_RE, 1),
                         pl.col("_before").str.extract(RATE_BY_RE, 1),
                         pl.col("_before").str.extract(RATE_AVG_CHANGE_RE, 1),
                         pl.col("_before").str.extract(RATE_PER_CHANGE_RE, 1)),
    )


def _drop_word_qualifiers(m: pl.DataFrame) -> pl.DataFrame:
    """`节约1.2亿吨`: the 约 belongs to 节约, so it is neither qualifier nor surface."""
    first = pl.col("surface").str.slice(0, 1)
    in_word = pl.lit(False)
    for q, parts in QUALIFIER_WORD_PARTS.items():
        in_word = in_word | ((first == q) & pl.col("pre").is_not_null() & pl.col("_prev").is_in(list(parts)))
    cut = pl.col("pre").str.len_chars()
    # read three times below, so computed once (eager polars does not share subexpressions)
    m = m.with_columns(_in_word=in_word)
    in_word = pl.col("_in_word")
    return m.with_columns(
        surface=pl.when(in_word).then(pl.col("surface").str.slice(cut)).otherwise("surface"),
        _start=pl.when(in_word).then(pl.col("_start") + cut).otherwise("_start"),
        qualifier=pl.when(in_word & pl.col("suf").is_null() & pl.col("m1").is_null() & pl.col("m2").is_null())
        .then(pl.lit("=")).otherwise("qualifier"),
    ).drop("_in_word")


def _drop_word_suffixes(m: pl.DataFrame) -> pl.DataFrame:
    """`10个多边机制`: a 多/余 after the unit that begins a word (多边, 多元) is not `more than`;
    `增长2倍多,` and `2倍多的` keep it."""
    in_word = pl.col("suf").is_in(list(SUFFIX_MORE)) & pl.col("_next").str.contains(r"^\p{Han}") & (pl.col("_next") != "的")
    # read three times below, so computed once (eager polars does not share subexpressions)
    m = m.with_columns(_in_word=in_word)
    in_word = pl.col("_in_word")
    return m.with_columns(
        surface=pl.when(in_word).then(pl.col("surface").str.slice(0, pl.col("surface").str.len_chars() - 1))
        .otherwise("surface"),
        _end=pl.when(in_word).then(pl.col("_end") - 1).otherwise("_end"),
        qualifier=pl.when(in_word).then(pl.coalesce(
            _qualifier_from("pre", PREFIX_QUALIFIERS),
            pl.when(pl.col("m1").is_not_null() | pl.col("m2").is_not_null()).then(pl.lit(">")), pl.lit("=")))
        .otherwise("qualifier"),
    ).drop("_in_word")


def _text_outside_sentences(sentences: pl.DataFrame, documents: pl.DataFrame | None) -> pl.DataFrame:
    """Stretches of clean_text that no sentence covers (headings and sub-headlines such as
    `76个国家区域医疗中心项目落地实施`), as sentence-like rows without sent_no, turn or speaker."""
    cols = {"doc_id": pl.String, "text": pl.String, "char_start": pl.Int64, "char_end": pl.Int64}
    if documents is None or "clean_text" not in documents.columns or documents.height == 0:
        return pl.DataFrame(schema=cols)
    docs = documents.select("doc_id", "clean_text", _n=pl.col("clean_text").str.len_chars().cast(pl.Int64))
    spans = sentences.select("doc_id", pl.col("char_start").cast(pl.Int64), pl.col("char_end").cast(pl.Int64))
    before_each = spans.sort("doc_id", "char_start").select(
        "doc_id", g_start=prev_in_run(pl.col("char_end"), "doc_id").fill_null(0), g_end=pl.col("char_start"))
    tail = docs.join(spans.group_by("doc_id").agg(g_start=pl.col("char_end").max()), on="doc_id", how="left") \
        .select("doc_id", g_start=pl.col("g_start").fill_null(0), g_end=pl.col("_n"))
    # a gap of one character is the `\n` between two paragraphs (or a space the sentences strip):
    # no number in it, and slicing it out of a long text for nothing was most of this function's time
    gaps = pl.concat([before_each, tail]).filter(pl.col("g_end") - pl.col("g_start") > 1).join(docs, on="doc_id")
    return gaps.select(
        "doc_id", text=pl.col("clean_text").str.slice(pl.col("g_start"), pl.col("g_end") - pl.col("g_start")),
        char_start="g_start", char_end="g_end",
    ).filter(pl.col("text").str.contains(HEADING_NUMBER_RE)).cast(cols)


def figures_from_sentences(sentences: pl.DataFrame, documents: pl.DataFrame | None) -> pl.DataFrame:
    """One row per figure (SPEC `figures` columns), offsets into documents.clean_text.
    Text outside every sentence (headings) is scanned too; its figures have no sent_no."""
    units = pl.concat([sentences.select("doc_id", "sent_no", "turn_no", "speaker", "text", "char_start", "char_end"),
                       _text_outside_sentences(sentences, documents)], how="diagonal_relaxed")
    base = units.with_columns(pl.col("char_start").cast(pl.Int64)).with_row_index("_row")
    # Of the texts with a numeral, about half hold only lone Chinese digits (一些, 两国, 一个),
    # never figures: only those with FIGURE_NEEDS_RE are scanned (the others' text is NULL
    # here, kept in `base` for the periods below)
    # (an Arabic digit, in most of them, is looked for first: the pattern runs on the others)
    text = units.get_column("text")
    digit = text.str.contains("[0-9]").fill_null(False)
    rest = (~digit & text.str.contains(MATCH_NEEDS_RE).fill_null(False)).arg_true()
    needs = digit.scatter(rest, text.gather(rest).str.contains(FIGURE_NEEDS_RE).fill_null(False))
    scanned = units.select(text=pl.when(needs).then(pl.col("text")))
    m = _split_ranges(_matches(scanned, figures_only=True).drop("_never", "_bare").join(base, on="_row", how="left"))
    m = _below_zero(_drop_noun_units(_interpret(_context(m))))
    m = _keep_figures(_drop_word_suffixes(_drop_word_qualifiers(m)))
    far = _qualifier_from("_far_q", PREFIX_QUALIFIERS)
    # the period a unit states, else the one the unit before it (in text order) states
    # (the pattern runs only on the few texts with a 年, 月 or 季, which every period holds)
    may_state_period = pl.when(pl.col("text").str.contains(PERIOD_NEEDS_RE)).then(pl.col("text"))
    periods = (
        base.select("_row", "doc_id", "char_start", _here=may_state_period.str.extract(PERIOD_RE, 0))
        .sort("doc_id", "char_start", maintain_order=True)
        .select("_row", _period=pl.coalesce("_here", prev_in_run(pl.col("_here"), "doc_id")))
    )
    clause = pl.col("text").str.slice(0, pl.col("_start")).str.extract(CLAUSE_BEFORE_RE, 1)
    metric = (clause.str.replace(rf"^{PERIOD_RE}", "")
              .str.replace(METRIC_TAIL_RE, "").str.strip_chars())
    out = (
        m.join(periods, on="_row", how="left")
        .with_columns(_metric=metric)
        .with_columns(
            qualifier=pl.when((pl.col("qualifier") == "=") & far.is_not_null()).then(far).otherwise("qualifier"),
            # 3000元/吨 -> 元/吨 (written as a rate); 每吨3000元 -> 元/吨 (a 每 phrase before the number)
            unit=pl.when(pl.col("slash").is_not_null()).then(pl.concat_str("unit", pl.lit("/"), "slash"))
            .when(pl.col("_per").is_not_null() & ~pl.col("unit").is_in(NOT_RATE_UNITS))
            .then(pl.concat_str("unit", pl.lit("/"), "_per")).otherwise("unit"),
            metric=pl.when(pl.col("_metric") != "").then(pl.col("_metric")),
            period=pl.col("_period"),
            char_start=(pl.col("char_start") + pl.col("_start")).cast(pl.Int64),
            char_end=(pl.col("char_start") + pl.col("_end")).cast(pl.Int64),
        )
        .sort("doc_id", "char_start")
        .with_columns(figure_no=row_in_run("doc_id", start=1))
    )
    return out.select(FIGURE_COLUMNS)
