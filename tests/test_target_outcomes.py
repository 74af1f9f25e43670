"""target_outcomes and indicator_series: targets of the work reports against what the next report says."""
from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from sources.base import RawDocument, raw_frame
from transforms.pipeline import transform_batch


def _load(db_path, batch_tables):
    from warehouse.db import connect
    from warehouse.load import load_batch

    con = connect(db_path)
    load_batch(con, batch_tables)
    return con


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    from tests.corpus_batches import reports_and_news

    con = _load(tmp_path_factory.mktemp("outcomes") / "corpus.duckdb", reports_and_news().tables)
    yield con
    con.close()


def _outcomes(con, indicator):
    rows = con.sql(f"""SELECT deadline_year, target_value, target_qualifier, outcome_value, verdict
                       FROM target_outcomes WHERE jurisdiction = 'national' AND indicator = '{indicator}'
                       ORDER BY deadline_year, target_doc_id, target_no""").fetchall()
    return {y: (tv, q, ov, v) for y, tv, q, ov, v in rows}


@pytest.mark.slow
def test_gdp_growth_targets_of_the_national_work_reports_are_judged_by_the_next_report(corpus_db):
    got = _outcomes(corpus_db, "gdp_growth")
    assert got[2015] == (7.0, "~", 6.9, "met")
    assert got[2021] == (6.0, ">=", 8.1, "met")
    assert got[2022] == (5.5, "~", 3.0, "missed")
    assert got[2023] == (5.0, "~", 5.2, "met")
    assert got[2024] == (5.0, "~", 5.0, "met")
    # the 2025 report's targets have no later report in the corpus
    assert got[2025][3] == "no_outcome"


@pytest.mark.slow
def test_jobs_unemployment_and_prices_of_2023_and_2024_as_the_following_reports_state_them(corpus_db):
    # 2024 report: 城镇新增就业1244万人,城镇调查失业率平均为5.2%。居民消费价格上涨0.2%。
    # 2025 report: 城镇新增就业1256万人、城镇调查失业率平均为5.1%,居民消费价格上涨0.2%。
    jobs, unemployment, cpi = (_outcomes(corpus_db, i) for i in ("new_urban_jobs", "urban_unemployment_rate", "cpi"))
    assert jobs[2023] == (12_000_000, "~", 12_440_000, "met")
    assert jobs[2024] == (12_000_000, ">=", 12_560_000, "met")
    assert unemployment[2023] == (5.5, "~", 5.2, "met")
    assert unemployment[2024] == (5.5, "~", 5.1, "met")
    # 居民消费价格涨幅3%左右 is a cap: 0.2 % is within it
    assert cpi[2023] == (3.0, "~", 0.2, "met")
    assert cpi[2024] == (3.0, "~", 0.2, "met")


@pytest.mark.slow
def test_every_outcome_carries_the_evidence_of_both_sides(corpus_db):
    rows = corpus_db.sql("""
        SELECT o.target_text, substr(t.clean_text, o.target_char_start + 1, o.target_char_end - o.target_char_start),
               o.outcome_sentence, substr(d.clean_text, o.outcome_char_start + 1, o.outcome_char_end - o.outcome_char_start)
        FROM target_outcomes o JOIN documents t ON t.doc_id = o.target_doc_id
        JOIN documents d ON d.doc_id = o.outcome_doc_id
        WHERE o.verdict <> 'no_outcome'""").fetchall()
    assert rows
    for target_text, target_span, sentence, outcome_span in rows:
        assert target_text == target_span
        assert outcome_span in sentence


@pytest.mark.slow
def test_provincial_reports_give_each_province_its_2026_gdp_growth_target(corpus_db):
    rows = corpus_db.sql("""
        SELECT d.jurisdiction, d.title, t.deadline_year, t.value
        FROM targets t JOIN documents d USING (doc_id)
        WHERE d.source_uri LIKE '%provincial-work-reports-2026%' AND t.indicator = 'gdp_growth'""").pl()
    provinces = rows.filter((pl.col("jurisdiction") != "national") & (pl.col("deadline_year") == 2026))
    assert provinces["jurisdiction"].n_unique() >= 26
    # the province is named in the title, except Yunnan's (`2026年政府工作报告`), named in its opening lines
    assert provinces.filter(~pl.col("title").str.contains(pl.col("jurisdiction")))["jurisdiction"].unique().to_list() \
        in ([], ["云南省"])
    assert provinces["value"].is_between(4.0, 7.5).all()


