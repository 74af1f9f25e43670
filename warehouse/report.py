"""The analyst's report: one self-contained HTML page of charts and the targets' verdicts.

`build_report(con)` reads the views (`target_outcomes`, `indicator_series`,
`policy_documents`) and the tables, and returns the page: plotly.js is written
into it (no CDN, works offline), every chart is a plotly figure, the verdict
table is plain HTML. `outcomes_markdown(con)` is the same verdicts as a markdown
table, for the Prefect artifact at the end of a backfill.
"""
from __future__ import annotations

import datetime as dt
import html

import polars as pl

# the indicators drawn as target against outcome, when the database has them
MAIN_INDICATORS = ["gdp_growth", "cpi", "urban_unemployment_rate", "new_urban_jobs", "grain_output",
                   "per_capita_disposable_income_growth"]
# CJK fonts first, so that Chinese labels render wherever one of them is installed
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"
VERDICT_COLOURS = {"met": "#2e7d32", "missed": "#c62828", "unclear": "#f9a825", "no_outcome": "#9e9e9e"}
TOP_N = 12

Q_TARGETS_AND_OUTCOMES = """
    SELECT s.indicator, i.name, s.kind, s.period_year,
           first(s.value ORDER BY s.published_date, s.doc_id, s.char_start) AS value,
           first(s.unit ORDER BY s.published_date, s.doc_id, s.char_start) AS unit
    FROM indicator_series s JOIN indicators i USING (indicator)
    WHERE s.jurisdiction = 'national' AND s.kind IN ('target', 'outcome') AND s.period_year IS NOT NULL
      AND s.indicator IN ({names})
      -- one unit per indicator, that of most of its targets (粮食产量 is given in 斤 and in 吨)
      AND s.unit = (SELECT mode(x.unit) FROM targets x WHERE x.indicator = s.indicator)
    GROUP BY ALL ORDER BY s.indicator, s.kind, s.period_year"""
Q_FIGURES_PER_INDICATOR = """
    WITH f AS (
        SELECT f.indicator, year(d.published_date) AS year FROM figures f JOIN documents d USING (doc_id)
        WHERE f.indicator IS NOT NULL AND d.published_date IS NOT NULL),
    top AS (SELECT indicator FROM f GROUP BY ALL ORDER BY count(*) DESC, indicator LIMIT {n})
    SELECT i.name || ' (' || f.indicator || ')' AS indicator, f.year, count(*) AS figures
    FROM f JOIN top USING (indicator) JOIN indicators i USING (indicator)
    GROUP BY ALL ORDER BY f.year"""
Q_SPEAKERS = """
    WITH s AS (
        SELECT f.speaker, coalesce(i.name, 'no indicator') AS about FROM figures f
        LEFT JOIN indicators i USING (indicator)
        LEFT JOIN turns t ON t.doc_id = f.doc_id AND t.turn_no = f.turn_no
        WHERE f.speaker IS NOT NULL AND coalesce(t.speaker_role, 'official') <> 'reporter'),
    top AS (SELECT speaker, count(*) AS n FROM s GROUP BY ALL ORDER BY n DESC, speaker LIMIT {n}),
    topics AS (SELECT about FROM s WHERE about <> 'no indicator' GROUP BY ALL ORDER BY count(*) DESC, about LIMIT 8)
    SELECT s.speaker, top.n,
           CASE WHEN s.about IN (SELECT about FROM topics) OR s.about = 'no indicator' THEN s.about
                ELSE 'other indicators' END AS about,
           count(*) AS figures
    FROM s JOIN top USING (speaker) GROUP BY ALL ORDER BY top.n, s.speaker"""
Q_TURNS = """
    SELECT speaker, count(*) AS turns FROM turns WHERE speaker IS NOT NULL AND speaker_role = 'official'
    GROUP BY ALL ORDER BY turns DESC, speaker LIMIT {n}"""
Q_POLICY_REFS = """
    WITH r AS (
        SELECT r.title, year(d.published_date) AS year FROM policy_refs r JOIN documents d USING (doc_id)
        WHERE d.published_date IS NOT NULL),
    top AS (SELECT title FROM r GROUP BY ALL ORDER BY count(*) DESC, title LIMIT 8)
    SELECT CASE WHEN title IN (SELECT title FROM top) THEN '《' || title || '》' ELSE 'other documents' END AS title,
           year, count(*) AS mentions
    FROM r GROUP BY ALL ORDER BY year"""
Q_VERDICTS = """
    SELECT o.indicator, i.name, o.jurisdiction, o.deadline_year, o.target_value, o.target_value_high,
           o.target_unit, o.target_qualifier, o.target_text, o.target_title, o.target_char_start,
           o.outcome_value, o.outcome_qualifier, o.outcome_sentence, o.outcome_title, o.outcome_char_start,
           o.verdict
    FROM target_outcomes o JOIN indicators i USING (indicator)
    {where}
    ORDER BY o.verdict = 'no_outcome', o.indicator, o.jurisdiction, o.deadline_year, o.target_doc_id, o.target_no"""


