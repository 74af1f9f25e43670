"""figures_from_sentences: what counts as a figure, its value, unit, qualifier and span."""
from __future__ import annotations

import json

import polars as pl
import pytest

from tests.figure_helpers import DATA, raw_documents, run_pipeline, sample_tables, sentence_frame
from transforms.figures import figures_from_sentences

GOLD = DATA / "gold" / "miit-press-conference-2024-07-05.json"
WORK_REPORTS = DATA / "corpus" / "gov-work-reports" / "government_work_reports.jsonl"


def figures_of(text: str) -> list[tuple]:
    f = figures_from_sentences(sentence_frame([text]), None)
    return [(r["surface"], r["value"], r["unit"], r["qualifier"], r["value_high"]) for r in f.iter_rows(named=True)]


# (sentence fragment, [(value, unit, qualifier[, value_high]) ...]); [] means "not a figure"
CASES = [
    # plain Arabic counts, shares and changes (sample, work reports)
    ("增加值合计占规模以上工业的70%左右", [(70, "%", "~")]),
    ("规模以上工业增加值同比增长6.2%", [(6.2, "%", "=")]),
    ("增速比2023年加快1.6个百分点", [(1.6, "个百分点", "=")]),
    ("培育了421家国家级智能制造示范工厂", [(421, "家", "=")]),
    ("全球共有153座灯塔工厂", [(153, "座", "=")]),
    ("建成383.7万个5G基站", [(3837000, "个", "=")]),
    ("移动支付规模相比2012年增长了239倍", [(239, "倍", "=")]),
    ("比上年提高1个百分点", [(1, "个百分点", "=")]),
    ("赤字规模5.66万亿元", [(5.66e12, "元", "=")]),
    ("外汇储备超过3.2万亿美元", [(3.2e12, "美元", ">")]),
    ("惠及1100多万人", [(11000000, "人", ">")]),
    ("惠及学生3400多万人次", [(34000000, "人次", ">")]),
    ("增长16.4亿元", [(1640000000, "元", "=")]),
    ("网络零售额达到15.42万亿元", [(15420000000000, "元", "=")]),
    ("旅客发送量12.4亿人次", [(1240000000, "人次", "=")]),
    ("收入达到1,234.5亿元", [(123450000000, "元", "=")]),
    ("粮食产量1.4万亿斤左右", [(1.4e12, "斤", "~")]),
    ("城镇新增就业1200万人以上", [(12000000, "人", ">=")]),
    ("算力总规模达到230 EFLOPS,居世界前列", [(230, "EFLOPS", "=")]),
    ("即每秒能完成230百亿亿次浮点运算", [(2.3e20, "次", "=")]),
    ("新增装机3000万千瓦", [(30000000, "千瓦", "=")]),
    ("节能1.2亿吨标准煤", [(120000000, "吨标准煤", "=")]),
    ("在校学生达到29万余人", [(290000, "人", ">")]),
    ("日均新设企业由5千多户增加", [(5000, "户", ">")]),
    ("安置搬迁群众1万6千多户", [(16000, "户", ">")]),
    # units of shipping, transport and energy (xinwen-lianbo)
    ("我国造船完工量1235万载重吨", [(12350000, "载重吨", "=")]),
    ("集装箱吞吐量3.1亿标准箱", [(3.1e8, "标准箱", "=")]),
    ("起降航班12万架次", [(120000, "架次", "=")]),
    ("中欧班列累计开行13056列", [(13056, "列", "=")]),
    ("资助了澳大利亚战略政策研究所137万澳元", [(1370000, "澳元", "=")]),
    ("出入境车辆超502万辆次", [(5020000, "辆次", ">")]),
    ("向发展中国家提供疫苗超过7亿剂", [(7e8, "剂", ">")]),
    ("以142票赞成、10票反对、12票弃权", [(142, "票", "="), (10, "票", "="), (12, "票", "=")]),
    ("法国、沙特阿拉伯、中国等40多国共同提出", [(40, "国", ">")]),
    ("二十国集团领导人峰会", []),
    ("出席20国集团罗马峰会", []),
    ("棉花达到三千二百七十万担", [(32700000, "担", "=")]),
    # a magnitude after 多 multiplies too (work reports)
    ("储蓄存款余额新增4万多亿元", [(4e12, "元", ">")]),
    ("出口增长2倍多,", [(2, "倍", ">")]),
    ("中方参加了10个多边机制", [(10, "个", "=")]),
    # rates written with a slash, 亩产, and a denominator after 每 that is not a figure itself
    ("价格为3000元/吨", [(3000, "元/吨", "=")]),
    ("速度达到350公里/小时", [(350, "公里/小时", "=")]),
    ("亩产1000公斤", [(1000, "公斤/亩", "=")]),
    ("职工家庭按人口平均的生活费收入达到526元", [(526, "元/人", "=")]),
    ("每10万人口拥有医生30人", [(30, "人/10万人口", "=")]),
    # durations written with 个多/个半 are periods like 前5个月, not counts of 个
    ("历时5个多月", []),
    ("经过10多个小时", []),
    ("用了3个半月", []),
    ("发放农业贷款10亿余万。", [(1e9, "", ">")]),
    ("累计报告接种新冠病毒疫苗343892.0万剂次", [(3438920000, "剂次", "=")]),
    # a unit written once after a list of numbers belongs to each of them
    ("比各项贷款平均增速分别高4.2和0.7个百分点", [(4.2, "个百分点", "="), (0.7, "个百分点", "=")]),
    ("土地面积分别净减少10.6万、3.8万、3.3万平方公里",
     [(106000, "平方公里", "="), (38000, "平方公里", "="), (33000, "平方公里", "=")]),
    # counted nouns: no measure word, unit ''
    ("我国已经拥有10.9亿网民", [(1090000000, "", "=")]),
    ("互联网国家顶级域名注册量近2000万", [(20000000, "", "<~")]),
    # a measure word that begins the counted noun is not the unit (MFA, work reports)
    ("预计将直接惠及8000万人口", [(80000000, "", "=")]),
    ("近14亿人口的发展中大国", [(1400000000, "", "<~")]),
    ("不要站在14亿中国人民的对立面", [(1400000000, "", "=")]),
    ("包括2300万台湾同胞在内", [(23000000, "", "=")]),
    ("全国妇联等10部门联合下发通知", [(10, "", "=")]),
    ("服务500万家庭", [(5000000, "", "=")]),
    ("惠及1100万人民群众", [(11000000, "", "=")]),
    # Chinese numerals
    ("建成复线一千七百公里", [(1700, "公里", "=")]),
    ("城镇共安排两千多万人就业", [(20000000, "人", ">")]),
    ("这三年城镇共安排两千多家企业", [(2000, "家", ">")]),
    ("力争控制在百分之十五左右", [(15, "%", "~")]),
    ("一九八一年比一九八○年,原煤增长百分之零点二", [(0.2, "%", "=")]),
    ("原油下降百分之四点五", [(4.5, "%", "=")]),
    ("港口吞吐能力增加到三亿一千七百万吨", [(317000000, "吨", "=")]),
    ("十三个省份", [(13, "个", "=")]),
    ("增速分别比同期工业、高技术制造业高4.5个和2.6个百分点", [(4.5, "个百分点", "="), (2.6, "个百分点", "=")]),
    ("车灯只能照到前方三五米", []),
    ("粮食产量四亿零七百多万吨", [(407000000, "吨", ">")]),
    ("新增发电装机五万千瓦", [(50000, "千瓦", "=")]),
    ("等於一九四九年的四點五倍", [(4.5, "倍", "=")]),
    ("享受勞動保險待遇的職工已有四百八十餘萬人", [(4800000, "人", ">")]),
    ("那么,二百多萬戶私营工商業的生产", [(2000000, "戶", ">")]),
    ("在我们这样一个十亿人口的国家", [(1e9, "", "=")]),
    ("保证我国六亿多人民的生活水平", [(6e8, "", ">")]),
    ("万一出现问题", []),
    ("《山河为证》等十余部新片也将陆续上映", [(10, "部", ">")]),
    ("吸引百余家企业参展", [(100, "家", ">")]),
    ("逾百家企业签约", [(100, "家", ">")]),
    ("投资超千亿元", [(1e11, "元", ">")]),
    ("近万家企业", [(10000, "家", "<~")]),
    ("超百万人次", [(1e6, "人次", ">")]),
    ("千家万户", []),
    ("近百年来", []),
    ("十多个国家", [(10, "个", ">")]),
    ("工信部抓住四个关键词", []),
    ("這表現了我國六萬萬人民的不可動搖的", [(6e8, "", "=")]),
    ("此外,我國有幾十萬中醫散布在全國", []),
    ("有三千萬畝在短期內尚難排", [(3e7, "畝", "=")]),
    ("人均预期寿命达到78岁", [(78, "岁", "=")]),
    # shares and fractions
    ("合计占全国比重超六成", [(60, "%", ">")]),
    ("约三成企业", [(30, "%", "~")]),
    ("工业生产许可证种类压减三分之一以上", [(100 / 3, "%", ">=")]),
    ("实现百分之百覆盖", [(100, "%", "=")]),
    ("降低千分之三", [(0.3, "%", "=")]),
    ("本届政府减少1/3行政审批事项", [(100 / 3, "%", "=")]),
    ("稳住了脱贫人口2/3以上的收入", [(200 / 3, "%", ">=")]),
    ("约占世界军费总开支约1/4", [(25, "%", "~")]),
    ("超过半数的省份实现增长", [(50, "%", ">")]),
    ("收入过半来自出口", [(50, "%", ">")]),
    # multiples
    ("全国财政收入十年接近翻一番", [(2, "倍", "=")]),
    ("国民生产总值比1980年翻两番", [(4, "倍", "=")]),
    ("居民收入翻了一番多", [(2, "倍", ">")]),
    ("出口增长1.5倍", [(1.5, "倍", "=")]),
    # rates
    ("居民用电价格每千瓦时0.3元", [(0.3, "元/千瓦时", "=")]),
    ("每千人口床位6.9张", [(6.9, "张/千人口", "=")]),
    ("每千人口3.5张", [(3.5, "张/千人口", "=")]),
    ("亩均产量约450公斤", [(450, "公斤/亩", "~")]),
    ("每立方米2.5元", [(2.5, "元/立方米", "=")]),
    # qualifiers before and after, and at a distance
    ("累计培育专精特新中小企业超过14万家", [(140000, "家", ">")]),
    ("千兆用户全球占比超过了70%", [(70, "%", ">")]),
    ("研发周期缩短了大约30%", [(30, "%", "~")]),
    ("占GDP比重约13%", [(13, "%", "~")]),
    ("软件业收入突破了12万亿元", [(12e12, "元", ">")]),
    ("一律按不低于5%的幅度压减一般性支出", [(5, "%", ">=")]),
    ("五年总体赤字率控制在3%以内", [(3, "%", "<=")]),
    ("政府负债率控制在50%左右", [(50, "%", "~")]),
    ("能耗降低20%以上", [(20, "%", ">=")]),
    ("失业率控制在4.5%以下", [(4.5, "%", "<=")]),
    ("建成200个左右高标准数字园区", [(200, "个", "~")]),
    ("这50个工业大市中有10多个实现了两位数增长", [(50, "个", "="), (10, "个", ">")]),
    ("增速保持在5%上下", [(5, "%", "~")]),
    ("发放农业贷款逾10亿元", [(1e9, "元", ">")]),
    ("2025电影暑期档票房破70亿元", [(7e9, "元", ">")]),
    ("打破3项世界纪录", [(3, "项", "=")]),
    ("不到1%的企业", [(1, "%", "<")]),
    ("美国已发生279起造成至少4人死伤的“大规模枪击”事件", [(279, "起", "="), (4, "人", ">=")]),
    ("每次最多5人", [(5, "人", "<=")]),
    ("参保人数接近10亿人", [(1e9, "人", "<~")]),
    ("约占全国总量的四成", [(40, "%", "~")]),
    # a short quotation that holds a percentage is a quoted figure, not a name
    ("只享有“白人73.9%的平等对待”", [(73.9, "%", "=")]),
    ("节约1.2亿吨标准煤", [(120000000, "吨标准煤", "=")]),
    # ranges: one figure
    ("增长5%—6%", [(5, "%", "range", 6)]),
    ("主要污染物排放总量减少8%至10%", [(8, "%", "range", 10)]),
    ("稻谷最低收购价提高了25%到40%", [(25, "%", "range", 40)]),
    ("用3至5年时间", [(3, "年", "range", 5)]),
    ("每年新增3000—5000万吨", [(3e7, "吨", "range", 5e7)]),
    ("每年新增三至五万吨", [(30000, "吨", "range", 50000)]),
    ("减少1000万吨到2000万吨", [(1e7, "吨", "range", 2e7)]),
    ("使参与国贸易增长2.8%到9.7%", [(2.8, "%", "range", 9.7)]),
    ("7纳米目前的良率大约五到六成", [(50, "%", "range", 60)]),  # 成 is tenths at both ends
    ("良率5到6成", [(50, "%", "range", 60)]),
    # a value moving from one number to another: two figures, not a range
    ("比重从15%到50%", [(15, "%", "="), (50, "%", "=")]),
    ("由约30%提高到40%左右", [(30, "%", "~"), (40, "%", "~")]),
    # a percentage followed by 到 + a year is not a range: the year is dropped
    ("占比从15%到2025年提高到20%", [(15, "%", "="), (20, "%", "=")]),
    ("提高15%到2025年", [(15, "%", "=")]),
    ("我国农民大体上有百分之二十到三十过着", [(20, "%", "range", 30)]),
    ("增长百分之五至百分之六", [(5, "%", "range", 6)]),
    ("由百分之三十六点七上升到一九五二年的百分之六十一", [(36.7, "%", "="), (61, "%", "=")]),
    ("从百分之五到百分之十", [(5, "%", "="), (10, "%", "=")]),
    ("提高百分之五到2025年", [(5, "%", "=")]),
    # not figures: dates, years, periods, durations
    ("7月5日,国新办举行新闻发布会", []),
    ("2023年我国经济回升向好", []),
    ("今年1—5月", []),
    ("今年前5个月,工业大省增速均高于全国", []),
    ("5月份,规模以上装备制造业", []),
    ("截至今年6月底", []),
    ("2021—2025年", []),
    ("经过半年的准备", []),
    # not figures: list numbering and ranks
    ("一是加大对专精特新中小企业培育支持力度", []),
    ("第一,坚持稳中求进", []),
    ("首先,抓好十大重点行业发展", []),
    ("(下转第5版)", []),
    ("公开通报第1、2批典型案例", []),
    ("两国政府代表关于香港1994/1995年选举安排", []),
    ("1、2月份", []),
    # not figures: names with digits, slogans, titles
    ("加快5G、6G研发", []),
    ("IPv4的地址和IPv6的地址资源总量", []),
    ("“十四五”规划目标任务", []),
    ("G20峰会", []),
    ("有序推进5G网络向5G轻量化、5G-A演进升级", []),
    ("十大重点行业包括钢铁、有色", []),
    ("工信部坚持“两个毫不动摇”,抓住四个关键词", []),
    ("重点从三个方面发力", []),
    ("出台《2030年前碳达峰行动方案》", []),
    ("中小企业联系千家万户", []),
    ("把几十万个现有企业的技术改造做好", []),
    ("网速64K的网线", []),
    ("降低企业成本300亿元", [(3e10, "元", "=")]),
    ("5成员国", []),
    ("万元国内生产总值能耗", []),
    ("一成不变", []),
    ("中国共产党和中国人民正信心百倍", []),
    ("亿万人民", []),
    ("C919大飞机", []),
    ("波音737MAX8飞机", []),
    ("七国集团(G7)气候、能源和环境部长会议", []),
    ("6万亿美元收益,占全球GDP1.3%", [(6e12, "美元", "="), (1.3, "%", "=")]),
    ("把全球平均气温升幅控制在工业化前水平以上低于2摄氏度以内", [(2, "摄氏度", "<")]),
    ("努力控制在1.5摄氏度之内", [(1.5, "摄氏度", "<=")]),
    ("呼和浩特今晨最低气温降到-20℃以下", [(-20, "℃", "<=")]),
    ("可在零下60℃的极端环境中负重", [(-60, "℃", "=")]),
    ("预计降温幅度普遍有6—10℃", [(6, "℃", "range", 10)]),
    ("在公布的298个直选议席中赢得223席", [(298, "个", "="), (223, "席", "=")]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0][:16] for c in CASES])
