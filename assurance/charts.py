"""Plotly figures shared by the pages and the board pack (accessible Okabe-Ito colours)."""

from __future__ import annotations

import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", None: "#7F7F7F"}


def trend_chart(periods: list[str], values: list[float | None], title: str, unit: str,
                target: float | None = None, rags: list[str | None] | None = None) -> go.Figure:
    """A measure over time: line with RAG-coloured points and the target as a dashed line."""
    colours = [RAG_COLOURS.get(r, RAG_COLOURS[None]) for r in (rags or [None] * len(values))]
    fig = go.Figure(go.Scatter(
        x=periods, y=values, mode="lines+markers", name=title, line={"color": OKABE_ITO[0], "width": 2},
        marker={"color": colours, "size": 10, "line": {"color": "white", "width": 1}},
        hovertemplate="%{x}: %{y:,.1f}" + (" %" if unit == "%" else "") + "<extra></extra>",
    ))
    if target is not None:
        fig.add_hline(y=target, line={"dash": "dash", "color": "#4C6272"}, annotation_text=f"target {target:g}",
                      annotation_position="top left")
    fig.update_layout(
        title={"text": title, "font": {"size": 15}}, template="plotly_white", showlegend=False,
        margin={"l": 50, "r": 20, "t": 50, "b": 40}, yaxis_title=unit if unit != "count" else "number",
        font={"family": "Arial, sans-serif", "size": 12},
    )
    return fig


def describe_trend(periods: list[str], values: list[float | None], unit: str) -> str:
    """One sentence on what a trend chart shows."""
    points = [(p, v) for p, v in zip(periods, values) if v is not None]
    if not points:
        return "No figures yet."
    suffix = "%" if unit == "%" else ""
    (p0, v0), (p1, v1) = points[0], points[-1]
    if len(points) == 1:
        return f"{p1}: {v1:,.1f}{suffix}."
    direction = "up" if v1 > v0 else "down" if v1 < v0 else "unchanged"
    hi = max(points, key=lambda x: x[1])
    return (f"From {v0:,.1f}{suffix} in {p0} to {v1:,.1f}{suffix} in {p1} ({direction}); "
            f"highest {hi[1]:,.1f}{suffix} in {hi[0]}.")


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    fig.update_layout(title={"text": title, "font": {"size": 15}}, template="plotly_white",
                      margin={"l": 10, "r": 20, "t": 50, "b": 40}, font={"family": "Arial, sans-serif", "size": 12}, **kw)
    return fig


def bar_chart(labels: list[str], values: list[float], title: str, value_name: str = "number",
              comparator: dict[str, float] | None = None) -> go.Figure:
    """Horizontal bars, largest at the top; optional comparator (e.g. England %) as markers."""
    fig = go.Figure(go.Bar(y=labels, x=values, orientation="h", marker_color=OKABE_ITO[0], name=value_name,
                           hovertemplate="%{y}: %{x:,}<extra></extra>"))
    if comparator:
        fig.add_trace(go.Scatter(y=list(comparator), x=list(comparator.values()), mode="markers", name="England",
                                 marker={"symbol": "line-ns-open", "size": 18, "color": OKABE_ITO[3], "line": {"width": 3}}))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, xaxis_title=value_name, height=max(260, 28 * len(labels) + 90),
                   showlegend=bool(comparator))


def spc_chart(periods: list[str], values: list[float], title: str, unit: str, spc, target: float | None = None) -> go.Figure:
    """An XmR chart: the series, its mean and natural process limits, special-cause points marked."""
    special = list(spc.special) if spc else [False] * len(values)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=periods, y=values, mode="lines+markers", name=title,
                             line={"color": OKABE_ITO[0], "width": 2},
                             marker={"size": 10, "color": [OKABE_ITO[1] if s else OKABE_ITO[0] for s in special],
                                     "symbol": ["diamond" if s else "circle" for s in special]},
                             hovertemplate="%{x}: %{y:,.1f}<extra></extra>"))
    if spc:
        for y, name, dash in ((spc.mean, "mean", "solid"), (spc.upper, "upper limit", "dot"), (spc.lower, "lower limit", "dot")):
            fig.add_trace(go.Scatter(x=periods, y=[y] * len(periods), mode="lines", name=name,
                                     line={"color": "#7F7F7F", "dash": dash, "width": 1}, hoverinfo="skip"))
    if target is not None:
        fig.add_trace(go.Scatter(x=periods, y=[target] * len(periods), mode="lines", name="target",
                                 line={"color": OKABE_ITO[3], "dash": "dash", "width": 1.5}, hoverinfo="skip"))
    return _layout(fig, title, yaxis_title=unit if unit != "count" else "number", height=360,
                   legend={"orientation": "h", "y": -0.2})


def representation_chart(groups: list[str], ratios: list[float | None], lows: list[float | None],
                         highs: list[float | None], title: str) -> go.Figure:
    """Representation ratios with 95% intervals; 1 = in line with the population."""
    err_plus = [(h - r) if r is not None and h is not None else 0 for r, h in zip(ratios, highs)]
    err_minus = [(r - lo) if r is not None and lo is not None else 0 for r, lo in zip(ratios, lows)]
    colours = [OKABE_ITO[3] if lo is not None and lo > 1 else OKABE_ITO[0] if h is not None and h < 1 else "#7F7F7F"
               for lo, h in zip(lows, highs)]
    fig = go.Figure(go.Scatter(
        y=groups, x=ratios, mode="markers", marker={"size": 11, "color": colours},
        error_x={"type": "data", "array": err_plus, "arrayminus": err_minus, "color": "#4C6272"},
        hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.add_vline(x=1, line={"dash": "dash", "color": "#4C6272"})
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, xaxis_title="representation ratio (1 = as in the population)",
                   height=max(260, 30 * len(groups) + 90), showlegend=False)


def stacked_grades(categories: list[str], grades: dict[str, list[int]], title: str) -> go.Figure:
    colours = {"Outstanding": OKABE_ITO[2], "Good": OKABE_ITO[4], "Requires improvement": OKABE_ITO[1],
               "Inadequate": OKABE_ITO[3], "Not applicable": "#BBBBBB"}
    fig = go.Figure([go.Bar(y=categories, x=v, name=g, orientation="h", marker_color=colours.get(g)) for g, v in grades.items()])
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, barmode="stack", xaxis_title="audits", height=max(260, 30 * len(categories) + 110),
                   legend={"orientation": "h", "y": -0.25})