def _layout(fig, title: str, height: int = 420):
    fig.update_layout(title=title, font=dict(family=FONT, size=13), height=height, margin=dict(l=60, r=20, t=60, b=50),
                      legend=dict(orientation="h", y=-0.15), template="plotly_white")
    return fig


def _targets_vs_outcomes(con):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    names = ", ".join(f"'{i}'" for i in MAIN_INDICATORS)
    data = con.sql(Q_TARGETS_AND_OUTCOMES.format(names=names)).pl()
    # outcomes from the years the targets cover (and two before), so that the two lines meet
    first_target = data.filter(pl.col("kind") == "target").group_by("indicator").agg(first=pl.col("period_year").min())
    data = data.join(first_target, on="indicator").filter(pl.col("period_year") >= pl.col("first") - 2)
    present = [i for i in MAIN_INDICATORS if i in set(data["indicator"].to_list())]
    if not present:
        return None
    titles = [data.filter(pl.col("indicator") == i)["name"][0] for i in present]
    cols = 2
    rows = (len(present) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, vertical_spacing=0.14)
    for k, ind in enumerate(present):
        r, c = k // cols + 1, k % cols + 1
        for kind, style in (("target", dict(dash="dash", color="#1565c0")), ("outcome", dict(color="#ef6c00"))):
            part = data.filter((pl.col("indicator") == ind) & (pl.col("kind") == kind))
            unit = part["unit"][0] if part.height else ""
            fig.add_trace(go.Scatter(x=part["period_year"].to_list(), y=part["value"].to_list(), mode="lines+markers",
                                     name=kind, line=style, showlegend=k == 0, legendgroup=kind,
                                     hovertemplate=f"%{{x}}: %{{y}} {unit}<extra>{kind}</extra>"), row=r, col=c)
    return _layout(fig, "National targets and outcomes by year (target: the year's work report; outcome: the next one)",
                   height=300 * rows + 80)


def _figures_per_indicator(con):
    import plotly.graph_objects as go

    data = con.sql(Q_FIGURES_PER_INDICATOR.format(n=TOP_N)).pl()
    if data.is_empty():
        return None
    wide = data.pivot(on="year", index="indicator", values="figures", sort_columns=True).fill_null(0)
    years = [c for c in wide.columns if c != "indicator"]
    fig = go.Figure(go.Heatmap(z=[list(r) for r in wide.select(years).rows()], x=years, y=wide["indicator"].to_list(),
                               colorscale="Blues", hovertemplate="%{y}, %{x}: %{z} figures<extra></extra>"))
    return _layout(fig, f"Figures per indicator and year of publication (top {TOP_N} indicators)",
                   height=max(360, 28 * wide.height + 140))


def _speakers(con):
    import plotly.graph_objects as go

    data = con.sql(Q_SPEAKERS.format(n=TOP_N)).pl()
    turns = con.sql(Q_TURNS.format(n=TOP_N)).pl()
    if data.is_empty() and turns.is_empty():
        return None
    if data.is_empty():
        fig = go.Figure(go.Bar(x=turns["turns"].to_list(), y=turns["speaker"].to_list(), orientation="h"))
        return _layout(fig, "Officials with the most turns")
    fig = go.Figure()
    for about in data["about"].unique(maintain_order=True).to_list():
        part = data.filter(pl.col("about") == about)
        grey = dict(color="#cfd8dc") if about == "no indicator" else None
        fig.add_trace(go.Bar(x=part["figures"].to_list(), y=part["speaker"].to_list(), name=about, orientation="h",
                             marker=grey))
    fig.update_layout(barmode="stack")
    return _layout(fig, "Who cites most figures, and about what", height=max(380, 30 * data["speaker"].n_unique() + 160))


def _policy_refs(con):
    import plotly.graph_objects as go

    data = con.sql(Q_POLICY_REFS).pl()
    if data.is_empty():
        return None
    fig = go.Figure()
    for title in data["title"].unique(maintain_order=True).to_list():
        part = data.filter(pl.col("title") == title)
        fig.add_trace(go.Bar(x=part["year"].to_list(), y=part["mentions"].to_list(), name=title))
    fig.update_layout(barmode="stack")
    return _layout(fig, "Policy documents cited, by year of publication", height=460)


def _fmt(v, unit=None) -> str:
    if v is None:
        return ""
    if unit != "%" and abs(v) >= 1e4:
        for div, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
            if abs(v) >= div:
                return f"{v / div:g}{word}{unit}"
    return f"{v:g}{unit or ''}"


