"""Targets: clauses that commit to a future outcome with a deadline or a quantity.

A sentence is cut into clauses at `,;:`; a sentence ending in `;` or `:` runs on
into the next one (a list `主要预期目标是:A;B;C` is one unit). Inside that unit a
commitment word opens a scope (`力争`, `确保`, `目标是`; weaker: `将`) and a
deadline (`到2027年`, `今年`, `“十五五”期间`) carries forward to the clauses that
follow it. A clause in scope is a target when it has a deadline (own or carried)
or, under a strong commitment word, a quantity. A clause that is only a marker
and a deadline (`力争到2027年,`) is joined to the clause after it.

Not commitments of the speaker's organisation: a reporter's question (speaker
`记者`), a clause whose subject is another country or party (`德国今年经济损失将...`,
`美方拟...`), a claim reported from others (`宣称`, `据报道`), a forecast, a
deadline already past at publication (`力争用8年时间即到2000年` in a 2024 report),
an event schedule or anniversary (`将于11月举行`, `迎来建交50周年`). Under `将`/`要`
the deadline must stand before the verb (`今年将...`, `将于年内...`): `将...贯穿全年`,
`将总结今年...` are not deadlines.

One commitment is one target: a clause in the same sentence that states neither
its own quantity nor its own deadline continues the target before it
(`力争到2027年,实现...全覆盖,专精特新中小企业率先实现数字化转型` is one target;
`...全覆盖,建成200个左右高标准数字园区` are two). `、` before a new year deadline
starts a new clause (`力争2030年前实现碳达峰、2060年前实现碳中和` are two).

The quantity of a target is the first figure (from `figures.figures_from_sentences`)
whose span lies inside the target span; `全覆盖` gives 100 `%` on the target only.
"""
from __future__ import annotations

import polars as pl

from transforms import periods
from transforms.runs import cum_sum_in_run, forward_fill_in_run, prev_in_run, row_in_run

