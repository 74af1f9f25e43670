"""Introductions: every `organisation + title chain + name` a document writes
(`工业和信息化部党组书记、部长金壮龙`), taken apart into organisation, titles and name,
and the lookups that resolve a name or `surname+title` to the person introduced."""
from __future__ import annotations

import polars as pl

from transforms.frame_ops import run, run_on
from transforms.lexicon import (
    COUNTRY_ALT, COUNTRY_ALT_LONG, COUNTRY_ALT_SHORT, COUNTRY_SHORT, FOREIGN_NAME, NOT_NAME, ORGANIZATION, TITLE_ALT,
    TRANSLITERATION,
)
from transforms.runs import row_in_run

# A person introduced with organisation and title chain right before the name:
# `工业和信息化部党组书记、部长金壮龙`, `并与工业和信息化部党组成员、副部长辛国斌`.
# The name group takes up to 3 characters (so `习近平复信老挝...总书记` leaves `复信`
# to the next introduction); the real name is matched by prefix.
NOT_NAME_START = "会处团办"


def _intro_pattern(prefix: str, han: str, han_or_dot: str, gap: str = r"{0,16}?") -> str:
    """INTRO with its character classes given: the prefix before the first title
    (repetition included), a name character, a foreign name's character after `·`,
    and the repetition of name characters between a `、` and the chain's next title."""
    # a name never starts with the end of an organisation word a title begins:
    # `...管理委员会主任张玉卓` is not `委员` + `会主任`, `主席办公室主任` not `主席` + `办公室`
    first = "[" + han + "&&[^" + NOT_NAME_START + "]]"
    return (
        prefix + r"(?:" + TITLE_ALT + r")(?:、" + han + gap + r"(?:" + TITLE_ALT + r"))*\s*"
        r"(?:" + first + han + r"*·" + han_or_dot + r"+|" + first + han + r"{1,2})"
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
CHAIN_TITLE = r"(?:" + TITLE_ALT + r")(?:[^" + NOT_NAME_START + r"]|$)"
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


def introductions(docs: pl.DataFrame) -> pl.DataFrame:
    """Every `organisation + title chain + name` in each document's title and text, in order:
    doc_id, intro_no, name_cand (name plus a following character when the name is short),
    organization, titles, full_name (the name in name_cand)."""
    return introductions_in(docs.select(
        "doc_id", text=pl.concat_str(pl.col("title").fill_null(""), pl.col("clean_text").fill_null(""), separator="\n")))


def introductions_in(texts: pl.DataFrame) -> pl.DataFrame:
    """introductions() of any (doc_id, text) frame (one row per document)."""
    matches = intro_matches(texts)
    # The same introduction recurs across paragraphs and documents (`国务院总理李强`):
    # each distinct one is taken apart once and joined back.
    parts = run(
        matches.lazy().select(pl.col("intro").unique())
        .with_columns(parts=pl.col("intro").str.extract_groups(INTRO_PARTS))  # one pass for both groups
        .select("intro", chain=pl.col("parts").struct.field("1"), name_cand=pl.col("parts").struct.field("2"))
        .drop_nulls("chain")
        .with_columns(**chain_parts(pl.col("chain")), full_name=_name_of_candidate(pl.col("name_cand")))
    )
    return run(
        # a document's matches are contiguous, exploded from its one row: intro_no counts down the run
        matches.lazy().with_columns(intro_no=row_in_run("doc_id"))
        .join(parts.lazy(), on="intro", how="inner", maintain_order="left")
        .select("doc_id", "intro_no", "name_cand", "organization", "titles", "full_name")
    )


def intro_matches(texts: pl.DataFrame) -> pl.DataFrame:
    """doc_id, intro: every INTRO match in each (doc_id, text), dates cut, in text order
    (the same rows as `extract_all(INTRO)` over the whole text, found in INTRO_RUNs)."""
    runs = run(
        texts.lazy()
        .select("doc_id", run=pl.col("text").str.extract_all(INTRO_RUN_AFTER_DIGIT))
        .explode("run")
        .with_columns(run=pl.col("run").str.replace(DATE_HEAD, ""))
    )
    # Runs recur (`国务院总理李强出席会议`): INTRO runs once per distinct run, joined back in order.
    found = _introductions_in_runs(run(runs.lazy().select(pl.col("run").unique()).drop_nulls()))
    return run(
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


def chain_parts(chain: pl.Expr) -> dict[str, pl.Expr]:
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


def introduction_of(names: pl.DataFrame, intros: pl.DataFrame, name_col: str) -> pl.DataFrame:
    """For rows of `names` (doc_id, <name_col>), the first introduction of that name
    that names an organisation (`国家统计局副局长、新闻发言人盛来运` over an earlier
    `新闻发言人盛来运`), else its first introduction."""
    return run_on(names, (
        names.lazy().select("doc_id", name_col).drop_nulls().unique()
        .join(intros.lazy(), on="doc_id", how="inner")
        .filter(pl.col("name_cand").str.starts_with(pl.col(name_col)))
        .sort("doc_id", pl.col("organization").is_null(), "intro_no")
        .group_by("doc_id", name_col, maintain_order=True)
        .first()
        .select("doc_id", name_col, "organization", "titles", "full_name", introduced=pl.lit(True))
    ))


def surname_titles(intros: pl.DataFrame) -> pl.LazyFrame:
    """doc_id, surname_title (`周总理`), full_name (`周恩来`): each surname+title
    that only one introduced person of the document can be (a query)."""
    return (
        intros.lazy().explode("titles")
        .drop_nulls("titles")
        .select("doc_id", "full_name", surname_title=pl.col("full_name").str.slice(0, 1) + pl.col("titles"))
        .unique()
        .filter(pl.len().over("doc_id", "surname_title") == 1)
    )


def title_holders(intros: pl.DataFrame) -> pl.LazyFrame:
    """doc_id, title, full_name: each title that only one introduced person of the
    document holds, for `该负责人`, `这位司长` (a query)."""
    return (
        intros.lazy().explode("titles")
        .drop_nulls("titles")
        .select("doc_id", "full_name", title="titles")
        .filter(~pl.col("full_name").str.contains(NOT_NAME))  # `这位司长表示` introduces no `表示`
        .unique()
        .filter(pl.len().over("doc_id", "title") == 1)
    )


# Foreign introductions are numbered from here, after every other introduction.
FOREIGN_INTRO_BASE = 1 << 20
# A foreign official introduced by country and title, the name transliterated without
# `·`: `伊朗议长卡利巴夫`, `以色列总理内塔尼亚胡`, `美副总统万斯` (a one-character country
# right before the title only). The name must end where a word or punctuation starts, so
# that a name with a character outside TRANSLITERATION (`马克龙`) is not cut to `马克`.
FOREIGN_INTRO = (
    r"((?:" + COUNTRY_ALT_LONG + r")[\p{Han}]{0,12}?|" + COUNTRY_ALT_SHORT + r")(" + TITLE_ALT + r")"
    r"([" + TRANSLITERATION + r"]{2,6})"
    # and a second official of the same country joined to the first: `...总理内塔尼亚胡和国防部长卡茨`
    r"(?:(?:和|、|及|与)([\p{Han}]{0,8}?)(" + TITLE_ALT + r")([" + TRANSLITERATION + r"]{2,6}))?"
    r"(?:[,。、;:!?“”()\s0-9和与及等在于将也还的称说表指强认率对向就今昨已]|$)"
)


# Every FOREIGN_INTRO match holds a title followed by two transliterated characters.
FOREIGN_INTRO_NEEDS = r"(?:" + TITLE_ALT + r")[" + TRANSLITERATION + r"]{2}"


def foreign_introductions(docs: pl.DataFrame) -> pl.DataFrame:
    """doc_id, intro_no, name_cand, organization, titles, full_name for the foreign
    officials of each document's text (the columns of `introductions`).

    FOREIGN_INTRO is scanned only in the lines that hold FOREIGN_INTRO_NEEDS (about one
    in twenty), in text order: the same matches as over the whole text, as a match never
    crosses a line (all its characters but the last are Han or `、`; a last `\n` ends
    the line, where `$` matches instead). The whole-text scan, with countries of one
    character (美, 日, 法) to start from, tried nearly every other character."""
    lines = run(
        docs.lazy().filter(pl.col("clean_text").str.contains(FOREIGN_INTRO_NEEDS))
        .select("doc_id", line=pl.col("clean_text").str.split("\n"))
        .explode("line")
        .filter(pl.col("line").str.contains(FOREIGN_INTRO_NEEDS))
    )
    found = run(
        lines.lazy().select("doc_id", m=pl.col("line").str.extract_all(FOREIGN_INTRO))
        .explode("m").drop_nulls("m")
        .with_columns(parts=pl.col("m").str.extract_groups(FOREIGN_INTRO))
        .select("doc_id", organization=pl.col("parts").struct.field("1"),
                title=pl.col("parts").struct.field("2"), full_name=pl.col("parts").struct.field("3"),
                second_prefix=pl.col("parts").struct.field("4"), second_title=pl.col("parts").struct.field("5"),
                second_name=pl.col("parts").struct.field("6"))
    )
    country = pl.col("organization").str.extract_all(COUNTRY_ALT).list.last().replace(COUNTRY_SHORT)
    # the second official: the title as written (`国防部长`), the first one's country
    seconds = (
        found.lazy().drop_nulls("second_name")
        .select("doc_id", organization=country, title=pl.col("second_prefix") + pl.col("second_title"),
                full_name="second_name", second=pl.lit(True))
    )
    return run(
        pl.concat([found.lazy().select("doc_id", "organization", "title", "full_name", second=pl.lit(False)),
                   seconds])
        .with_columns(intro_no=FOREIGN_INTRO_BASE + pl.int_range(pl.len()).over("doc_id"))
        .select("doc_id", "intro_no", name_cand="full_name",
                # `伊朗外交部` as written; else the last country named before the title
                # (`美国代表团由美副总统万斯` -> `美国`, `以` -> `以色列`)
                organization=pl.when(pl.col("second")).then(pl.col("organization")).otherwise(pl.coalesce(
                    chain_parts(pl.col("organization") + pl.col("title"))["organization"], country,
                )),
                titles=pl.concat_list("title"), full_name="full_name")
    )