def test_figure_table(text, expected):
    got = figures_of(text)
    assert len(got) == len(expected), got
    for (surface, value, unit, qualifier, high), want in zip(got, expected):
        assert value == pytest.approx(want[0], rel=1e-12), surface
        assert (unit, qualifier) == (want[1], want[2]), surface
        assert high == (pytest.approx(want[3], rel=1e-12) if len(want) > 3 else None), surface
        assert surface in text


def test_case_table_is_large():
    assert len(CASES) >= 80


@pytest.mark.parametrize("text, surface", [
    ("累计培育专精特新中小企业超过14万家", "超过14万家"),
    ("增加值合计占规模以上工业的70%左右", "70%左右"),
    ("互联网国家顶级域名注册量近2000万", "近2000万"),
    ("研发周期缩短了大约30%", "大约30%"),
    ("千兆用户全球占比超过了70%", "超过了70%"),
    ("节约1.2亿吨标准煤", "1.2亿吨标准煤"),
])
def test_surface_includes_adjacent_qualifier_words(text, surface):
    assert [f[0] for f in figures_of(text)] == [surface]


def test_values_are_exact_decimals():
    assert figures_of("增长16.4亿元")[0][1] == 1640000000.0
    assert figures_of("15.42万亿元")[0][1] == 15420000000000.0