# Clause: a run up to and including `,` `;` `:`; `《...》` is never cut:
# `力争到2027年,` | `建成200个左右高标准数字园区;`
CLAUSE = r"(?:《[^》]*》|[^,;:])+[,;:]*|[,;:]+"
# `、` before a year deadline opens a new commitment: `碳达峰、2060年前实现碳中和`
NEW_DEADLINE_AFTER_COMMA = r"、((?:19|20)[0-9]{2}年(?:以前|之前|前|底前|年底前))"
# `、` between two quantities with their own words opens a new one: `新增托位不少于10万个、城镇新增
# 就业不少于28万人`, `赤字率拟按4%左右安排、比上年提高1个百分点` (not `10.6万、3.8万平方公里`,
# `1300亿斤以上、力争比去年实现更多增长`)
NEW_QUANTITY_AFTER_COMMA = r"([0-9][^、,;:。]*?)、([^、,;:。0-9]{2,}?[0-9])"
# Strong commitment words (a quantity alone suffices under them):
# `力争到2027年`, `确保`, `今年发展主要预期目标是:`, `经济增长预期目标为5%左右`,
# `把增长预期目标定在7.5%左右`, `赤字率拟按3%安排` (`拟` as a verb, not `虚拟专网`, `模拟`).
# Searched with quoted names masked: `落实“两个确保”` commits to nothing.
# A clause that opens with a future year is itself a plan statement: `到2028年,实现...全域封闭运作`
STRONG_MARKER = r"力争|确保|争取|目标(?:是|为|定为|定在)|(?:^|[^虚模草比得])拟|^(?:到|展望)(?:19|20)[0-9]{2}年"
# Weak commitment words (need a deadline before them): `今年将再培育认定100家左右`,
# `今年国有大型商业银行小微企业贷款要增长30%以上`, `今年务必使...有实质性下降`
# (`要` not in `重要 主要 需要 要求 纲要 要素`); `计划` before the verb it plans:
# `今年计划推动300个科技成果新产品实现商业化量产`, `全年计划完成...项目投资2100亿元左右`
# (not the noun: `行动计划`, `按照计划`)
WEAK_MARKER = (
    r"将|务必|(?:^|[^重主需只纲摘首必紧显])要(?:[^求素点闻害件]|$)"
    r"|计划(?:推动|完成|实现|新增|新建|建设|建成|开工|安排|投资|培育|打造|实施|引进|招收|发行)"
)
# A plan stated without a commitment word: a clause opening with its deadline, a
# planning verb and a quantity: `今年中央预算内投资安排5776亿元`, `今年大规模扩招100万人`,
# `全年减轻企业税收和社保缴费负担近2万亿元`
# (`全年` does not open a plan: a review says `全年新增税费优惠超过2.2万亿元` of the past year)
PLAN_OPENER = r"^(?:今年|明年|年内|到(?:19|20)[0-9]{2}年)"
PLAN_VERB = r"安排|扩招|招收|减轻|新增|新建|改建|开工|压减|压缩|降低|提高|培育|建成|拿出|发行|下达|清偿|淘汰"
# In a year's task section (`三、2026年重点工作`) a verb that sets a quantity commits without a
# commitment word: `建成县域快递物流中心44个`, `完成铁路投资8000亿元`, `城镇新增就业86万人`,
# `研发经费投入强度达到2.8%`, `粮食产量稳定在1300亿斤以上`
TASK_QUANTITY = (
    rf"(?:{PLAN_VERB}|完成|建设|实施|抓好|推进|打造|改造|培训|引进|创建|达到|达|增长|增加|扩大|下降|控制在|稳定在|保持在|突破|超过|不少于)"
    r"[^,;:]*?[0-9]|[0-9][^,;:]*(?:以上|以内|左右|以下)"
)
# Slogans commit to no measurable outcome: `确保“十五五”良好开局`, `开好局、起好步`; nor does a
# principle the work keeps to (`今年工作要坚持稳字当头、稳中求进`)
SLOGAN = r"良好开局|开好局|起好步|开门红|要(?:始终|继续)?坚持"
# Under `将`/`要` without a deadline, a quantity commits only after a verb that sets it:
# `将制造业等行业现行16%的税率降至13%`, `中央财政要...一般性支出压减5%以上`,
# `中方将向巴方提供100万美元紧急人道现汇援助` (`将达到`, `将增长` forecast as often as they commit)
SETTING_VERB = f"{PLAN_VERB}|降至|降到|提高到|提高至|提供"
# A change from one level to another is a projected effect: `森林覆盖率将从11%提升至35.1%`,
# `旅行时间将由现在的3个多小时缩短至40分钟`, `将使其他经济体的产出水平平均提高0.3个百分点`
EFFECT = r"[从由][^,;:]*(?:至|到)|(?:将|会|可)使"
# A number right after a strong word is part of what is secured, not a goal:
# `确保14亿多中国人的饭碗牢牢端在自己手中`, `要确保270多位患者每周3次的血透治疗`
MARKER_NUMBER = r"(?:力争|确保|争取|拟)[0-9一二三四五六七八九十两几数百千万亿]"
# The subject is another country or party: `德国今年经济损失将接近600亿欧元`, `美方拟...`,
# `委内瑞拉将于明年...` (`中国 我国 全国 各国 两国` are not): a clause opening with it
FOREIGN_SUBJECT = (
    r"^(?:而|但|但是|此外|同时|另外)?(?:[^,;:中我全各本两大强祖该外他别诸爱民建治立王帝开对在]{1,2}国"
    r"(?:[^内际家有务企资债库土旗歌民营产货防情策标,;:]|$)"
    r"|[美日英法德俄韩印澳欧加菲乌以伊朝越巴泰土意荷]方|日本|俄罗斯|印度|欧盟|欧洲|澳大利亚|加拿大|菲律宾"
    r"|乌克兰|以色列|伊朗|委内瑞拉|巴西|意大利|西班牙|新加坡|印尼|越南|朝鲜|巴基斯坦|阿富汗|土耳其|沙特"
    r"|埃及|南非|墨西哥|北约|民进党|台湾当局)"
)
# A claim reported from others: `近期还多次公开宣称将于今年启动排海`, `据报道`
OTHERS_CLAIM = r"宣称|声称|扬言|据报道|据悉|报道称|媒体称|消息称|消息人士"
# The speaker's side as subject, which ends another party's scope: `中方将...`, `我们要...`
OWN_SUBJECT = r"^(?:而|但|同时|此外)?(?:中方|中国|我国|我们|我方|国家|全国|各地|各级|两国|双方|中[美日俄欧法德英韩印澳非阿])"
# Event schedules and anniversaries commit to no outcome: `将于11月15日至17日在美国旧金山召开`,
# `明年我们将迎来中挪建交70周年`, `这一条款将于今年年底到期`, `今年将召开中国共产党第二十次全国代表大会`
NOT_COMMITMENT = r"周年|迎来|到期|(?:召开|举行|开幕|闭幕|抵达|出席)[,;:。]*$|将(?:于[^,;:]*)?(?:召开|举行|举办)"
# A reporter's question or remark (SPEC speaker value for reporters)
REPORTER = "记者"
# A forecast is not a commitment: `预计今年亩产将达到1200斤以上`, `有望`
FORECAST = r"预计|预测|有望|或将|可能"
# Any word a target's unit needs (strong or weak marker, or a plan opener), wherever it
# stands: a unit without one commits to nothing: `今年将...`, `力争...`, `经济增长预期目标为5%左右`
# (not `重要`, `主要`: WEAK_MARKER's context holds in the whole sentence too, as clauses
# are cut at `,;:`, which stand outside its excluded characters)
COMMITMENT_WORD_ANYWHERE = f"{WEAK_MARKER}|力争|确保|争取|目标|拟|今年|明年|年内|(?:到|展望)(?:19|20)[0-9]{{2}}年"
# Deadlines: `到2027年`, `展望2035年`, `2025年前`, `2026年底`, `“十五五”期间`, `今年`,
# `年内`, `年底前`, `明年` (a year already past at publication is dropped later)
DEADLINE = (
    r"(?:(?:19|20)[0-9]{2}年|今年|明年)?[0-9]{1,2}月(?:[0-9]{1,2}日)?(?:底|末)?(?:以前|之前|前)"
    r"|(?:到|展望)(?:19|20)[0-9]{2}年|(?:19|20)[0-9]{2}年(?:以前|之前|前|底前|年底前|年底|底|末)"
    r"|“?十[一二三四五六七八九]五”?(?:规划)?(?:期间|期末|末|时期)"
    r"|(?:今年|明年)?年底前|(?:今年|明年)?年底|今年|年内|全年|本年度|明年|后年"
    r"|(?:今后|未来)[两二三四五六七八九十]年"
)
# A deadline that names a month of an unnamed year: `3月底前`, `10月1日前`
MONTH_DEADLINE = r"[0-9]{1,2}月(?:[0-9]{1,2}日)?(?:底|末)?(?:以前|之前|前)"
# The head of a list of targets: `今年发展主要预期目标是:`, `主要目标为:`
TARGET_LIST_HEAD = r"目标(?:是|为)[:]?$"
# A list item that only qualifies the one before it: `在实际工作中努力争取更好结果`, `争取更优水平`
QUALIFIES_PREVIOUS = r"^(?:在实际工作中|努力|力争|争取|并|同时)"
# A plan year named with the target list: `2006年国民经济和社会发展的主要预期目标是:`
YEAR_OF_TARGETS = r"((?:19|20)[0-9]{2}年)[^,;:。]{0,20}目标(?:是|为)"
# Time words that look like deadlines but report a past period; masked before
# DEADLINE is searched: `截至去年年底`, `去年`, `今年以来`, `今年前5个月`, `今年1—5月`
NOT_DEADLINE = (
    r"截至[^,;:]*|去年[^,;:]{0,3}|上年[^,;:]{0,3}|前年"
    r"|今年(?:以来|前|上半年|下半年|一季度|第一季度|[0-9一二三四五六七八九十]+(?:—|-|至|到)?[0-9一二三四五六七八九十]*月)"
)
# A clause that starts an explanation, which closes the commitment scope:
# `既考虑了保持宏观调控目标的连续性`, `体现了推动高质量发展要求`
SCOPE_BREAK = r"^(?:既|也|又|这|从而|以便|为了|使|主要是|综合考虑|考虑|体现|兼顾|符合|有利于|其中|但)"
# An adverbial frame, not a commitment itself: `在优化结构、提高效益...的基础上,`
ADJUNCT = r"^在.*(?:基础上|前提下|情况下)[,;:]*$"
# A comparison tail restating the change of the figure before it:
# `今年拟发行建设国债1100亿元,比上年减少300亿元`
COMPARISON_TAIL = r"^(?:比|较|同比|相比|与上年相比)"
# A quoted name: `“两个确保”`, masked before commitment words are searched
QUOTED = r"“[^”]*”"
# Past or done: `实现了`, `已经培育` (but not `为了`, `除了`)
PAST = r"已|[^为除]了"
# A question is not a commitment: `下一阶段工业稳增长政策将如何加力?`
QUESTION = r"[?？]$|如何|哪些|什么"
# Full coverage as a quantity: `实现数字化改造全覆盖` -> 100 %
FULL_COVERAGE = r"全覆盖"
# What gives a clause a deadline or a quantity, as a sentence holds it: DEADLINE, YEAR_OF_TARGETS
# (whose gap before 目标 can be longer in the sentence than in the clause with NOT_DEADLINE
# masked), FULL_COVERAGE; the figures are the other quantities (see `_commitment_units`)
DEADLINE_OR_QUANTITY_WORD = f"{DEADLINE}|(?s:(?:19|20)[0-9]{{2}}年.*目标(?:是|为))|{FULL_COVERAGE}|目标(?:是|为):"
# What a bare `力争到2027年,` leaves once markers and deadline are removed: at most this
BARE_MAX_CHARS = 2
TRAILING_PUNCT = ",;:。!?、"

