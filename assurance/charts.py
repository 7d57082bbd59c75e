"""Plotly figures shared by the pages and the board pack (accessible Okabe-Ito colours)."""

from __future__ import annotations

import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", None: "#7F7F7F"}


RAG_MARKERS = {  # shape as well as colour, so red and amber differ for everyone and in black and white
    "green": ("circle", "Green: on target"),
    "amber": ("diamond", "Amber: just short of target"),
    "red": ("square", "Red: off target"),
    None: ("circle-open", "Not rated"),
}


def trend_chart(periods: list[str], values: list[float | None], title: str, unit: str,
                target: float | None = None, rags: list[str | None] | None = None, print_size: bool = False) -> go.Figure:
    """A measure over time: a line with RAG-marked points (shape and colour, with a legend) and the target dashed.

    `print_size` sets larger text for a static image that will be shrunk onto a page (the board pack).
    """
    text = 17 if print_size else 12
    suffix = "%" if unit == "%" else ""
    rags = rags if rags and any(rags) else None  # an unrated measure: plain points, no RAG legend
    fig = go.Figure(go.Scatter(
        x=periods, y=values, mode="lines" if rags else "lines+markers", name=title, showlegend=False,
        line={"color": OKABE_ITO[0], "width": 2.5}, marker={"color": OKABE_ITO[0], "size": 9},
        hovertemplate="%{x}: %{y:,.1f}" + (" %" if unit == "%" else "") + "<extra></extra>",
    ))
    if rags:
        for rag in ("green", "amber", "red", None):
            xs = [p for p, v, r in zip(periods, values, rags) if r == rag and v is not None]
            if not xs:
                continue
            ys = [v for v, r in zip(values, rags) if r == rag and v is not None]
            symbol, name = RAG_MARKERS[rag]
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers", name=name,
                marker={"symbol": symbol, "color": RAG_COLOURS[rag], "size": 12 if print_size else 11,
                        "line": {"color": RAG_COLOURS[rag] if rag is None else "white", "width": 1.5 if rag is None else 1}},
                hovertemplate="%{x}: %{y:,.1f}" + (" %" if unit == "%" else "") + f" ({name})<extra></extra>",
            ))
    if target is not None and periods:
        # a trace, not an annotation: it goes in the legend, so its label never sits on the axis labels
        fig.add_trace(go.Scatter(
            x=periods, y=[target] * len(periods), mode="lines", name=f"Target {target:g}{suffix}",
            line={"dash": "dash", "color": "#4C6272", "width": 1.5}, hoverinfo="skip",
        ))
    heading = _wrap(title, 58 if print_size else 90)
    fig.update_layout(
        title={"text": heading, "font": {"size": text + 3}}, template="plotly_white", showlegend=len(fig.data) > 1,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.2, "yanchor": "top", "font": {"size": text - 1}},
        margin={"l": 60, "r": 20, "t": 80 if "<br>" in heading else 55, "b": 20}, font={"family": "Arial, sans-serif", "size": text},
    )
    fig.update_xaxes(tickfont={"size": text - 1}, type="category")
    if print_size:  # '2026-27<br>Q2': eight quarters fit across a half-page chart without turning the labels
        fig.update_xaxes(tickvals=periods, ticktext=[p.replace(" ", "<br>", 1) for p in periods])
    fig.update_yaxes(tickfont={"size": text - 1}, ticksuffix=suffix,
                     title_text="" if unit == "%" else (unit if unit != "count" else "number"))
    return fig