def test_offsets_are_characters_across_sentences_and_multibyte_text():
    texts = ["去年,我国全部工业增加值占国内生产总值比重达到31.7%,", "江苏、广东等10个工业大省的工业增加值合计占全国比重超六成。"]
    clean_text = "".join(texts)
    f = figures_from_sentences(sentence_frame(texts), None)
    assert f["surface"].to_list() == ["31.7%", "10个", "超六成"]
    assert f["figure_no"].to_list() == [1, 2, 3]
    for r in f.iter_rows(named=True):
        assert clean_text[r["char_start"]:r["char_end"]] == r["surface"]


def test_metric_and_period_come_from_the_sentence_or_the_one_before():
    texts = ["特别是今年1—5月,规模以上工业增加值同比增长6.2%,增速比2023年加快1.6个百分点。",
             "5月份,规模以上装备制造业同比增长7.5%,", "高技术制造业增加值同比增长10%。"]
    f = figures_from_sentences(sentence_frame(texts), None)
    assert f["metric"][0] == "规模以上工业增加值同比增长"
    assert f["period"].to_list() == ["今年1—5月", "今年1—5月", "5月份", "5月份"]


def test_headings_outside_sentences_are_scanned_without_a_sentence():
    # a sub-headline of a 国内联播快讯 item is not a sentence but holds a figure
    heading, body = "前三季度我国服务进出口总额同比增18.2%", "商务部今天发布数据,服务进出口总额同比增长18.2%。"
    text = heading + "\n\n" + body
    sentences = sentence_frame([body]).with_columns(char_start=pl.lit(len(heading) + 2, pl.Int32),
                                                    char_end=pl.lit(len(text), pl.Int32))
    documents = pl.DataFrame({"doc_id": ["d1"], "clean_text": [text]})
    f = figures_from_sentences(sentences, documents)
    assert f["surface"].to_list() == ["18.2%", "18.2%"]
    assert f["sent_no"].to_list() == [None, 1]
    for r in f.iter_rows(named=True):
        assert text[r["char_start"]:r["char_end"]] == r["surface"]