TARGET_SCHEMA = {
    "doc_id": pl.String, "target_no": pl.Int32, "sent_no": pl.Int32, "turn_no": pl.Int32,
    "speaker": pl.String, "text": pl.String, "deadline_year": pl.Int32, "deadline_date": pl.Date, "deadline_text": pl.String,
    "value": pl.Float64, "value_high": pl.Float64, "unit": pl.String, "qualifier": pl.String,
    "char_start": pl.Int32, "char_end": pl.Int32,
}


def _with_units(sentences: pl.DataFrame) -> pl.DataFrame:
    """sentences in text order with `unit_no` (sentences joined across `;`/`:`)."""
    return sentences.sort("doc_id", "sent_no").with_columns(
        unit_no=cum_sum_in_run(~(pl.col("text").str.ends_with(";") | pl.col("text").str.ends_with(":"))
                               .shift(1).fill_null(False), "doc_id"),
    )


def _commitment_units(sentences: pl.DataFrame, figures: pl.DataFrame | None = None) -> pl.DataFrame:
    """The sentences of units (see `_with_units`) that name a commitment word or a
    plan's deadline (COMMITMENT_WORD_ANYWHERE); no clause of any other unit can be
    a target, so the clause rules run on these alone.

    With `figures`, only those of them that also state a deadline or a quantity: a target
    has a deadline (its own, or one carried from a clause before it in its unit) or a
    quantity (a figure of its sentence, or 全覆盖), so a unit with no DEADLINE_OR_QUANTITY_WORD
    and no figure has none (most units)."""
    units = _with_units(sentences)
    committing = pl.col("text").str.contains(COMMITMENT_WORD_ANYWHERE)
    if "section_kind" in units.columns:  # a year's task section commits without a word
        committing = committing | (pl.col("section_kind") == "plan").fill_null(False)
    keep = units.filter(committing).select("doc_id", "unit_no").unique()
    units = units.join(keep, on=["doc_id", "unit_no"], how="semi")
    if figures is not None:
        with_figure = units.join(figures.select("doc_id", "sent_no").drop_nulls(), on=["doc_id", "sent_no"], how="semi")
        stated = pl.concat([units.filter(pl.col("text").str.contains(DEADLINE_OR_QUANTITY_WORD)), with_figure])
        units = units.join(stated.select("doc_id", "unit_no").unique(), on=["doc_id", "unit_no"], how="semi")
    return units.drop("unit_no")


