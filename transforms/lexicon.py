"""The vocabularies of speaker attribution, defined once: titles, names, words
that are not names, speech verbs, byline and photo-credit forms, organisation suffixes.
The rule modules (speaker_labels, introductions, author_lines, reported_speech, people)
build their patterns from these."""
from __future__ import annotations

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

# The organisation part ends in an institutional suffix: `工业和信息化部`, `国务院`, `国家统计局`.
ORGANIZATION = r"^(.*(?:部|委员会|委|局|办公室|办|署|院|行|会|厅|府|室|中心|集团|公司|协会|大学|社|台|所|处|司|政府|法院|检察院|中央))$"

# A foreign name with `·`, each part short: `伊姆兰·汗`, `法提赫·比罗尔`.
FOREIGN_NAME = r"\p{Han}{1,6}(?:·\p{Han}{1,6}?){1,3}"
# Reported speech: `国家统计局新闻发言人付凌晖表示`, `付凌晖在发布会上介绍`.
SPEECH_VERB = r"(?:表示|指出|强调|认为|透露|坦言|回应|称|说|告诉记者|介绍说?[,:])"

# Bylines and photo credits: `本报记者 齐旭`, `张鹏摄`, `(新华社记者 李明 摄)` (title `新华社记者`).
BYLINE_TITLE = r"(?:记者|通讯员|编辑|特约撰稿人|评论员)$"
PHOTO_CREDIT = r"^((?:\S*?(?:记者|通讯员|摄影师))?)\s*(\p{Han}{2,4}(?:[、\s]+\p{Han}{2,4})*)\s*摄(?:影)?$"

ROLE_PRIORITY = {"official": 0, "host": 1, "other": 2, "reporter": 3, "author": 4, "photographer": 5}