def test_empty_batch_gives_empty_frame_with_spec_columns():
    f = figures_from_sentences(sentence_frame([]), None)
    assert f.height == 0
    assert "value_high" in f.columns and "char_end" in f.columns


# ---- the sample, through the pipeline, scored as warehouse/evaluate.py scores it

@pytest.fixture(scope="module")
def sample():
    return sample_tables()


def _scores(sample):
    from warehouse.evaluate import score_figures
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["figures"]
    text = sample["documents"]["clean_text"][0]
    return score_figures(sample["figures"].to_dicts(), gold, text)


def test_sample_figures_meet_recall_and_precision_bounds(sample):
    s = _scores(sample)
    print(f"\nsample figures: strict recall {s['strict_recall']:.3f}, precision {s['precision']:.3f}, "
          f"speaker {s['speaker_acc']:.3f}; misses {s['misses']}; false positives {s['false_positives']}")
    assert s["strict_recall"] >= 0.97
    assert s["precision"] >= 0.97
    assert s["speaker_acc"] >= 0.97


def test_sample_has_no_dates_years_generation_names_or_list_numbers(sample):
    surfaces = sample["figures"]["surface"].to_list()
    for s in surfaces:
        assert not any(w in s for w in ("月", "日", "年", "5G", "6G", "一是", "第")), s
    assert sample["figures"].filter(pl.col("value").is_between(1900, 2100) & (pl.col("unit") == "")).height == 0