def clauses_from_sentences(sentences: pl.DataFrame) -> pl.DataFrame:
    """One row per clause with doc-level character offsets, and `unit_no`: the
    number of the `。`-sentence (sentences joined across `;`/`:`) it belongs to.
    `clause` is the clause's text with `、` before a new year deadline read as `,`
    (same length, so offsets hold)."""
    sent = _with_units(sentences).with_columns(
        question=pl.col("text").str.contains(QUESTION) | (pl.col("speaker") == REPORTER).fill_null(False),
        in_plan=(pl.col("section_kind") == "plan").fill_null(False) if "section_kind" in sentences.columns
        else pl.lit(False),
        # a sentence that runs on past `;`: a list cut by `;`, its items holding `,`
        runs_on=pl.col("text").str.ends_with(";"),
    )
    return (
        sent.select(
            "doc_id", "sent_no", "unit_no", "turn_no", "speaker", "question", "in_plan", "runs_on",
            sent_start="char_start",
            clause=pl.col("text").str.replace_all(NEW_DEADLINE_AFTER_COMMA, ",$1")
            .str.replace_all(NEW_QUANTITY_AFTER_COMMA, "$1,$2").str.extract_all(CLAUSE),
            sent_text="text",
        )
        # offsets inside each sentence's list of clauses, before exploding (no windows over clauses)
        .with_columns(clause_no=pl.int_ranges(pl.col("clause").list.len()),
                      end=pl.col("clause").list.eval(pl.element().str.len_chars().cum_sum()))
        .explode("clause", "clause_no", "end")
        .drop_nulls("clause")
        .with_columns(char_end=(pl.col("sent_start") + pl.col("end")).cast(pl.Int32))
        .with_columns(char_start=(pl.col("char_end") - pl.col("clause").str.len_chars()).cast(pl.Int32))
        # the clause was cut from the one before it at a `、` (read as `,`)
        .with_columns(after_dun=pl.col("sent_text").str.slice((pl.col("char_start") - pl.col("sent_start") - 1)
                                                               .clip(0), 1) == "、")
        .select("doc_id", "sent_no", "unit_no", "turn_no", "speaker", "question", "in_plan", "runs_on", "clause", "clause_no",
                "char_start", "char_end", "after_dun")
    )