def _wrap(text: str, width: int) -> str:
    """Break a long chart title onto a second line at a space (Plotly does not wrap titles)."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text if cut <= 0 else text[:cut] + "<br>" + text[cut + 1:]


def describe_trend(periods: list[str], values: list[float | None], unit: str, target: float | None = None,
                   polarity: str | None = None) -> str:
    """One sentence on what a trend chart shows (and, given the target, where the latest figure stands against it)."""
    from assurance.numbers import fmt

    points = [(p, v) for p, v in zip(periods, values) if v is not None]
    if not points:
        return "No figures yet." if not periods else "No figure can be shown: every quarter has fewer than 10 cases."
    suffix = "%" if unit == "%" else ""
    (p0, v0), (p1, v1) = points[0], points[-1]
    against = ""
    if target is not None and polarity in ("higher", "lower"):
        met = v1 >= target if polarity == "higher" else v1 <= target
        against = f" The latest is {'on or better than' if met else 'short of'} the {target:g}{suffix} target."
    if len(points) == 1:
        return f"{p1}: {fmt(v1)}{suffix}.{against}"
    direction = "up" if v1 > v0 else "down" if v1 < v0 else "unchanged"
    hi = max(points, key=lambda x: x[1])
    return (f"From {fmt(v0)}{suffix} in {p0} to {fmt(v1)}{suffix} in {p1} ({direction}); "
            f"highest {fmt(hi[1])}{suffix} in {hi[0]}.{against}")


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


SPC_POINT_COLOURS = {"special_cause_improvement": "#005EB8", "special_cause_concern": "#B04A00",
                     "special_cause_neutral_high": "#7C2855", "special_cause_neutral_low": "#7C2855"}  # as the icons
SPC_POINT_NAMES = {"special_cause_improvement": "Special cause improving",
                   "special_cause_concern": "Special cause concerning",
                   "special_cause_neutral_high": "Special cause", "special_cause_neutral_low": "Special cause"}


def spc_chart(periods: list[str], values: list[float], title: str, unit: str, spc, target: float | None = None,
              breaks: list[tuple[str, str]] | None = None) -> go.Figure:
    """An XmR chart as Making Data Count draws it: the series, each segment's mean and process limits, special-cause
    points coloured improving (blue) or concerning (orange) and shaped too, and where the limits were worked out
    afresh."""
    types = list(spc.point_types) if spc else ["common_cause"] * len(values)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=periods, y=values, mode="lines+markers", name=title, showlegend=False,
                             line={"color": "#7F7F7F", "width": 2}, marker={"size": 9, "color": "#7F7F7F"},
                             hovertemplate="%{x}: %{y:,.1f}<extra></extra>"))
    for kind, colour in SPC_POINT_COLOURS.items():
        xs = [p for p, t in zip(periods, types) if t == kind]
        if xs:
            fig.add_trace(go.Scatter(x=xs, y=[v for v, t in zip(values, types) if t == kind], mode="markers",
                                     name=SPC_POINT_NAMES[kind], hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
                                     marker={"size": 12, "color": colour,
                                             "symbol": "diamond" if kind == "special_cause_concern" else "circle"}))
    if spc:
        lines = (("mean", "mean", "solid"), ("upper", "upper limit", "dot"), ("lower", "lower limit", "dot"))
        for attr, name, dash in lines:
            xs, ys = [], []
            for seg in spc.segments:  # one line per segment, broken where the limits are worked out afresh
                y = getattr(seg, attr)
                if y is None:
                    continue
                xs += periods[seg.start:seg.end] + [None]
                ys += [y] * seg.n + [None]
            if xs:
                fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name, hoverinfo="skip",
                                         line={"color": "#4C6272", "dash": dash, "width": 1}))
        for seg in spc.segments[1:]:
            fig.add_shape(type="line", x0=seg.start - 0.5, x1=seg.start - 0.5, y0=0, y1=1, yref="paper",
                          line={"color": "#4C6272", "dash": "dash", "width": 1})
            reason = dict(breaks or []).get(periods[seg.start], "")
            fig.add_annotation(x=seg.start - 0.5, y=1, yref="paper", xanchor="left", yanchor="bottom", showarrow=False,
                               text=("Limits afresh" + (f": {reason}" if reason else ""))[:60], font={"size": 10})
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
    widest = max((sum(v or 0 for v in bar) for bar in zip(*grades.values())), default=0)
    if widest < 10:  # a handful of audits: whole-number ticks, never 0.5 of an audit
        fig.update_xaxes(dtick=1, tick0=0)
    return _layout(fig, title, barmode="stack", xaxis_title="audits", height=max(260, 30 * len(categories) + 110),
                   legend={"orientation": "h", "y": -0.25})