def test_sample_surfaces_are_the_clean_text_at_their_offsets(sample):
    text = sample["documents"]["clean_text"][0]
    for r in sample["figures"].iter_rows(named=True):
        assert text[r["char_start"]:r["char_end"]] == r["surface"]


# ---- the work reports' main-target paragraphs

def _report(year: str) -> str:
    for line in WORK_REPORTS.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r.get("year") == year and "政府工作报告" in r["title"]:
            return r["content"]
    raise AssertionError(f"no {year} report")


@pytest.fixture(scope="module")
def reports():
    raw = raw_documents({f"gwr-{y}.txt": _report(y) for y in ("2024", "2025")})
    return run_pipeline(raw)


TARGETS = {
    "2024": [(5, "%", "~"), (12000000, "人", ">="), (5.5, "%", "~"), (3, "%", "~"),
             (1.3e12, "斤", ">="), (2.5, "%", "~")],
    "2025": [(5, "%", "~"), (5.5, "%", "~"), (12000000, "人", ">="), (2, "%", "~"),
             (1.4e12, "斤", "~"), (3, "%", "~")],
}


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_work_report_main_targets_are_all_extracted(reports, year):
    docs = reports["documents"].with_columns(pl.col("source_uri").str.extract(r"gwr-(\d{4})").alias("year"))
    doc_id = docs.filter(pl.col("year") == year)["doc_id"][0]
    text = docs.filter(pl.col("year") == year)["clean_text"][0]
    start = text.index("今年发展主要预期目标是")
    end = text.index("\n", start)
    got = (reports["figures"].filter((pl.col("doc_id") == doc_id) & pl.col("char_start").is_between(start, end))
           .sort("char_start"))
    assert [(r["value"], r["unit"], r["qualifier"]) for r in got.iter_rows(named=True)] == \
        [(float(v), u, q) for v, u, q in TARGETS[year]]


def test_work_report_surfaces_are_the_clean_text_at_their_offsets(reports):
    texts = dict(reports["documents"].select("doc_id", "clean_text").iter_rows())
    f = reports["figures"]
    assert f.height > 60
    for r in f.iter_rows(named=True):
        assert texts[r["doc_id"]][r["char_start"]:r["char_end"]] == r["surface"]
