"""Speakers, turns and people.

`attribute_speakers(paragraphs, documents)` finds the speaker labels that open
paragraphs (`金壮龙:`, `路透社记者:`, `问:`, `答:`, `主持人 寿小丽:`), groups the
paragraphs into turns, gives one-person speeches (a work report with its
`——在...会议上` line and `国务院总理 李强`) a single turn, attributes reported
speech (`国家统计局新闻发言人付凌晖表示`) to paragraphs without a turn, and lists
the people a document names (speakers, byline authors, photographers) with the
organisation and titles from where the document introduces them.
"""
from __future__ import annotations

import polars as pl

from transforms.runs import (
    cum_sum_in_run, first_in_run, forward_fill_in_run, last_in_run, prev_in_run, row_in_run,
)

# --- vocabularies ---------------------------------------------------------

# Titles of people who speak for no government body: scholars, company people,
# citizens. A reported speaker whose titles are all of these is `other`:
# `中国国际经济交流中心首席研究员张燕生表示`, `村民张建国说`.
NON_OFFICIAL_TITLES = [
    "研究员", "首席研究员", "副研究员", "高级研究员", "特约研究员", "教授", "副教授", "讲师", "博士",
    "院士", "学者", "专家", "经济学家", "首席经济学家", "首席科学家", "分析师", "首席分析师",
    "董事长", "副董事长", "总经理", "副总经理", "总裁", "副总裁", "经理", "创始人", "合伙人",
    "村民", "市民", "游客", "店主", "志愿者", "医生", "主任医师",
]
NON_OFFICIAL_ALT = "|".join(sorted(set(NON_OFFICIAL_TITLES), key=len, reverse=True))

# Official titles, longest first so `副部长` wins over `部长` at the same place.
TITLES = sorted([
    "新闻发言人", "发言人", "党组书记", "党组副书记", "党组成员", "党委书记", "党委副书记",
    "总工程师", "总经济师", "总会计师", "总规划师", "总师", "秘书长", "副秘书长",
    "部长", "副部长", "外交部长", "外长", "司长", "副司长", "局长", "副局长", "署长", "副署长",
    "主任", "副主任", "常务副主任", "省长", "副省长", "市长", "副市长", "区长", "县长",
    "自治区主席", "主席", "副主席", "总理", "副总理", "国务委员", "委员长", "副委员长",
    "书记", "副书记", "总书记", "行长", "副行长", "院长", "副院长", "厅长", "副厅长",
    "会长", "副会长", "理事长", "校长", "处长", "副处长",
    "政治局常委", "政治局委员", "中央委员", "委员",
    "一级巡视员", "二级巡视员", "巡视员", "大使", "总领事", "参赞",
    "主持人",
    *NON_OFFICIAL_TITLES,
], key=len, reverse=True)
TITLE_ALT = "|".join(TITLES)

# A person's name: 2-4 CJK characters, or a foreign name with `·` (`伊姆兰·汗`).
NAME = r"(?:\p{Han}+·[\p{Han}·]+|\p{Han}{2,4})"

# A speaker label at the start of a paragraph, up to its colon:
# `金壮龙:`, `《环球时报》记者:`, `主持人 寿小丽:`, `答:` (both colon widths), and a
# title chain with `、`: `国家发展改革委副秘书长、新闻发言人袁达:`.
LABEL = r"^\s*([^:：,，。;；!?！？“”\"()（）]{1,30}?)\s*[:：]"

# Labels that mean a reporter's question: `问:`, `追问:`, `会后有记者问及:`.
REPORTER_PLAIN = r"^(?:问|提问|又问|再问|追问|记者|记者追问|记者问|会后有记者问及|有记者问)$"
# An outlet's reporter: `路透社记者`, `中央广播电视总台央视记者`, `《环球时报》记者`.
REPORTER_OUTLET = r"^(.{1,20}?)记者(?:追问)?$"
# An outlet written without `记者`: `彭博社:`.
OUTLET_ONLY = r"^(\S{1,16}(?:社|电视台|广播公司|广播电台|日报|时报|新闻网|频道))$"
# The unnamed answer of a single-topic page: `答:`.
ANSWER = r"^答$"
# A host, named or not: `主持人 寿小丽`, `主持人`.
HOST = r"^主持人\s*(" + NAME + r")?$"
# A titled name as a label: `国务院新闻办新闻发言人寿小丽`.
TITLED_NAME = r"^.*?(?:" + TITLE_ALT + r")\s*(" + NAME + r")$"
# Words that stand before a colon but are not names: `同志们:`, `一是:`, `具体来说:`.
# Words inside a would-be name that show it is a verb phrase or a pronoun:
# `毛主席教导我们:`, `周总理强调指出`, `毛主席早就说过`, `按照毛主席指出的`.
NOT_NAME_PART = r"^(?:在|按照|正如|关于|多次|首先|再次|曾经|已经|向全|对此|同时)|上$|驻|日前|近日|当天|指出|强调|着重|特别|一再|早就|教导|表示|认为|说|曾|也|还|又|都|就|再|最近|严厉|明确|进一步|同志|我们|他们|你们"
# A surname with a title, not a name: `毛主席`, `周总理`.
SURNAME_TITLE = r"^\p{Han}(?:" + TITLE_ALT + r")"
NOT_A_NAME = (
    r"们$|^各位|^尊敬|来说$|而言$|如下$|^第|^其[中次]|^[一二三四五六七八九十]是$|^据|^比如$|^例如$|"
    r"^注$|^按$|^编者按$|^附件?$|^来源$|^地址$|^电话$|^时间$|^地点$|^主题$|^目标$|^原因$|^问题$|"
    r"^首先$|^最后$|^此外$|^另外$|^同时$|^因此$|^所以$|^但是$|^对此$|^总之$|^一方面$|^另一方面$|"
    r"[说是为有的了在道称]$"
)
# Either of the two: one pattern string everywhere, so polars compiles it once.
NOT_NAME = NOT_NAME_PART + "|" + NOT_A_NAME

# A person introduced with organisation and title chain right before the name:
# `工业和信息化部党组书记、部长金壮龙`, `并与工业和信息化部党组成员、副部长辛国斌`.
# The name group takes up to 3 characters (so `习近平复信老挝...总书记` leaves `复信`
# to the next introduction); the real name is matched by prefix.
def _intro_pattern(prefix: str, han: str, han_or_dot: str, gap: str = r"{0,16}?") -> str:
    """INTRO with its character classes given: the prefix before the first title
    (repetition included), a name character, a foreign name's character after `·`,
    and the repetition of name characters between a `、` and the chain's next title."""
    return (
        prefix + r"(?:" + TITLE_ALT + r")(?:、" + han + gap + r"(?:" + TITLE_ALT + r"))*\s*"
        r"(?:" + han + r"+·" + han_or_dot + r"+|" + han + r"{2,3})"
    )