@pytest.mark.slow
def test_indicator_series_puts_targets_and_outcomes_of_one_indicator_in_one_query(corpus_db):
    s = corpus_db.sql("""SELECT kind, period_year, value FROM indicator_series
                         WHERE indicator = 'gdp_growth' AND jurisdiction = 'national' AND period_year = 2023
                         ORDER BY kind""").fetchall()
    assert ("outcome", 2023, 5.2) in s and ("target", 2023, 5.0) in s


def _judge(tmp_path, target: tuple, outcome: tuple, indicator: str = "cpi"):
    """One target (value, value_high, unit, qualifier) of a 2024 report and one outcome figure
    (value, unit, qualifier) for 2024 in a 2025 report, through the real views."""
    docs = [RawDocument(source_uri=f"r{y}.txt", source_format="text", title=f"{y}年国务院政府工作报告",
                        text=f"报告{y}。", published_date=dt.date(y, 3, 5)) for y in (2024, 2025)]
    tables = transform_batch(raw_frame(docs)).tables
    ids = tables["documents"].sort("published_date")["doc_id"].to_list()
    tv, tvh, tu, tq = target
    ov, ou, oq = outcome
    tables["targets"] = pl.DataFrame({
        "doc_id": [ids[0]], "target_no": [1], "text": ["报告"], "deadline_year": [2024], "value": [tv],
        "value_high": [tvh], "unit": [tu], "qualifier": [tq], "char_start": [0], "char_end": [2],
        "indicator": [indicator], "pipeline_version": ["t"]})
    tables["figures"] = pl.DataFrame({
        "doc_id": [ids[1]], "figure_no": [1], "surface": ["x"], "value": [ov], "unit": [ou], "qualifier": [oq],
        "char_start": [0], "char_end": [2], "indicator": [indicator], "period_year": [2024], "pipeline_version": ["t"]})
    con = _load(tmp_path / "j.duckdb", tables)
    try:
        return con.sql("SELECT verdict FROM target_outcomes").fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.parametrize("indicator, target, outcome, verdict", [
    ("cpi", (3.0, None, "%", "~"), (3.4, "%", "="), "met"),          # a cap: up to 3 + 0.5
    ("cpi", (3.0, None, "%", "~"), (3.6, "%", "="), "missed"),
    ("cpi", (3.0, None, "%", "~"), (-0.3, "%", "="), "met"),         # far below a cap is still within it
    ("gdp_growth", (5.0, None, "%", "~"), (4.6, "%", "="), "met"),   # higher is better: from 5 - 0.5
    ("gdp_growth", (5.0, None, "%", "~"), (4.4, "%", "="), "missed"),
    ("gdp_growth", (6.0, None, "%", ">="), (5.9, "%", "="), "missed"),
    ("gdp_growth", (6.5, 7.0, "%", "range"), (6.7, "%", "="), "met"),
    ("urban_unemployment_rate", (5.5, None, "%", "<="), (5.6, "%", "="), "missed"),
    ("new_urban_jobs", (12e6, None, "人", ">="), (11.9e6, "人", "<~"), "missed"),
    ("new_urban_jobs", (12e6, None, "人", ">="), (12.5e6, "人", "<~"), "unclear"),  # 近1250万: a bound only
    ("deficit_ratio", (3.0, None, "%", "~"), (3.2, "%", "="), "met"),  # no direction: |3.2 - 3| <= 0.5
    ("gdp_growth", (5.0, None, "%", "~"), (5.0, "元", "="), "no_outcome"),  # another unit is not compared
])
def test_verdict_follows_the_target_s_qualifier_and_the_indicator_s_direction(tmp_path, indicator, target, outcome, verdict):
    assert _judge(tmp_path, target, outcome, indicator) == verdict


@pytest.mark.slow
def test_outcomes_markdown_lists_each_judged_target_with_its_verdict(corpus_db):
    from warehouse.report import outcomes_markdown

    md = outcomes_markdown(corpus_db)
    assert md.startswith("**Targets judged**")
    assert "| 国内生产总值增长 | national | 2022 | ~ 5.5% | 3% | missed |" in md


@pytest.mark.prefect
def test_a_backfill_ends_with_the_target_outcomes_artifact(tmp_path):
    from prefect.client.orchestration import get_client
    from uuid import UUID

    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    from flows.backfill import backfill_flow
    from tests.corpus_batches import WORK_REPORTS

    summary = backfill_flow(str(WORK_REPORTS), db=str(tmp_path / "b.duckdb"))
    assert summary.loaded == 72
    with get_client(sync_client=True) as client:
        # this run's artifact: other backfills of the session write one under the same key
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["target-outcomes"]),
            flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(summary.run_id)])))
    assert len(found) == 1 and "| 国内生产总值增长 | national | 2015 | ~ 7% | 6.9% | met |" in found[0].data