def _deadlines(targets: pl.DataFrame, sentences: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """deadline_year and deadline_date of each target: its deadline text read against the
    document's reference year (`periods.year_of`), else the year of the plan section it
    stands in (`三、2026年重点工作`); a month without a year (`3月底前`) is in that year
    too. A target without a deadline of its own in a review section (`一、2025年工作回顾`)
    is dropped. `ref_year` is kept for the filter of past deadlines."""
    targets = periods.with_section(targets, sentences)
    deadline = pl.col("carried_deadline")
    plan_year = pl.when(pl.col("section_kind") == "plan").then(pl.col("section_year"))
    month_only = pl.when(deadline.str.contains(f"^{MONTH_DEADLINE}$")).then(pl.col("ref_year"))
    return (
        targets.join(periods.reference_year(documents), on="doc_id", how="left")
        .with_columns(deadline_year=pl.coalesce(periods.year_of(deadline, pl.col("ref_year")), plan_year, month_only)
                      .cast(pl.Int32))
        .with_columns(deadline_date=periods.date_in_year(deadline, pl.col("deadline_year")))
        # a review of the past year reports what was done (`争取中央预算内投资140.3亿元`)
        .filter(~((pl.col("section_kind") == "review") & deadline.is_null()).fill_null(False))
        .drop(*periods.SECTION_COLUMNS)
    )


def _quantities(cands: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """The figure of each candidate clause (by doc_id, sent_no): the first inside its
    span after the clause's setting verb (`现行16%的税率降至13%` -> 13), else the first."""
    figs = figures.select(
        "doc_id", "sent_no",
        f_start=pl.col("char_start").cast(pl.Int32), f_end=pl.col("char_end").cast(pl.Int32),
        value=pl.col("value").cast(pl.Float64), value_high=pl.col("value_high").cast(pl.Float64),
        unit="unit", qualifier="qualifier",
    )
    inside = (
        cands.select("doc_id", "sent_no", "clause_no", "char_start", "char_end", "verb_end")
        .join(figs, on=["doc_id", "sent_no"])
        .filter((pl.col("f_start") >= pl.col("char_start")) & (pl.col("f_end") <= pl.col("char_end")))
        .with_columns(before_verb=(pl.col("f_start") < pl.col("char_start") + pl.col("verb_end")).fill_null(False))
        .sort("before_verb", "f_start")
        .group_by("doc_id", "sent_no", "clause_no")
        .agg(pl.col("value", "value_high", "unit", "qualifier").first(), set_by_verb=~pl.col("before_verb").first())
    )
    return cands.join(inside, on=["doc_id", "sent_no", "clause_no"], how="left").with_columns(
        pl.col("set_by_verb") & pl.col("verb_end").is_not_null())


def _merge_continuations(targets: pl.DataFrame) -> pl.DataFrame:
    """A target clause with neither its own quantity nor its own deadline that
    follows a target clause of the same sentence joins that target (over any
    clause between them: `拟安排...2.15万亿元,比去年增加8000亿元,为重点项目建设提供资金支持`).
    In a target list every item is its own target (`城镇登记失业率4.5%以内,进出口回稳向好`
    are two), except a clause that only qualifies the item before it
    (`全省生产总值增长5%—5.5%,在实际工作中努力争取更好结果`)."""
    continues = (
        prev_in_run(pl.col("clause_no"), "doc_id", "sent_no").is_not_null()
        & pl.col("value").is_null() & ~pl.col("full") & pl.col("own_deadline").is_null()
        # an item of a target list stands alone, unless it only qualifies the one before
        & (~pl.col("comma_item") | pl.col("clause").str.contains(QUALIFIES_PREVIOUS))
    )
    return (
        targets.sort("doc_id", "sent_no", "clause_no")
        .with_columns(group=(~continues).cum_sum())
        .group_by("group", maintain_order=True)
        .agg(pl.all().exclude("char_end").first(), pl.col("char_end").max())
        .drop("group")
    )


def _may_be_target() -> pl.Expr:
    """A target is under a commitment word (scope 1 or 2), opens with its deadline, or
    stands in a year's task section."""
    return (pl.col("scope") >= 1) | pl.col("opens_with_deadline") | pl.col("in_plan")


def targets_from_sentences(sentences: pl.DataFrame, figures: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """sentences (CONTRACTS), figures (SPEC), documents (published_date) -> targets."""
    if sentences.is_empty():
        return pl.DataFrame(schema=TARGET_SCHEMA)
    strip_words = f"{STRONG_MARKER}|将|务必|必须|要|{DEADLINE}|预期|[,;:。\\s的]"
    in_scope = _commitment_units(sentences, figures)
    if in_scope.is_empty():
        return pl.DataFrame(schema=TARGET_SCHEMA)
    # What the scopes, deadlines and bare clauses carried from clause to clause need, on every
    # clause of the units in scope; the rest only on the few clauses that can be targets (below).
    clauses = clauses_from_sentences(in_scope).with_columns(
        masked=pl.col("clause").str.replace_all(NOT_DEADLINE, "□"),
        unquoted=pl.col("clause").str.replace_all(QUOTED, "□"),
    ).with_columns(
        _forecast=pl.col("unquoted").str.contains(FORECAST),
    ).with_columns(
        deadline_text=pl.coalesce(pl.col("masked").str.extract(f"({DEADLINE})", 1),
                                  pl.col("masked").str.extract(YEAR_OF_TARGETS, 1)),
        opens_with_deadline=pl.col("masked").str.contains(PLAN_OPENER),
        forecast=pl.when(pl.col("_forecast")).then(True),
        scope=pl.when(pl.col("_forecast")).then(0)
        .when(pl.col("unquoted").str.contains(STRONG_MARKER)).then(2)
        .when(pl.col("unquoted").str.contains(WEAK_MARKER)).then(1)
        .when(pl.col("clause").str.contains(SCOPE_BREAK)).then(0)
        .otherwise(None).cast(pl.Int8),
        # whose commitment: another party's (True) or the speaker's side (False), carried forward
        others=pl.when(pl.col("clause").str.contains(FOREIGN_SUBJECT) | pl.col("clause").str.contains(OTHERS_CLAIM))
        .then(True).when(pl.col("clause").str.contains(OWN_SUBJECT)).then(False).otherwise(None),
        bare=(pl.col("masked").str.replace_all("□", "").str.replace_all(strip_words, "").str.len_chars() <= BARE_MAX_CHARS)
        & ~pl.col("clause").str.contains(FORECAST),
    )
    # Rows are in text order, each sentence and each unit a run of rows: shifts and
    # forward fills within them are plain column operations bounded by the run's first row.
    clauses = clauses.with_columns(
        sent_first=pl.col("clause_no") == 0,
    )
    after_bare = pl.when(~pl.col("sent_first")).then(pl.col("bare").shift(1)).fill_null(False)
    clauses = clauses.with_columns(_bare_deadline=pl.when(after_bare).then(pl.col("deadline_text").shift(1)))
    bare_deadline = pl.col("_bare_deadline")
    clauses = clauses.with_columns(
        # a deadline in the clause itself or in the bare clause before it (`今年,雄安新区将...`)
        own_deadline=pl.coalesce("deadline_text", bare_deadline),
        opens_with_deadline=pl.col("opens_with_deadline") | bare_deadline.str.contains(PLAN_OPENER).fill_null(False),
        scope=forward_fill_in_run(pl.col("scope"), "doc_id", "unit_no").fill_null(0),
        others=forward_fill_in_run(pl.col("others"), "doc_id", "unit_no").fill_null(False)
        | forward_fill_in_run(pl.col("forecast"), "doc_id", "unit_no").fill_null(False),
        carried_deadline=forward_fill_in_run(pl.col("deadline_text"), "doc_id", "unit_no"),
        # an item of a list opened by `主要预期目标是:` (each item its own target) ...
        in_list=forward_fill_in_run(pl.when(pl.col("clause").str.contains(TARGET_LIST_HEAD)).then(True),
                                    "doc_id", "unit_no").fill_null(False)
        & ~pl.col("clause").str.contains(TARGET_LIST_HEAD),
        # ... whose items are cut by `,` when the head's sentence holds them all (a list cut by `;`
        # has an item per sentence: `能耗降低2.5%左右,生态环境质量持续改善` is one item)
        comma_item=forward_fill_in_run(pl.when(pl.col("clause").str.contains(TARGET_LIST_HEAD)).then(True),
                                       "doc_id", "sent_no").fill_null(False)
        & ~pl.col("clause").str.contains(TARGET_LIST_HEAD) & ~pl.col("runs_on"),
        # a bare `力争到2027年,` lends its start to the clause after it
        span_start=pl.when(after_bare & ~pl.col("clause").shift(1).str.contains(":$").fill_null(False))
        .then(pl.col("char_start").shift(1))
        .otherwise(pl.col("char_start")),
    ).drop("sent_first", "_forecast")
    # A target is under a commitment word (scope 1 or 2) or opens with its deadline (see the
    # filter of `targets`): the clause rules below run on those candidates alone.
    cands = clauses.filter(
        ~pl.col("bare") & ~pl.col("question") & ~pl.col("others") & _may_be_target()
    ).with_columns(
        # under `将`/`要` the deadline stands before the verb or right after `将于`
        deadline_leads=pl.col("masked").str.contains(f"(?:{DEADLINE})[^,;:]*(?:{WEAK_MARKER})")
        | pl.col("masked").str.contains(f"将(?:于|在|从)(?:{DEADLINE})"),
        plan_verb=pl.col("masked").str.contains(PLAN_VERB),
        # where the first setting verb ends: the target's quantity is the first figure after it
        verb_end=pl.col("clause").str.extract(f"^(.*?(?:{SETTING_VERB}))", 1).str.len_chars().cast(pl.Int32),
        head=pl.col("clause").str.contains(r":$"),
        plain=pl.col("clause").str.contains(PAST) | pl.col("clause").str.contains(ADJUNCT)
        | pl.col("clause").str.contains(COMPARISON_TAIL) | pl.col("clause").str.contains(NOT_COMMITMENT),
        marker_number=pl.col("unquoted").str.contains(MARKER_NUMBER),
    ).with_columns(
        weak_deadline=pl.when(pl.col("deadline_leads")).then(pl.col("deadline_text")).otherwise(bare_deadline),
    ).filter(~pl.col("head") & ~pl.col("plain"))
    cands = _quantities(cands, figures).with_columns(full=pl.col("clause").str.contains(FULL_COVERAGE))
    quantified = pl.col("value").is_not_null() | pl.col("full")
    goal_quantity = quantified & ~pl.col("marker_number")
    # under `将`/`要` alone the clause must state its own deadline: in `今年将A,B` only A commits
    targets = cands.filter(
        ~pl.col("clause").str.contains(SLOGAN)
    ).filter(
        ((pl.col("scope") == 2) & (pl.col("carried_deadline").is_not_null() | goal_quantity | pl.col("in_list")))
        # a quantified task of a year's task section: `建成县域快递物流中心44个`, `完成铁路投资8000亿元`,
        # and the quantity after it that shares its verb (`、公路水运投资1.8万亿元`); not a sentence
        # about a target (`5.5%左右的预期增长目标与...衔接`)
        | (pl.col("in_plan") & goal_quantity & (pl.col("clause").str.contains(TASK_QUANTITY) | pl.col("after_dun"))
           & ~pl.col("clause").str.contains(EFFECT) & ~pl.col("clause").str.contains("目标"))
        | ((pl.col("scope") == 1) & (pl.col("weak_deadline").is_not_null() | (goal_quantity & pl.col("set_by_verb")
                                                                              & ~pl.col("clause").str.contains(EFFECT))))
        | (pl.col("opens_with_deadline") & pl.col("plan_verb") & quantified)
    )
    targets = (
        _deadlines(targets, sentences, documents)
        # a deadline already past when the text was published reports history
        .filter(pl.col("deadline_year").is_null() | pl.col("ref_year").is_null()
                | (pl.col("deadline_year") >= pl.col("ref_year")))
    )
    targets = (
        _merge_continuations(targets)
        # (a target's sentence is one of the units in scope)
        .join(in_scope.select("doc_id", "sent_no", sent_text="text", sent_start="char_start"),
              on=["doc_id", "sent_no"], how="left")
        .with_columns(
            raw=pl.col("sent_text").str.slice(pl.col("span_start") - pl.col("sent_start"),
                                              pl.col("char_end") - pl.col("span_start")),
        )
        .with_columns(text=pl.col("raw").str.strip_chars_end(TRAILING_PUNCT))
        .with_columns(char_end=(pl.col("span_start") + pl.col("text").str.len_chars()).cast(pl.Int32))
        .sort("doc_id", "span_start")
    )
    full = pl.col("value").is_null() & pl.col("full")
    return targets.select(
        "doc_id",
        target_no=row_in_run("doc_id", start=1).cast(pl.Int32),
        sent_no=pl.col("sent_no").cast(pl.Int32),
        turn_no=pl.col("turn_no").cast(pl.Int32),
        speaker=pl.col("speaker").cast(pl.String),
        text="text",
        deadline_year="deadline_year",
        deadline_date="deadline_date",
        deadline_text=pl.col("carried_deadline"),
        value=pl.when(full).then(100.0).otherwise(pl.col("value")),
        value_high="value_high",
        unit=pl.when(full).then(pl.lit("%")).otherwise(pl.col("unit")),
        qualifier=pl.when(full).then(pl.lit("=")).otherwise(pl.col("qualifier")),
        char_start=pl.col("span_start").cast(pl.Int32),
        char_end="char_end",
    )