INTRO = _intro_pattern(r"[\p{Han}()]{0,40}?", r"\p{Han}", r"[\p{Han}·]")
# INTRO matches only characters of this class, so each match lies inside one run of
# them; the runs holding a title (whole, greedy both sides) are all INTRO needs to scan:
# `中共中央政治局常委李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希出席会议` (cut at `,` `。` digits).
INTRO_CHARS = r"[\p{Han}()、·\s]"
INTRO_RUN = INTRO_CHARS + r"*(?:" + TITLE_ALT + r")" + INTRO_CHARS + r"*"
# INTRO inside such a run, where `[^、·\s]` is exactly `[\p{Han}()]` (the same matches;
# the small negated classes run several times faster than `\p{Han}`).
INTRO_IN_RUN = _intro_pattern(r"[^、·\s]{0,40}?", r"[^、·\s()]", r"[^、\s()]")
# Its bounds (the costly part) can go where they cannot bind. The prefix lies in one
# stretch of `[^、·\s]`, and a chain's gap after `、` in one stretch of `[^、·\s()]`, each
# up to the end of the title after it: a bound binds only in a run with a stretch longer
# than it, which INTRO_LONG_PREFIX and INTRO_LONG_GAP find (a run of at most
# INTRO_SHORT_RUN characters has none). Runs with neither use INTRO_IN_FREE_RUN (no
# bound: `国务院总理李强`, `中共中央政治局常委李强、赵乐际、王沪宁...` of 60 characters),
# runs with a long gap only INTRO_IN_SHORT_RUN (no prefix bound), the others INTRO_IN_RUN.
INTRO_SHORT_RUN = 40
INTRO_LONG_PREFIX = r"[^、·\s]{" + str(INTRO_SHORT_RUN + 1) + r"}"
INTRO_LONG_GAP = r"、[^、·\s()]{17}"
INTRO_IN_SHORT_RUN = _intro_pattern(r"[^、·\s]*?", r"[^、·\s()]", r"[^、\s()]")
INTRO_IN_FREE_RUN = _intro_pattern(r"[^、·\s]*?", r"[^、·\s()]", r"[^、\s()]", gap=r"*?")
# A 2-character name followed by the first character of a word, in a name
# candidate: `王毅表`(示), `王毅在`;
# otherwise the candidate's first 3 characters are the name (`李克强在` -> `李克强`).
NAME_THEN_WORD = r"^(\p{Han}{2})(?:[在就和与及等的说称答表介指主出接强认先女同会]$)"
# The chain is greedy so a foreign name does not take the chain's tail:
# `欧盟数据保护委员会主席安德烈娅·耶利内克` -> `...委员会主席` + `安德烈娅·耶利内克`.
INTRO_PARTS = r"^(.*(?:" + TITLE_ALT + r"))\s*(\p{Han}+·[\p{Han}·]+|\p{Han}{2,3})$"
# A date part, cut off so `2024年3月26日外交部发言人` gives `外交部`, not `日外交部`.
DATE_PART = r"[0-9]+(?:年|月|日|号)"
# Cutting the date parts only takes a date character off the start of a run (digits are
# not INTRO_CHARS, and no title holds 年月日号): a run found with the digit before it
# (INTRO_RUN_AFTER_DIGIT) loses that digit and a date character after it (DATE_HEAD),
# the same runs as INTRO_RUN in the text with DATE_PART cut, without rewriting the text.
INTRO_RUN_AFTER_DIGIT = r"[0-9]?" + INTRO_RUN
DATE_HEAD = r"^[0-9](?:年|月|日|号)?"
# A title in a chain, not the front of an organisation word: `委员` but not `委员会`,
# `书记` but not `书记处`, `主席` but not `主席团` (the next character is consumed).
CHAIN_TITLE = r"(?:" + TITLE_ALT + r")(?:[^会处团]|$)"
# Everything up to the last verb of the clause before an organisation:
# `记者就能源安全保供等问题专访了国家能源局` -> `国家能源局`, `周亮)商务部` -> `商务部`,
# `国新办举行发布会国家统计局` -> `国家统计局`.
CLAUSE_BEFORE_ORGANIZATION = (
    r"^.*(?:\)|专访了?|采访了?|访问了?|拜访了?|会见了?|举行了?|召开了?|出席了?|邀请了?|主持了?|陪同了?|"
    r"介绍了?|记者|的|致信|复信|致电|复电|贺电|会谈|会晤|发布会|记者会|会议上|大会上|上午|下午|今天|昨天|日前|近日)|^访"
)
# Function words in front of an organisation: `并与工业和信息化部` -> `工业和信息化部`,
# `新任外交部` -> `外交部`, `第五次会议上国务院` -> `国务院`.
LEADING_FUNCTION_WORDS = r"^.*?(?:会议|大会|會議|大會)上|^(?:并与|并和|以及|会同|陪同|邀请|出席|介绍|新任|前任|时任|现任|据|经|由|与|同|及|和|在|是|为|对|请|并)+"
# The organisation part ends in an institutional suffix: `工业和信息化部`, `国务院`, `国家统计局`.
ORGANIZATION = r"^(.*(?:部|委员会|委|局|办公室|办|署|院|行|会|厅|府|室|中心|集团|公司|协会|大学|社|台|所|处|司|政府|法院|检察院|中央))$"

