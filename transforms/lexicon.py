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
    "首席执行官", "首席技术官", "总监", "副总监", "董事", "执行董事",
    "村民", "市民", "游客", "店主", "志愿者", "医生", "主任医师", "副主任医师", "主治医师", "医师", "护士长",
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
    # `驻旧金山副总领事` keeps `副总领事`; `该负责人表示` refers back to `...司负责人王某`
    "副总领事", "领事", "副领事", "公使", "特使", "特别代表", "负责人", "副校长",
    "副区长", "副县长", "州长", "检察长", "审计长", "所长", "副所长", "社长", "总编辑", "副总编辑",
    "主任委员", "副主任委员", "常委", "总干事", "副总干事",
    # other countries' offices: `英国外交大臣拉布`, `美国国务卿布林肯`, `法国总统马克龙`
    "总统", "副总统", "首相", "副首相", "外交大臣", "大臣", "国务卿", "财长", "防长", "议员", "参议员", "众议员",
    "议长", "总督",
    "主持人",
    *NON_OFFICIAL_TITLES,
], key=len, reverse=True)
TITLE_ALT = "|".join(TITLES)

# A person's name: 2-4 CJK characters, or a foreign name with `·` (`伊姆兰·汗`).
NAME = r"(?:\p{Han}+·[\p{Han}·]+|\p{Han}{2,4})"

# Words that stand before a colon but are not names: `同志们:`, `一是:`, `具体来说:`.
# Words inside a would-be name that show it is a verb phrase or a pronoun:
# `毛主席教导我们:`, `周总理强调指出`, `毛主席早就说过`, `按照毛主席指出的`, `总书记高度重视`.
NOT_NAME_PART = r"^(?:在|按照|正如|关于|多次|首先|再次|曾经|已经|向全|对此|同时|高度|殷殷|亲切|亲自|深情|充分|专门|重要)|上$|驻|日前|近日|当天|指出|强调|着重|特别|一再|早就|教导|表示|认为|说|曾|也|还|又|都|就|再|最近|严厉|明确|进一步|同志|我们|他们|你们"
# A surname with a title, not a name: `毛主席`, `周总理`.
SURNAME_TITLE = r"^\p{Han}(?:" + TITLE_ALT + r")"
NOT_A_NAME = (
    r"们$|^各位|^尊敬|来说$|而言$|如下$|^第|^其[中次]|^[一二三四五六七八九十]是$|^据|^比如$|^例如$|"
    r"^注$|^按$|^编者按$|^附件?$|^来源$|^地址$|^电话$|^时间$|^地点$|^主题$|^目标$|^原因$|^问题$|"
    r"^首先$|^最后$|^此外$|^另外$|^同时$|^因此$|^所以$|^但是$|^对此$|^总之$|^一方面$|^另一方面$|"
    r"[说是为有的了在道称]$|"
    # a verb or phrase right after a title, not a name: `相关负责人宣布,`, `学者的话说`
    r"^(?:宣布|透露|介绍|回应|坦言|直言|建议|提出|提到|发布|通报|解读|致辞|讲话|发言|表态|的话)$"
)
# Either of the two: one pattern string everywhere, so polars compiles it once.
NOT_NAME = NOT_NAME_PART + "|" + NOT_A_NAME

# The organisation part ends in an institutional suffix: `工业和信息化部`, `国务院`, `国家统计局`.
# Administrative regions: `湖南省`, `北京市`, `内蒙古自治区`, `延边朝鲜族自治州`.
REGION_SUFFIXES = ["自治区", "自治州", "省", "市", "县", "州", "盟", "区"]
REGION_SUFFIX_ALT = "|".join(REGION_SUFFIXES)
# Words that end an organisation's name: `工业和信息化部`, `国务院`, `国家统计局`,
# `河南省人民政府`, and a region (`北京市` in `北京市市长`).
ORGANIZATION_SUFFIXES = [
    "部", "委员会", "委", "局", "办公室", "办", "署", "院", "行", "会", "厅", "府", "室", "中心", "集团",
    "公司", "协会", "大学", "社", "台", "所", "处", "司", "政府", "法院", "检察院", "中央", *REGION_SUFFIXES,
]
ORGANIZATION = r"^(.*(?:" + "|".join(ORGANIZATION_SUFFIXES) + r"))$"

