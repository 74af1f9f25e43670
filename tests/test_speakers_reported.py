"""Reported speech in news reports: who said the paragraph, from `X表示`, `据X介绍`,
`X在……时表示`, `“……”X说`, `该负责人表示`; continuation paragraphs keep the speaker,
narration does not, and a speaker the text does not name is never invented.
The fragments follow the forms of newspaper reports (人民日报, 新华社, portals)."""
from __future__ import annotations

from tests.test_speakers import frames
from transforms.speakers import attribute_speakers


def speakers_of(texts, **kw):
    paras, _, people = attribute_speakers(*frames(texts, **kw))
    return paras["speaker"].to_list(), people


def test_titled_name_then_bare_name_resolve_to_one_person_with_organisation():
    got, people = speakers_of([
        "商务部部长王文涛在发布会上表示,上半年我国货物贸易进出口总值21.17万亿元。",
        "“我们对全年外贸保持稳定有信心。”王文涛说,外贸企业订单总体平稳。",
    ])
    assert got == ["王文涛", "王文涛"]
    assert people.select("name", "organization", "titles").to_dicts() == [
        {"name": "王文涛", "organization": "商务部", "titles": ["部长"]}]


def test_according_to_and_fronted_clause_name_the_speaker():
    got, _ = speakers_of([
        "中国人民银行行长潘功胜出席论坛。",
        "谈到货币政策时,潘功胜表示,截至6月末广义货币余额增长6.2%。",
        "据潘功胜介绍,上半年人民币贷款增加13.27万亿元。",
    ])
    assert got == [None, "潘功胜", "潘功胜"]


def test_title_alone_resolves_to_the_person_introduced_with_it():
    got, _ = speakers_of([
        "国家外汇管理局国际收支司司长贾宁在发布会上介绍了国际收支情况。",
        "这位司长表示,二季度经常账户顺差548亿美元。",
    ])
    assert got == [None, "贾宁"]


def test_title_alone_without_a_named_holder_gives_no_speaker():
    got, people = speakers_of([
        "商务部有关负责人表示,上半年服务贸易规模创历史新高,增长14.3%。",
        "该负责人表示,下一步将出台更多举措。",
    ])
    assert got == [None, None]
    assert people.is_empty()


def test_quotation_paragraph_continues_the_speaker_and_narration_ends_it():
    got, _ = speakers_of([
        "国家统计局新闻发言人付凌晖表示,上半年国内生产总值同比增长5.0%。",
        "“总的来看,国民经济运行延续恢复向好态势,高质量发展稳步推进。”",
        "他说,二季度经济增长4.7%。",
        "记者从发布会获悉,6月份规模以上工业增加值增长5.3%。",
    ])
    assert got == ["付凌晖", "付凌晖", "付凌晖", None]


def test_unattributed_narration_gets_no_speaker():
    got, people = speakers_of([
        "今年以来,全省经济运行稳中有进,地区生产总值增长5.8%。",
        "有业内人士表示,消费市场回暖明显,社会消费品零售总额增长6.1%。",
        "龙湖方面相关负责人向记者表示,项目将按期交付。",
        "据了解,该市今年将新开工项目120个。",
    ])
    assert got == [None, None, None, None]
    assert people.is_empty()


def test_paragraph_opening_with_an_unnamed_source_is_not_given_a_later_speaker():
    got, _ = speakers_of([
        "阿里巴巴集团首席技术官张建锋发布了首款芯片。",
        "据研究院介绍,该芯片推理性能达到78563 IPS,张建锋称这只是第一步。",
    ])
    assert got == [None, None]


def test_list_paragraph_continues_the_account_and_page_chrome_does_not():
    got, _ = speakers_of([
        "商务部新闻发言人何亚东表示,上半年全国新设立外商投资企业26870家,同比增长14.2%。",
        "从行业看,制造业实际使用外资2762.4亿元,高技术产业实际使用外资1088.6亿元。",
        "网友评论仅供其表达个人看法,并不表明网易立场。",
    ])
    assert got == ["何亚东", "何亚东", None]


def test_a_named_speaker_after_an_unnamed_opening_has_the_paragraph_when_turned_against_it():
    got, _ = speakers_of([
        "华为公司院士艾伟出席发布会。",
        "大家普遍认为PC性能强,但华为院士艾伟表示,目前没有一款PC处理器芯片的AI处理能力可达到它的水平。",
        "法国总工会负责人表示,大罢工将是无限期的。法国总理菲利普8日表示,他会将改革进行到底。",
    ])
    assert got == [None, "艾伟", "菲利普"]