# A speech's occasion line: `——2024年3月5日在第十四届全国人民代表大会第二次会议上`,
# `1957年6月26日在第一届全国人民代表大会第四次会議上`.
OCCASION = r"^(?:——)?.{0,40}在.{2,60}(?:会议|大会|會議|大會|论坛|典礼|仪式|开幕式|座谈会|报告会).{0,6}上.{0,6}$"
# The longest line OCCASION can match: 2 (`——`) + 40 + 1 (`在`) + 60 + 3 (the longest
# occasion word) + 6 + 1 (`上`) + 6 characters.
OCCASION_MAX_CHARS = 119
# The title that ends an occasion line when cleaning joined the two lines:
# `——2017年3月5日在第十二届全国人民代表大会第五次会议上国务院总理` -> `国务院总理`.
OCCASION_TITLE = r"上(\p{Han}{0,20}?(?:" + TITLE_ALT + r"))$"
# A title alone on its line under the occasion: `国务院总理`.
TITLE_ONLY_LINE = r"^\p{Han}{0,20}?(?:" + TITLE_ALT + r")$"
# The deliverer line under it: `国务院总理 李 强`, `习 近 平`, `周恩来`.
DELIVERER = r"^((?:\p{Han}{0,20}?(?:" + TITLE_ALT + r"))?)\s*(\p{Han}(?:\s*\p{Han}){1,3})$"
# A speech named in its title: `陈独秀在中国共产党第三次全国代表大会上的报告`.
TITLE_DELIVERER = r"^(?:\p{Han}{0,20}?(?:" + TITLE_ALT + r"))?(\p{Han}{2,3})在.{2,60}上的(?:报告|讲话|致辞|发言|政治报告|工作报告)"
# The spokesperson named in a title: `2024年3月26日外交部发言人林剑主持例行记者会`,
# `商务部新闻发言人何亚东答记者问`; not `外交部发言人就...答记者问`, which names no one
# (NOT_EVENT_SPEAKER). This is the one place titles give the event speaker, for
# every source format; a reader's own `event_speaker` is preferred when it set one.
TITLE_EVENT_SPEAKER = r"发言人([\p{Han}·]{2,4}?)(?:主持|答记者问)"
NOT_EVENT_SPEAKER = r"^(?:就|对|关于)"

# A foreign name with `·`, each part short: `伊姆兰·汗`, `法提赫·比罗尔`.
FOREIGN_NAME = r"\p{Han}{1,6}(?:·\p{Han}{1,6}?){1,3}"
# Between a reported speaker and the verb: `日前`, `在发布会上`, `11日在欧盟外长会上`.
SPEECH_SETTING = r"(?:日前|近日|当天|同日|随后|此前|此后|还|也|则)?(?:[0-9]{1,2}日)?(?:在[^,。;:]{0,30}?)?"
# Reported speech: `国家统计局新闻发言人付凌晖表示`, `付凌晖在发布会上介绍`.
SPEECH_VERB = r"(?:表示|指出|强调|认为|透露|坦言|回应|称|说|告诉记者|介绍说?[,:])"
REPORTED_TITLED = (
    r"(?:" + TITLE_ALT + r")(" + FOREIGN_NAME + r"|\p{Han}{2,3}?)" + SPEECH_SETTING + SPEECH_VERB
)
# `周恩来总理强调指出`, `李强总理表示`: name then title, at a clause start.
REPORTED_NAME_TITLE = (
    r"(?:^|[,。;:“”])(\p{Han}{2,3}?)(?:" + TITLE_ALT + r")" + SPEECH_SETTING + SPEECH_VERB
)
# `周总理说`, `李总理强调`: surname and title, resolved to the full name the document
# introduces with that title (`国务院总理周恩来`).
REPORTED_SURNAME_TITLE = (
    r"(?:^|[,。;:“”])(\p{Han}(?:" + TITLE_ALT + r"))" + SPEECH_SETTING + SPEECH_VERB
)
REPORTED_BARE = r"^(" + FOREIGN_NAME + r"|\p{Han}{2,3}?)" + SPEECH_SETTING + SPEECH_VERB
# `他说`, `她表示` carry on the last reported speaker.
PRONOUN_SPEECH = r"^(?:他|她)(?:还|又|进一步|同时|最后)?" + SPEECH_VERB

# Bylines and photo credits: `本报记者 齐旭`, `张鹏摄`, `(新华社记者 李明 摄)` (title `新华社记者`).
BYLINE_TITLE = r"(?:记者|通讯员|编辑|特约撰稿人|评论员)$"
PHOTO_CREDIT = r"^((?:\S*?(?:记者|通讯员|摄影师))?)\s*(\p{Han}{2,4}(?:[、\s]+\p{Han}{2,4})*)\s*摄(?:影)?$"

ROLE_PRIORITY = {"official": 0, "host": 1, "other": 2, "reporter": 3, "author": 4, "photographer": 5}

TURN_SCHEMA = {
    "doc_id": pl.String, "turn_no": pl.Int32, "speaker": pl.String, "speaker_role": pl.String,
    "outlet": pl.String, "label": pl.String, "para_start": pl.Int32, "para_end": pl.Int32,
}
PEOPLE_SCHEMA = {
    "doc_id": pl.String, "name": pl.String, "role": pl.String, "organization": pl.String,
    "titles": pl.List(pl.String),
}