# A foreign name with `·`, each part short: `伊姆兰·汗`, `法提赫·比罗尔`.
FOREIGN_NAME = r"\p{Han}{1,6}(?:·\p{Han}{1,6}?){1,3}"
# Reported speech: `国家统计局新闻发言人付凌晖表示`, `付凌晖在发布会上介绍`.
SPEECH_VERB = r"(?:表示|指出|强调|认为|透露|坦言|直言|回应|称|说|告诉记者|分析称|解释说|补充说|回忆说|表态|介绍说?[,:])"
# Words between a reported speaker and the verb: `还`, `当时`, `进一步` (`马化腾当时说`).
SPEECH_ADVERB = r"(?:当时|同时|进一步|还|也|则|又|再次|随后|最后|首先|特别|此前|此后|曾|日前|近日|当天|同日)"

# Bylines and photo credits: `本报记者 齐旭`, `张鹏摄`, `(新华社记者 李明 摄)` (title `新华社记者`).
# A person's name in a credit or byline: `齐旭`, `李 贺`, `阿卜杜拉·艾力`
CREDIT_NAME = r"[\u4e00-\u9fff·&&[^拍]](?: ?[\u4e00-\u9fff·&&[^拍]]){1,5}"
# How the name of a news outlet ends: `路透社`, `彭博社`, `中央电视台`, `人民日报`, `环球时报`,
# `中国新闻网`, `CGTN频道` (a label naming only the outlet: `彭博社:`).
OUTLET_SUFFIXES = ["社", "电视台", "广播公司", "广播电台", "日报", "时报", "新闻网", "频道"]
OUTLET_SUFFIX_ALT = "|".join(OUTLET_SUFFIXES)
# ... and, before `记者` in a byline, any paper, site or station: `经济日报`, `扬子晚报`, `新京报`, `澎湃网`.
BYLINE_OUTLET_SUFFIXES = ["日报", "晚报", "报", "社", "网", "台"]
# Who a credit or byline names the person as: `本报记者`, `新华社记者`, `经济日报记者`, `本报特约通讯员`
NEWS_ROLE = (
    r"(?:本报|[\u4e00-\u9fff]{1,10}?(?:" + "|".join(BYLINE_OUTLET_SUFFIXES) + r"))?(?:全媒体)?(?:特约|实习|见习)?(?:记者|通讯员)"
)
# The reporters a dateline or a bracket near the top names: `新华社北京1月5日电(记者王希、申铖)`,
# `本报北京7月18日电(记者 周亮、王莹)`, `(记者 张三)`.
BRACKET_BYLINE = r"\((" + NEWS_ROLE + r")\s*([\u4e00-\u9fff·]{2,4}(?:\s*[、\s]\s*[\u4e00-\u9fff·]{2,4})*)\)"
BYLINE_TITLE = r"(?:记者|通讯员|编辑|特约撰稿人|评论员)$"
# What separates the parts of a byline, and the words that only label them:
# `作者:陆一夫`, `来源:新京报 记者 陆一夫、张三`.
BYLINE_SEPARATOR = r"[\s、,;:/|]+|作者|文/|来源"
# An editor's credit ends a byline (`记者 张三 责任编辑:李四`): it is cut off.
BYLINE_EDITOR = r"(?:责任编辑|编辑|责编|校对).*$"
PHOTO_CREDIT = r"^((?:\S*?(?:记者|通讯员|摄影师))?)\s*(\p{Han}{2,4}(?:[、\s]+\p{Han}{2,4})*)\s*摄(?:影)?$"
# The credit that ends a caption paragraph: `殷勇同志作政府工作报告。本报记者 戴冰摄` ->
# `本报记者 戴冰摄`, `...开幕。湖南日报全媒体记者 刘尚文 摄`.
CAPTION_CREDIT = r"(?:^|[。!?])\s*([^。!?,;:“”]{2,40}?摄影?\)?)$"
# A credited name written with a space between its characters: `本报全媒体记者 林 君摄`.
SPACED_NAME = r"\s(\p{Han}) (\p{Han})(?: (\p{Han}))?(?: (\p{Han}))?\s*摄"

ROLE_PRIORITY = {"official": 0, "host": 1, "other": 2, "reporter": 3, "author": 4, "photographer": 5}