def test_reporters_of_a_dateline_are_authors():
    from sources.base import raw_frame
    from sources.text import read_text
    from transforms.pipeline import transform_batch

    text = "标题\n\n新华社北京1月5日电（记者王希、申铖）财政部5日发布数据,全国一般公共预算收入增长1.3%。"
    people = transform_batch(raw_frame(read_text(text.encode(), "a").docs)).tables["people"]
    assert people.select("name", "role", "titles").rows() == [
        ("王希", "author", ["记者"]), ("申铖", "author", ["记者"])]


def _figure_speakers(text):
    from sources.base import raw_frame
    from sources.text import read_text
    from transforms.pipeline import transform_batch

    figures = transform_batch(raw_frame(read_text(text.encode(), "a").docs)).tables["figures"]
    return figures.select("surface", "speaker").rows()


def test_each_sentence_has_the_speaker_it_names_not_the_paragraphs():
    assert _figure_speakers(
        "标题\n\n国家统计局今天发布数据,上半年国内生产总值增长5.0%。国家统计局新闻发言人付凌晖表示,"
        "6月份规模以上工业增加值增长5.3%。二季度增长4.7%。"
    ) == [("5.0%", None), ("5.3%", "付凌晖"), ("4.7%", "付凌晖")]


def test_quotation_closed_by_a_speaker_is_theirs():
    assert _figure_speakers(
        "标题\n\n商务部部长王文涛出席发布会。\n\n“预计全年外贸增长3%左右。”王文涛说,订单总体平稳。"
    ) == [("3%左右", "王文涛")]


def test_a_closed_quotation_ends_the_account_and_an_unnamed_head_is_no_speaker():
    assert _figure_speakers(
        "标题\n\n南水北调工程是世界上规模最大的调水工程。习近平总书记强调,“南水北调工程事关战略全局”。"
        "10年来,南水北调工程累计调水767亿立方米。\n\n企业负责人告诉记者,去年公司国内业务收入增长12%。"
    ) == [("767亿立方米", None), ("12%", None)]


def test_foreign_officials_with_transliterated_names_are_people_with_their_country():
    from tests.test_speakers import frames as fr

    _, _, people = attribute_speakers(*fr([
        "美国和伊朗今天在瑞士举行谈判。美国代表团由美副总统万斯率领,伊朗代表团由伊朗议长卡利巴夫率领。",
        "法国总统马克龙表示,欧洲需要加强防务合作。",
    ]))
    got = {p["name"]: (p["organization"], p["titles"]) for p in people.to_dicts()}
    assert got["万斯"] == ("美国", ["副总统"]) and got["卡利巴夫"] == ("伊朗", ["议长"])
    assert "马克" not in got


def test_reporter_in_a_bracket_closing_the_report_is_an_author():
    from sources.base import raw_frame
    from sources.text import read_text
    from transforms.pipeline import transform_batch

    text = "标题\n\n今年以来,全国铁路发送旅客增长12%。\n\n铁路部门将继续加开列车。(本报记者 王浩)"
    people = transform_batch(raw_frame(read_text(text.encode(), "a").docs)).tables["people"]
    assert people.select("name", "role", "titles").rows() == [("王浩", "author", ["本报记者"])]


def test_untitled_full_name_speaking_more_than_once_is_the_speaker():
    got, _ = speakers_of([
        "习近平在文章中指出,这次全会通过的决定是一篇纲领性文献。",
        "文章指出,只有在中国共产党成立后,中国人民才找到了正确道路。",
        "习近平在文章中说,我国国家制度具有多方面的显著优势。",
        "茉莉说,这份工作的内容太过沉重。",
    ])
    assert got == ["习近平", None, "习近平", None]


def test_a_sentence_opened_by_an_unnamed_source_is_nobodys():
    assert _figure_speakers(
        "标题\n\n俄罗斯总统普京表示,俄军将继续测试新型导弹。据悉,该型导弹最远射程可达1.1万公里。"
    ) == [("1.1万公里", None)]


def test_byline_forms_of_web_pages_give_authors_and_no_editor():
    for byline, authors in [
        ("本报记者 齐旭", [("齐旭", ["本报记者"])]),
        ("作者:陆一夫", [("陆一夫", [])]),
        ("新京报记者 陆一夫、张三 责任编辑:李四", [("张三", ["新京报记者"]), ("陆一夫", ["新京报记者"])]),
    ]:
        _, people = speakers_of(["今天天气很好。"], byline=byline)
        assert sorted(people.filter(people["role"] == "author").select("name", "titles").rows()) == authors


def test_long_transliterated_name_after_a_title_is_the_speaker():
    assert _figure_speakers(
        "标题\n\n欧盟委员会主席冯德莱恩表示,欧盟将向成员国提供1500亿欧元贷款。"
    ) == [("1500亿欧元", "冯德莱恩")]