def attribute_speakers(
    paragraphs: pl.DataFrame, documents: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """paragraphs + documents -> (paragraphs with turn_no, speaker, speaker_role; turns; people)."""
    docs = _document_facts(documents)
    # The order keeps compiled patterns in use: polars keeps the last 32 patterns it
    # compiled (about 1 ms each for the long ones), and the introductions before a
    # document's first label (_lead_official, first in _turns_of_paragraphs) reuse those
    # of `introductions` as long as nothing else is compiled in between. So labels are
    # classified before, and their evidence (no pattern) is weighed after.
    paras = _label_candidates(paragraphs, docs)
    intros = introductions(docs)
    paras = _labelled_paragraphs(paras, intros)
    paras = _turns_of_paragraphs(paras, docs)
    paras = _reported_speech(paras, intros)
    paras = _roles_by_titles(paras, intros)
    turns = _turns_frame(paras)
    people = people_of_documents(paras, turns, docs, intros)
    out = paras.select(
        *paragraphs.columns,
        turn_no=pl.col("turn_no").cast(pl.Int32),
        speaker=pl.col("speaker"),
        speaker_role=pl.col("speaker_role"),
    )
    return out, turns, people


def _run(query: pl.LazyFrame) -> pl.DataFrame:
    """A chain of frame operations run as one query, as written (no optimisation: the
    same operations as the eager chain). Each eager operation is a query of its own,
    about 0.1 ms, which on a batch of a few hundred documents adds up to more than the work."""
    return query.collect(engine="in-memory", optimizations=pl.QueryOptFlags.none())


def _run_on(frame: pl.DataFrame, query: pl.LazyFrame) -> pl.DataFrame:
    """_run(query) for a query on `frame`; on an empty frame only the result's schema is
    worked out, since polars compiles a query's patterns even for no rows (about 1 ms each)."""
    if frame.is_empty():
        return pl.DataFrame(schema=query.collect_schema())
    return _run(query)


def _on_rows(frame: pl.DataFrame, rows: pl.Expr, **columns: pl.Expr) -> pl.DataFrame:
    """`frame` with `columns` computed only on the rows where `rows` holds, null on the
    others: a costly pattern runs only on the rows that can match it or whose value is
    used (gathered, then scattered back). The expressions must be row-wise (no window,
    shift or aggregation)."""
    idx = frame.select(pl.arg_where(rows)).to_series()
    part = frame[idx]
    part = _run_on(part, part.lazy().select(**columns))
    return frame.with_columns(
        pl.repeat(None, frame.height, dtype=part.schema[c], eager=True).scatter(idx, part[c]).alias(c)
        for c in part.columns
    )


def _document_facts(documents: pl.DataFrame) -> pl.DataFrame:
    """The document columns speakers need, with the spokesperson from the title as a fallback."""
    cols = {c: documents[c] for c in ("doc_id", "clean_text", "title", "event_speaker", "byline", "layout_lines")
            if c in documents.columns}
    docs = pl.DataFrame(cols)
    for c, dtype in (("title", pl.String), ("event_speaker", pl.String), ("byline", pl.String),
                     ("layout_lines", pl.List(pl.String)), ("clean_text", pl.String)):
        if c not in docs.columns:
            docs = docs.with_columns(pl.lit(None, dtype=dtype).alias(c))
    return docs.with_columns(
        event_speaker=pl.coalesce(
            pl.col("event_speaker").str.replace_all(r"\s", ""),
            pl.col("title").str.extract(TITLE_EVENT_SPEAKER, 1).pipe(
                lambda name: pl.when(~name.str.contains(NOT_EVENT_SPEAKER)).then(name)),
        )
    )


def introductions(docs: pl.DataFrame) -> pl.DataFrame:
    """Every `organisation + title chain + name` in each document's title and text, in order:
    doc_id, intro_no, name_cand (name plus a following character when the name is short),
    organization, titles, full_name (the name in name_cand)."""
    return _introductions_in(docs.select(
        "doc_id", text=pl.concat_str(pl.col("title").fill_null(""), pl.col("clean_text").fill_null(""), separator="\n")))


def _introductions_in(texts: pl.DataFrame) -> pl.DataFrame:
    """introductions() of any (doc_id, text) frame (one row per document)."""
    matches = intro_matches(texts)
    # The same introduction recurs across paragraphs and documents (`国务院总理李强`):
    # each distinct one is taken apart once and joined back.
    parts = _run(
        matches.lazy().select(pl.col("intro").unique())
        .with_columns(parts=pl.col("intro").str.extract_groups(INTRO_PARTS))  # one pass for both groups
        .select("intro", chain=pl.col("parts").struct.field("1"), name_cand=pl.col("parts").struct.field("2"))
        .drop_nulls("chain")
        .with_columns(**_chain_parts(pl.col("chain")), full_name=_name_of_candidate(pl.col("name_cand")))
    )
    return _run(
        # a document's matches are contiguous, exploded from its one row: intro_no counts down the run
        matches.lazy().with_columns(intro_no=row_in_run("doc_id"))
        .join(parts.lazy(), on="intro", how="inner", maintain_order="left")
        .select("doc_id", "intro_no", "name_cand", "organization", "titles", "full_name")
    )


def intro_matches(texts: pl.DataFrame) -> pl.DataFrame:
    """doc_id, intro: every INTRO match in each (doc_id, text), dates cut, in text order
    (the same rows as `extract_all(INTRO)` over the whole text, found in INTRO_RUNs)."""
    runs = _run(
        texts.lazy()
        .select("doc_id", run=pl.col("text").str.extract_all(INTRO_RUN_AFTER_DIGIT))
        .explode("run")
        .with_columns(run=pl.col("run").str.replace(DATE_HEAD, ""))
    )
    # Runs recur (`国务院总理李强出席会议`): INTRO runs once per distinct run, joined back in order.
    found = _introductions_in_runs(_run(runs.lazy().select(pl.col("run").unique()).drop_nulls()))
    return _run(
        runs.lazy()
        .join(found.lazy(), on="run", how="inner", maintain_order="left")
        .select("doc_id", "intro")
        .explode("intro")
        .drop_nulls("intro")
    )


def _introductions_in_runs(runs: pl.DataFrame) -> pl.DataFrame:
    """run, intro (list): INTRO's matches in each run (INTRO_RUN) of `runs` (run), with the
    bounds only where they can bind: runs without a long prefix stretch drop the prefix
    bound (INTRO_IN_SHORT_RUN), and the gap bound too without a long gap (INTRO_IN_FREE_RUN)."""
    pattern = {0: INTRO_IN_FREE_RUN, 1: INTRO_IN_SHORT_RUN, 2: INTRO_IN_RUN}
    tiers = runs.with_columns(
        tier=pl.when(pl.col("run").str.contains(INTRO_LONG_PREFIX)).then(2)
        .when(pl.col("run").str.contains(INTRO_LONG_GAP)).then(1)
        .otherwise(0)
    ).partition_by("tier", as_dict=True, include_key=False)
    # a tier without runs compiles no pattern
    found = [part.select("run", intro=pl.col("run").str.extract_all(pattern[tier])) for (tier,), part in tiers.items()]
    return pl.concat(found) if found else pl.DataFrame(schema={"run": pl.String, "intro": pl.List(pl.String)})


def _chain_parts(chain: pl.Expr) -> dict[str, pl.Expr]:
    """`工业和信息化部党组书记、部长` -> organization `工业和信息化部`, titles [`党组书记`, `部长`]."""
    return {
        "titles": chain.str.extract_all(CHAIN_TITLE).list.eval(pl.element().str.extract("^(" + TITLE_ALT + ")", 1)),
        "organization": chain.str.extract("^(.*?)" + CHAIN_TITLE, 1)
        .str.replace(CLAUSE_BEFORE_ORGANIZATION, "")
        .str.replace(LEADING_FUNCTION_WORDS, "")
        .str.extract(ORGANIZATION, 1),
    }


def _name_of_candidate(cand: pl.Expr) -> pl.Expr:
    """The name in an introduction's name candidate: `王毅表示` -> `王毅`, `张建平接` -> `张建平`."""
    return pl.coalesce(cand.str.extract(NAME_THEN_WORD, 1), cand.str.extract(r"^(\p{Han}{2,3})", 1),
                       cand.str.extract("^(" + FOREIGN_NAME + ")", 1))


def _lead_official(paras: pl.DataFrame, doc_ids: pl.DataFrame) -> pl.DataFrame:
    """doc_id, lead_official: the one person the text introduces before its first
    label (`——访国家能源局党组成员、副局长 张建平`), who answers its `答:` paragraphs;
    found only for the documents of `doc_ids` (doc_id)."""
    first_label = (
        paras.lazy().filter(pl.col("label_kind").is_not_null())
        .group_by("doc_id").agg(first_label=pl.col("para_no").min())
        .join(doc_ids.lazy(), on="doc_id", how="semi")
    )
    lead = _run(
        paras.lazy().join(first_label, on="doc_id")
        .filter(pl.col("para_no") < pl.col("first_label"))
        .group_by("doc_id")
        .agg(text=pl.col("text").str.join("\n"))
    )
    if lead.is_empty():  # nothing to read (and no pattern to compile)
        return pl.DataFrame(schema={"doc_id": pl.String, "lead_official": pl.String})
    return _run(
        _introductions_in(lead).lazy()
        .filter(~pl.col("full_name").str.contains(NOT_NAME))
        .group_by("doc_id")
        .agg(names=pl.col("full_name").unique())
        .filter(pl.col("names").list.len() == 1)
        .select("doc_id", lead_official=pl.col("names").list.first())
    )


def _introduced(names: pl.DataFrame, intros: pl.DataFrame, name_col: str) -> pl.DataFrame:
    """For rows of `names` (doc_id, <name_col>), the first introduction of that name
    that names an organisation (`国家统计局副局长、新闻发言人盛来运` over an earlier
    `新闻发言人盛来运`), else its first introduction."""
    return _run_on(names, (
        names.lazy().select("doc_id", name_col).drop_nulls().unique()
        .join(intros.lazy(), on="doc_id", how="inner")
        .filter(pl.col("name_cand").str.starts_with(pl.col(name_col)))
        .sort("doc_id", pl.col("organization").is_null(), "intro_no")
        .group_by("doc_id", name_col, maintain_order=True)
        .first()
        .select("doc_id", name_col, "organization", "titles", introduced=pl.lit(True))
    ))


def _in_text_order(paragraphs: pl.DataFrame) -> pl.DataFrame:
    """`paragraphs` sorted by doc_id, para_no. Where each document's rows come together
    and in para_no order (as segmenting gives them), sorting the documents' runs of rows
    by doc_id gives that order at a third of the cost of the two-key sort, used otherwise."""
    starts = first_in_run("doc_id")
    in_order = paragraphs.select(
        (starts | (pl.col("para_no") > pl.col("para_no").shift(1)).fill_null(False)).all()
        & (starts.sum() == pl.col("doc_id").n_unique())
    ).item()
    if not in_order:
        return paragraphs.sort("doc_id", "para_no")
    rows = _run(
        paragraphs.lazy().with_row_index("start").filter(starts)
        .with_columns(end=pl.col("start").shift(-1).fill_null(paragraphs.height))
        .sort("doc_id")
        .select(row=pl.int_ranges("start", "end"))
        .explode("row")
    )
    return paragraphs[rows["row"]]


def _label_candidates(paragraphs: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """Paragraphs in text order with the label (if any) opening each: label_cand, its
    label_kind before the evidence for bare names, outlet, cand_speaker (the speaker it
    names), and the document's event_speaker."""
    cand, kind = pl.col("label_cand"), pl.col("label_kind")
    # LABEL ends in a colon: it runs only on the paragraphs that hold one. The label is
    # its whole match (found without the slower capture) less the colon: the whitespace
    # around group 1 goes with the strip.
    p = _on_rows(
        _in_text_order(paragraphs),
        ~pl.col("is_heading") & pl.col("text").str.contains("[:：]"),
        label_cand=pl.col("text").str.extract_all(LABEL).list.first().str.head(-1)
        .str.replace_all(r"\s+", " ").str.strip_chars(),
    )
    # Labels recur (`问`, `答`, a speaker's name): each distinct label is classified once,
    # with the speaker it names (cand_speaker) and its outlet, and joined back.
    kinds = _run(
        p.lazy().select(cand.unique()).drop_nulls()
        .with_columns(
            label_kind=pl.when(cand.str.contains(REPORTER_PLAIN)).then(pl.lit("reporter"))
            .when(cand.str.contains(REPORTER_OUTLET)).then(pl.lit("reporter"))
            .when(cand.str.contains(ANSWER)).then(pl.lit("answer"))
            .when(cand.str.contains(HOST)).then(pl.lit("host"))
            .when(cand.str.contains(OUTLET_ONLY)).then(pl.lit("reporter"))
            .when(
                cand.str.contains(TITLED_NAME) & ~cand.str.contains(SURNAME_TITLE)
                & ~cand.str.extract(TITLED_NAME, 1).str.contains(NOT_NAME)
            ).then(pl.lit("titled"))
            .when(cand.str.contains("^" + NAME + "$") & ~cand.str.contains(NOT_NAME))
            .then(pl.lit("name")),
            outlet=pl.coalesce(
                cand.str.extract(REPORTER_OUTLET, 1), cand.str.extract(OUTLET_ONLY, 1)
            ).str.replace_all(r"[《》]", "").str.strip_chars(),
        )
        .with_columns(
            cand_speaker=pl.when(kind == "reporter").then(pl.lit("记者"))
            .when(kind == "host").then(pl.coalesce(cand.str.extract(HOST, 1), pl.lit("主持人")))
            .when(kind == "titled").then(cand.str.extract(TITLED_NAME, 1))
            .when(kind == "name").then(cand),
        )
    )
    return _run(
        p.lazy()
        .join(docs.lazy().select("doc_id", "event_speaker"), on="doc_id", how="left", maintain_order="left")
        .join(kinds.lazy(), on="label_cand", how="left", maintain_order="left")
    )


def _labelled_paragraphs(p: pl.DataFrame, intros: pl.DataFrame) -> pl.DataFrame:
    """Classify the label (if any) opening each paragraph of _label_candidates: label,
    label_kind, label_speaker, label_role, outlet."""
    cand, kind = pl.col("label_cand"), pl.col("label_kind")
    # A bare name is a label only with evidence: it is the event's speaker, the
    # document introduces it with a title, or it opens several paragraphs of a
    # dialogue (one with reporter, host or answer labels; `原煤:` items of a list are not).
    # All of it holds per document and name: decided once per (doc_id, label_cand).
    named = _run(
        p.lazy().filter(kind == "name")
        .group_by("doc_id", "label_cand")
        .agg(repeats=pl.len(), event_speaker=pl.col("event_speaker").first())
    )
    known = _introduced(named, intros, "label_cand").select("doc_id", "label_cand", "introduced")
    dialogue = p.lazy().filter(kind.is_in(["reporter", "host", "answer"])).select("doc_id").unique().with_columns(
        dialogue=pl.lit(True))
    evidence = (
        named.lazy()
        .join(known.lazy(), on=["doc_id", "label_cand"], how="left")
        .join(dialogue, on="doc_id", how="left")
        .select(
            "doc_id", "label_cand",
            name_official=pl.col("introduced").fill_null(False) | (cand == pl.col("event_speaker")).fill_null(False),
            name_ok=(pl.col("repeats") >= 2) & pl.col("dialogue").fill_null(False),
        )
        .with_columns(name_ok=pl.col("name_ok") | pl.col("name_official"))
    )
    return _run(
        p.lazy()
        .join(evidence, on=["doc_id", "label_cand"], how="left", maintain_order="left")
        .with_columns(label_kind=pl.when((kind == "name") & ~pl.col("name_ok")).then(None).otherwise(kind))
        .with_columns(
            label=pl.when(kind.is_not_null()).then(cand),
            label_speaker=pl.when(kind.is_not_null()).then(pl.col("cand_speaker")),
            label_role=pl.when(kind == "reporter").then(pl.lit("reporter"))
            .when(kind == "host").then(pl.lit("host"))
            .when(kind.is_in(["answer", "titled"])).then(pl.lit("official"))
            .when(kind == "name")
            .then(pl.when(pl.col("name_official")).then(pl.lit("official")).otherwise(pl.lit("other"))),
        )
        .drop("cand_speaker", "name_official", "name_ok", "label_cand")
    )


def _speech_deliverers(paras: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """doc_id, deliverer, deliverer_line (para_no of the name line, or 0) for
    one-person speeches: an occasion line followed by the deliverer's line, or a
    title `X在...上的报告`."""
    early = paras.filter(pl.col("para_no") <= 12)
    compact = pl.col("text").str.replace_all(r"\s+", " ").str.strip_chars()
    # `在` and `上` stand in every OCCASION, which fits in OCCASION_MAX_CHARS and ends in
    # `上` and at most 6 more characters: the compact text and the costly pattern are
    # computed on those lines only
    occasion_lines = _run(
        early.lazy()
        .filter(pl.col("text").str.contains("在", literal=True) & pl.col("text").str.contains("上", literal=True))
        .with_columns(compact=compact)
        .filter((pl.col("compact").str.len_chars() <= OCCASION_MAX_CHARS)
                & pl.col("compact").str.tail(7).str.contains("上", literal=True))
        .filter(pl.col("compact").str.contains(OCCASION))
    )
    occasion = _run_on(occasion_lines, occasion_lines.lazy().group_by("doc_id").agg(
        occasion_no=pl.col("para_no").first(),
        occasion_chain=pl.col("compact").str.extract(OCCASION_TITLE, 1).first(),
    ))
    # The (up to 4) lines under the occasion, the only ones read further.
    near = _run(
        early.lazy().join(occasion.lazy().select("doc_id", "occasion_no"), on="doc_id", maintain_order="left")
        .filter((pl.col("para_no") > pl.col("occasion_no")) & (pl.col("para_no") <= pl.col("occasion_no") + 4))
        .with_columns(compact=compact)
    )
    # The title on a line of its own between the occasion and the name: `国务院总理` / `李　强`.
    title_line = _run_on(near, near.lazy().filter(
        (pl.col("para_no") <= pl.col("occasion_no") + 3) & pl.col("compact").str.contains(TITLE_ONLY_LINE)
    ).group_by("doc_id").agg(line_chain=pl.col("compact").first()))
    occasion = (
        occasion.lazy().join(title_line.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(occasion_chain=pl.coalesce("occasion_chain", "line_chain")).drop("line_chain")
    )
    lines = _run_on(near, (
        near.lazy().filter(pl.col("compact").str.len_chars() <= 24)
        .join(occasion.select("doc_id", "occasion_chain"), on="doc_id", how="left", maintain_order="left")
        .with_columns(
            titled=pl.col("compact").str.extract(DELIVERER, 1).fill_null(""),
            who=pl.col("compact").str.extract(DELIVERER, 2).str.replace_all(r"\s", ""),
        )
        .filter(pl.col("who").is_not_null() & ~pl.col("who").str.contains(NOT_A_NAME))
        .group_by("doc_id")
        .agg(deliverer=pl.col("who").first(), deliverer_line=pl.col("para_no").first(),
             deliverer_chain=pl.coalesce(
                 pl.when(pl.col("titled") != "").then(pl.col("titled")), pl.col("occasion_chain")).first())
    ))
    # `上的` stands in every TITLE_DELIVERER
    titles = docs.filter(pl.col("title").str.contains("上的", literal=True))
    from_title = _run_on(titles, titles.lazy().select(
        "doc_id", title_deliverer=pl.col("title").str.extract(TITLE_DELIVERER, 1)
    ).drop_nulls("title_deliverer"))
    return _run(
        docs.lazy().select("doc_id")
        .join(lines.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(from_title.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(
            deliverer=pl.coalesce("deliverer", "title_deliverer"),
            deliverer_line=pl.col("deliverer_line").fill_null(0),
        )
        .drop_nulls("deliverer")
        .select("doc_id", "deliverer", "deliverer_line", "deliverer_chain")
    )


def _turns_of_paragraphs(paras: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    """Assign turn_no, speaker, speaker_role (and the turn's label, outlet) to paragraphs."""
    by_doc = ["doc_id"]
    # The official who answers: the event's speaker, else the sole named official
    # label, else the one person introduced before the first label.
    sole = _run(
        paras.lazy().filter(pl.col("label_kind").is_in(["name", "titled"]) & (pl.col("label_role") == "official"))
        .group_by("doc_id")
        .agg(officials=pl.col("label_speaker").unique())
        .filter(pl.col("officials").list.len() == 1)
        .select("doc_id", sole_official=pl.col("officials").list.first())
    )
    # the lead official is needed only where there is neither an event speaker nor a sole official
    lead = _lead_official(paras, _run(
        docs.lazy().filter(pl.col("event_speaker").is_null()).select("doc_id")
        .join(sole.lazy(), on="doc_id", how="anti")
    ))
    p = _run(
        paras.lazy()
        .join(_speech_deliverers(paras, docs).lazy(), on="doc_id", how="left", maintain_order="left")
        .join(sole.lazy(), on="doc_id", how="left", maintain_order="left")
        .join(lead.lazy(), on="doc_id", how="left", maintain_order="left")
        .with_columns(answerer=pl.coalesce("event_speaker", "sole_official", "lead_official"))
    )
    is_label = pl.col("label_kind").is_not_null()
    # `彭博社记者:...?` followed by an unlabelled paragraph: the official's answer (MFA file 768).
    # Whether a paragraph ends in a question matters only on reporter labels.
    p = _on_rows(p, pl.col("label_kind") == "reporter",
                 reporter_question=pl.col("text").str.strip_chars().str.contains(r"[?？]$"))
    p = _run(
        p.lazy()
        .with_columns(
            unl=~is_label & ~pl.col("is_heading") & pl.col("answerer").is_not_null()
            & prev_in_run(pl.col("reporter_question"), *by_doc).fill_null(False),
        )
        .with_columns(seg=cum_sum_in_run((is_label | pl.col("unl")).cast(pl.Int32), *by_doc))
        # an unlabelled answer follows a label, so a document has a label where it has a
        # segment: its last row's seg > 0, broadcast back over the document (no window)
        .with_columns(any_label=pl.when(last_in_run(*by_doc)).then(pl.col("seg")).backward_fill() > 0)
        # Before the first label: the event speaker's opening remarks; with no label at
        # all: the whole text is the speech of its deliverer or event speaker.
        .with_columns(
            opener=pl.when(pl.col("any_label")).then(pl.col("event_speaker")).otherwise(
                pl.coalesce("deliverer", "event_speaker")
            )
        )
    )
    # Headings and separator lines (`*****`) belong to no turn: whether a paragraph is
    # speech matters only in a turn or in an opening (seg 0 with an opener).
    p = _on_rows(
        p, ~pl.col("is_heading") & ((pl.col("seg") > 0) | pl.col("opener").is_not_null()),
        speech=pl.col("text").str.contains(r"[\p{Han}A-Za-z0-9]"),
    )
    opener, in_opening = pl.col("opener"), pl.col("in_opening")
    # Segment-level facts come from the segment's first paragraph (rows are in text
    # order, so a segment is a run of rows: its first row's value, gathered, no window).
    row = pl.int_range(pl.len())
    starts_segment = pl.any_horizontal([pl.col(k).ne_missing(pl.col(k).shift(1)) for k in (*by_doc, "seg")])
    first = lambda c: pl.col(c).gather(pl.col("seg_row"))  # noqa: E731
    seg_speaker = pl.when(first("unl")).then(pl.col("answerer")).when(first("label_kind") == "answer").then(
        pl.col("answerer")).otherwise(first("label_speaker"))
    seg_role = pl.when(first("unl")).then(pl.lit("official")).otherwise(first("label_role"))
    return _run(
        p.lazy()
        .with_columns(speech=pl.col("speech").fill_null(False))
        .with_columns(
            in_opening=(pl.col("seg") == 0) & pl.col("speech") & pl.col("opener").is_not_null() & (
                pl.col("para_no") > pl.col("deliverer_line").fill_null(0)
            )
        )
        .with_columns(seg_row=pl.when(starts_segment).then(row).forward_fill())
        .with_columns(
            turn_key=pl.when(in_opening).then(pl.lit(0))
            .when((pl.col("seg") > 0) & pl.col("speech")).then(pl.col("seg")),
            speaker=pl.when(in_opening).then(opener).when(pl.col("seg") > 0).then(seg_speaker),
            speaker_role=pl.when(in_opening).then(pl.lit("official")).when(pl.col("seg") > 0).then(seg_role),
            turn_label=pl.when(pl.col("seg") > 0).then(first("label")),
            turn_outlet=pl.when(pl.col("seg") > 0).then(first("outlet")),
        )
        .with_columns(
            turn_no=pl.col("turn_key").rank("dense").over(by_doc).cast(pl.Int32),
            speaker=pl.when(pl.col("turn_key").is_not_null()).then(pl.col("speaker")),
            speaker_role=pl.when(pl.col("turn_key").is_not_null()).then(pl.col("speaker_role")),
        )
        .drop("seg_row")
    )


def _surname_titles(intros: pl.DataFrame) -> pl.LazyFrame:
    """doc_id, surname_title (`周总理`), full_name (`周恩来`): each surname+title
    that only one introduced person of the document can be (a query)."""
    return (
        intros.lazy().explode("titles")
        .drop_nulls("titles")
        .select("doc_id", "full_name", surname_title=pl.col("full_name").str.slice(0, 1) + pl.col("titles"))
        .unique()
        .filter(pl.len().over("doc_id", "surname_title") == 1)
    )


def _reported_speech(paras: pl.DataFrame, intros: pl.DataFrame) -> pl.DataFrame:
    """Outside turns: `国家统计局新闻发言人付凌晖表示` (or a bare name the document
    introduces, at the paragraph's start) makes that person the paragraph's speaker;
    a following `他说`/`她表示` paragraph keeps them."""
    outside = pl.col("turn_no").is_null() & ~pl.col("is_heading")
    # Every reported-speech pattern (PRONOUN_SPEECH too) ends in a SPEECH_VERB: the speaker
    # is found only in the paragraphs outside turns that have one, and joined back by row.
    paras = paras.with_row_index("row")
    speech = _run(
        paras.lazy().select("row", "doc_id", "text", outside=outside)
        .filter("outside")
        .filter(pl.col("text").str.contains(SPEECH_VERB))
        .with_columns(
            rs_titled=pl.coalesce(pl.col("text").str.extract(REPORTED_TITLED, 1),
                                  pl.col("text").str.extract(REPORTED_NAME_TITLE, 1)),
            rs_bare=pl.col("text").str.extract(REPORTED_BARE, 1),
            surname_title=pl.col("text").str.extract(REPORTED_SURNAME_TITLE, 1),
        )
    )
    known = _introduced(speech, intros, "rs_bare").lazy().select("doc_id", "rs_bare", bare_known="introduced")
    speech = (
        speech.lazy()
        .join(known, on=["doc_id", "rs_bare"], how="left", maintain_order="left")
        .join(_surname_titles(intros), on=["doc_id", "surname_title"], how="left", maintain_order="left")
        .with_columns(
            rs=pl.coalesce(pl.col("rs_titled"), pl.when(pl.col("bare_known")).then(pl.col("rs_bare")),
                           pl.col("full_name")),
        )
        .select(
            "row",
            rs=pl.when(~pl.col("rs").str.contains(NOT_NAME)).then(pl.col("rs")),
            pronoun=pl.col("text").str.contains(PRONOUN_SPEECH),
        )
    )
    # Carry the speaker through `他说` paragraphs; any other paragraph breaks the chain.
    carried = (
        pl.when(pl.col("rs").is_not_null()).then(pl.col("rs"))
        .when(pl.col("pronoun")).then(None)
        .otherwise(pl.lit(""))
        .pipe(forward_fill_in_run, "doc_id")  # a document's paragraphs are contiguous, in order
    )
    return _run(
        paras.lazy().join(speech, on="row", how="left", maintain_order="left").drop("row")
        .with_columns(reported=pl.when(outside).then(carried))
        .with_columns(reported=pl.when(pl.col("reported") != "").then(pl.col("reported")))
        .with_columns(
            speaker=pl.coalesce("speaker", "reported"),
            speaker_role=pl.coalesce(
                "speaker_role", pl.when(pl.col("reported").is_not_null()).then(pl.lit("official"))
            ),
        )
    )


def _roles_by_titles(paras: pl.DataFrame, intros: pl.DataFrame) -> pl.DataFrame:
    """An `official` speaker whose introduced titles are all non-official
    (`研究员`, `董事长`, `村民`), or a foreign name with no title, is `other`."""
    speakers = paras.filter(pl.col("speaker_role") == "official").select("doc_id", "speaker")
    titled = _introduced(speakers, intros, "speaker").lazy().select("doc_id", "speaker", "titles")
    others = (
        speakers.lazy().unique()
        .join(titled, on=["doc_id", "speaker"], how="left", maintain_order="left")
        .with_columns(titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .filter(
            pl.when(pl.col("titles").list.len() > 0)
            .then(pl.col("titles").list.eval(pl.element().str.contains("^(?:" + NON_OFFICIAL_ALT + ")$")).list.all())
            .otherwise(pl.col("speaker").str.contains("·"))
        )
        .select("doc_id", "speaker", non_official=pl.lit(True))
    )
    return _run(
        paras.lazy().join(others, on=["doc_id", "speaker"], how="left", maintain_order="left")
        .with_columns(speaker_role=pl.when(pl.col("non_official").fill_null(False) & (pl.col("speaker_role") == "official"))
                      .then(pl.lit("other")).otherwise(pl.col("speaker_role")))
        .drop("non_official")
    )


def _turns_frame(paras: pl.DataFrame) -> pl.DataFrame:
    """One row per turn: its first paragraph's speaker, role, outlet and label, its
    first and last para_no. Paragraphs are in text order and turn_no never decreases
    down a document, so a turn's paragraphs (those with a turn_no) are one run of rows,
    in (doc_id, turn_no) order: its first row, with the last row's para_no (no grouping)."""
    return _run(
        paras.lazy().filter(pl.col("turn_no").is_not_null())
        .with_columns(para_end=pl.when(last_in_run("doc_id", "turn_no")).then(pl.col("para_no")).backward_fill())
        .filter(first_in_run("doc_id", "turn_no"))
        .select(
            "doc_id", "turn_no", "speaker", "speaker_role", outlet="turn_outlet", label="turn_label",
            para_start="para_no", para_end="para_end",
        )
        .select([pl.col(c).cast(t) for c, t in TURN_SCHEMA.items()])
    )


def people_of_documents(
    paras: pl.DataFrame, turns: pl.DataFrame, docs: pl.DataFrame, intros: pl.DataFrame
) -> pl.DataFrame:
    """One row per person per document: speakers (with their introduction),
    byline authors, photographers."""
    not_person = ["记者", "主持人"]
    speakers = _run(pl.concat([
        turns.lazy().select("doc_id", name="speaker", role="speaker_role"),
        paras.lazy().filter(pl.col("turn_no").is_null()).select("doc_id", name="speaker", role="speaker_role"),
    ]).drop_nulls("name").filter(~pl.col("name").is_in(not_person)).unique())
    introduced = _introduced(speakers, intros, "name").lazy().drop("introduced")
    # A speech's deliverer is introduced on the line under its occasion: `国务院总理 李 强`.
    delivered = (
        paras.lazy().filter(pl.col("deliverer_chain").fill_null("") != "")
        .select("doc_id", name="deliverer", chain="deliverer_chain")
        .unique(["doc_id", "name"])
        .select("doc_id", "name", **_chain_parts(pl.col("chain")))
    )
    speakers = speakers.lazy().join(
        pl.concat([delivered, introduced.select("doc_id", "name", "titles", "organization")])
        .unique(["doc_id", "name"], keep="first", maintain_order=True),
        on=["doc_id", "name"], how="left",
    )

    authors = (
        docs.lazy().select("doc_id", part=pl.col("byline").str.split(" "))
        .explode("part")
        .with_columns(part=pl.col("part").str.strip_chars())
        .filter(pl.col("part").fill_null("") != "")
        .with_columns(
            is_title=pl.col("part").str.contains(BYLINE_TITLE),
            byline_titles=pl.col("part").filter(pl.col("part").str.contains(BYLINE_TITLE)).implode().over("doc_id"),
        )
        .filter(~pl.col("is_title") & pl.col("part").str.contains("^" + NAME + "$"))
        .select("doc_id", name="part", role=pl.lit("author"), organization=pl.lit(None, pl.String),
                titles="byline_titles")
    )
    photographers = (
        docs.lazy().select("doc_id", line=pl.col("layout_lines"))
        .explode("line")
        .with_columns(line=pl.col("line").str.replace_all(r"\s+", " ").str.strip_chars(" ()"))
        .with_columns(
            credit_title=pl.col("line").str.extract(PHOTO_CREDIT, 1).str.strip_chars(),
            name_list=pl.col("line").str.extract(PHOTO_CREDIT, 2).str.replace_all(r"[、\s]+", " ").str.split(" "),
        )
        .explode("name_list")
        .filter(pl.col("name_list").is_not_null() & pl.col("name_list").str.contains("^" + NAME + "$"))
        .select(
            "doc_id", name="name_list", role=pl.lit("photographer"), organization=pl.lit(None, pl.String),
            titles=pl.when(pl.col("credit_title").fill_null("") != "").then(pl.concat_list("credit_title"))
            .otherwise(pl.lit([], dtype=pl.List(pl.String))),
        )
    )
    # One person per name per document: the most specific role, the first
    # organisation and title list found.
    return _run(
        pl.concat([speakers.select(list(PEOPLE_SCHEMA)), authors, photographers], how="vertical_relaxed")
        .with_columns(
            titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            rank=pl.col("role").replace_strict(ROLE_PRIORITY, default=9),
        )
        .sort("doc_id", "name", "rank")
        .group_by("doc_id", "name", maintain_order=True)
        .agg(
            role=pl.col("role").first(),
            organization=pl.col("organization").drop_nulls().first(),
            titles=pl.col("titles").filter(pl.col("titles").list.len() > 0).first(),
        )
        .with_columns(titles=pl.col("titles").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .select([pl.col(c).cast(t) for c, t in PEOPLE_SCHEMA.items()])
    )