def _verdict_table(con, limit: int = 400) -> str:
    data = con.sql(Q_VERDICTS.format(where="")).pl()
    counts = data.group_by("verdict").len().sort("verdict")
    summary = ", ".join(f"{v}: {n}" for v, n in counts.rows())
    e = html.escape
    rows = []
    for k, r in enumerate(data.head(limit).iter_rows(named=True)):
        target = _fmt(r["target_value"], r["target_unit"])
        if r["target_qualifier"] == "range":
            target = f"{_fmt(r['target_value'])}–{_fmt(r['target_value_high'], r['target_unit'])}"
        rows.append(
            f'<tr id="t{k}"><td>{e(r["name"])}<br><code>{e(r["indicator"])}</code></td><td>{e(r["jurisdiction"] or "")}</td>'
            f'<td>{r["deadline_year"]}</td><td>{e(r["target_qualifier"] or "")} {e(target)}</td>'
            f'<td>{e(_fmt(r["outcome_value"], r["target_unit"]))}</td>'
            f'<td><span class="v" style="background:{VERDICT_COLOURS.get(r["verdict"], "#999")}">{e(r["verdict"])}</span></td>'
            f'<td class="ev"><q>{e(r["target_text"])}</q><br><small>{e(r["target_title"] or "")}, '
            f'char {r["target_char_start"]}</small></td>'
            f'<td class="ev">{"<q>" + e(r["outcome_sentence"]) + "</q><br><small>" + e(r["outcome_title"] or "") + ", char " + str(r["outcome_char_start"]) + "</small>" if r["outcome_sentence"] else ""}</td></tr>'
        )
    more = f"<p>{data.height - limit} more rows: <code>policy-news sql \"select * from target_outcomes\"</code></p>" \
        if data.height > limit else ""
    return (f"<p>{data.height} targets with an indicator and a deadline year ({e(summary)}).</p>"
            "<table><thead><tr><th>indicator</th><th>jurisdiction</th><th>year</th><th>target</th><th>outcome</th>"
            "<th>verdict</th><th>target, as set</th><th>outcome, as reported</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>" + more)


STYLE = f"""
body {{ font-family: {FONT}; margin: 24px auto; max-width: 1320px; color: #212121; }}
h1 {{ font-size: 26px; }} h2 {{ font-size: 20px; margin-top: 36px; border-bottom: 1px solid #ddd; }}
table {{ border-collapse: collapse; font-size: 13px; width: 100%; }}
th, td {{ border-bottom: 1px solid #e0e0e0; padding: 4px 6px; text-align: left; vertical-align: top; }}
td.ev {{ max-width: 420px; }} .v {{ color: white; padding: 1px 6px; border-radius: 3px; }}
.chart {{ margin: 12px 0; }}
"""


def build_report(con, title: str = "policy-news report") -> str:
    """The whole page as one string (plotly.js inline)."""
    from plotly.offline import get_plotlyjs

    counts = con.sql("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM figures), "
                     "(SELECT count(*) FROM targets), (SELECT count(*) FROM figures WHERE indicator IS NOT NULL)").fetchall()[0]
    charts = [("Targets and outcomes", _targets_vs_outcomes(con)), ("Indicators over time", _figures_per_indicator(con)),
              ("Speakers", _speakers(con)), ("Policy documents", _policy_refs(con))]
    body = []
    for heading, fig in charts:
        if fig is not None:
            body.append(f"<h2>{html.escape(heading)}</h2><div class=\"chart\">"
                        + fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False}) + "</div>")
    return (
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>"
        f"<script type=\"text/javascript\">{get_plotlyjs()}</script></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{counts[0]} documents, {counts[1]} figures ({counts[3]} with an indicator), "
        f"{counts[2]} targets. Made {dt.date.today().isoformat()}.</p>"
        + "".join(body)
        + "<h2>Targets and verdicts</h2>" + _verdict_table(con) + "</body></html>"
    )


def outcomes_markdown(con, limit: int = 60) -> str:
    """The verdicts as a markdown table (targets that have an outcome first), for a Prefect artifact."""
    data = con.sql(Q_VERDICTS.format(where="")).pl()
    if data.is_empty():
        return "No target with an indicator and a deadline year yet."
    counts = ", ".join(f"{v}: {n}" for v, n in data.group_by("verdict").len().sort("verdict").rows())
    lines = [f"**Targets judged**: {data.height} ({counts})", "",
             "| indicator | jurisdiction | year | target | outcome | verdict |", "| --- | --- | --- | --- | --- | --- |"]
    for r in data.head(limit).iter_rows(named=True):
        lines.append(f"| {r['name']} | {r['jurisdiction'] or ''} | {r['deadline_year']} | {r['target_qualifier'] or ''} "
                     f"{_fmt(r['target_value'], r['target_unit'])} | {_fmt(r['outcome_value'], r['target_unit'])} "
                     f"| {r['verdict']} |")
    if data.height > limit:
        lines.append(f"\n{data.height - limit} more: `select * from target_outcomes`")
    return "\n".join(lines)