# Common Chinese surnames (about 300, covering nearly all of the population), and the
# compound ones: a person the text only introduces (`国务院总理李强出席`), not heard
# speaking, is kept only when the name starts with one, so that `常委会出台` gives no `会出台`.
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    "官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖"
    "漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹"
    "诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由习郄"
) + ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐"]
# Surnames that are far more often a function word at the head of a would-be name:
# `和东北`, `由全国`, `向记者`.
SURNAME_WORDS = set("和由那于来都但时成原国相利向位区海信居展干元印公商全应花强盘门计支任")
# Characters that end a would-be 3-character name as the next word's start: `陆林教`(授),
# `龙峰不`, `张琦落`.
NOT_NAME_END = r"^\p{Han}{2}[不了的在是和也都就等说到对向为从把被给让将与及教落去已曾又再]$"
SURNAME_ALT = "|".join(sorted(set(SURNAMES) - SURNAME_WORDS, key=len, reverse=True))
# The hundred most common, and 习: a name found only by recurring must start with one
# (`哈马斯还称` is an organisation).
COMMON_SURNAME_CLASS = "[" + "".join(c for c in SURNAMES[:100] if c not in SURNAME_WORDS) + "习]"

# Countries and international bodies that introduce a foreign official (`伊朗议长卡利巴夫`,
# `以色列总理内塔尼亚胡`), with the one-character forms news uses (`以总理`, `美副总统`).
COUNTRIES = [
    "美国", "英国", "法国", "德国", "俄罗斯", "日本", "韩国", "朝鲜", "印度", "巴基斯坦", "伊朗", "伊拉克",
    "以色列", "巴勒斯坦", "沙特阿拉伯", "沙特", "土耳其", "埃及", "乌克兰", "白俄罗斯", "意大利", "西班牙",
    "葡萄牙", "荷兰", "比利时", "瑞士", "瑞典", "挪威", "芬兰", "丹麦", "波兰", "匈牙利", "希腊", "加拿大",
    "墨西哥", "巴西", "阿根廷", "智利", "澳大利亚", "新西兰", "南非", "尼日利亚", "肯尼亚", "埃塞俄比亚",
    "越南", "老挝", "柬埔寨", "泰国", "缅甸", "马来西亚", "新加坡", "印度尼西亚", "印尼", "菲律宾", "蒙古",
    "哈萨克斯坦", "乌兹别克斯坦", "叙利亚", "黎巴嫩", "也门", "卡塔尔", "阿联酋", "古巴", "委内瑞拉",
    "欧盟", "联合国", "北约", "美", "俄", "英", "法", "德", "日", "伊", "以", "乌",
]
COUNTRY_ALT = "|".join(sorted(COUNTRIES, key=len, reverse=True))
COUNTRY_ALT_LONG = "|".join(sorted((c for c in COUNTRIES if len(c) > 1), key=len, reverse=True))
COUNTRY_ALT_SHORT = "[" + "".join(c for c in COUNTRIES if len(c) == 1) + "]"
COUNTRY_SHORT = {"美": "美国", "俄": "俄罗斯", "英": "英国", "法": "法国", "德": "德国", "日": "日本", "伊": "伊朗",
                 "以": "以色列", "乌": "乌克兰"}
# Characters of transliterated foreign names written without `·`: `卡利巴夫`, `内塔尼亚胡`, `卡茨`.
TRANSLITERATION = (
    "阿埃艾爱安奥巴拜班邦贝本比彼毕波伯博布查达戴丹道德登迪蒂丁杜多厄恩法菲费夫弗福盖甘冈戈格贡古哈海汉豪赫亨胡霍"
    "基吉加贾杰金卡凯坎科克肯库夸奎拉莱兰朗劳勒雷里利连列林卢鲁伦罗洛马迈麦曼梅门米明莫默穆纳奈南内尼涅努诺帕派"
    "潘佩皮普齐奇恰乔切萨塞桑瑟森沙尚舍什施斯索苏塔泰坦汤特提图托瓦万旺威韦维温沃乌西希谢辛休雅亚扬耶伊因英尤扎"
    "泽詹兹佐茨祖尔夏蓬冯"
)

# A surname with a form of address, not a name: `冯警官`, `温先生`, `李女士`.
FORM_OF_ADDRESS = r"(?:先生|女士|小姐|警官|老师|师傅|阿姨|大爷|大妈|同学|医生)$"
