//! The usage of one quota resource over the last 30 days, drawn as SVG: the daily figures, the
//! limit and the 80 % line. Scales to its container and stays readable at 390 px.

use crate::components::format;
use crate::domain::usage::percent;
use crate::dto::subscriptions::UsageSeries;
use leptos::prelude::*;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 312.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 122.0;

fn short_date(d: chrono::NaiveDate) -> String {
    d.format("%b %-d").to_string()
}

#[component]
pub fn UsageChart(series: UsageSeries) -> impl IntoView {
    let days = (series.to - series.from).num_days().max(1) as f64;
    let highest = series.points.iter().map(|(_, u)| *u).max().unwrap_or(0);
    let top_units = (series.limit.max(highest) as f64 * 1.15).max(1.0);
    let x = move |day: chrono::NaiveDate| {
        LEFT + (day - series.from).num_days() as f64 / days * (RIGHT - LEFT)
    };
    let y = move |units: f64| BOTTOM - units / top_units * (BOTTOM - TOP);
    let line: String = series
        .points
        .iter()
        .map(|(day, units)| format!("{:.1},{:.1}", x(*day), y(*units as f64)))
        .collect::<Vec<_>>()
        .join(" ");
    let limit_y = y(series.limit as f64);
    let warn_y = y(series.limit as f64 * 0.8);
    let pct = percent(series.used, series.limit);
    let of_limit = format!(
        "{} of {}",
        series.used,
        format::count(series.limit, &series.unit)
    );
    let label = format!(
        "{}: {of_limit} in use ({pct}%). Usage over the last 30 days, with the limit and the 80% line.",
        series.resource_name
    );
    let over = pct >= 80;
    let title = label.clone();
    view! {
        <figure class="usage-chart">
            <figcaption>
                <strong>{series.resource_name.clone()}</strong>
                <span class:warn=over>{format!(" {of_limit} in use ({pct}%)")}</span>
            </figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label
                preserveAspectRatio="xMidYMid meet">
                <title>{title}</title>
                <line class="axis" x1=LEFT y1=BOTTOM x2=RIGHT y2=BOTTOM />
                <line class="limit" x1=LEFT y1=limit_y x2=RIGHT y2=limit_y />
                <text class="limit-label" x=RIGHT y=limit_y - 3.0 text-anchor="end">{format!("limit {}", series.limit)}</text>
                <line class="warn-line" x1=LEFT y1=warn_y x2=RIGHT y2=warn_y />
                <text class="warn-label" x=RIGHT y=warn_y - 3.0 text-anchor="end">"80%"</text>
                {(!line.is_empty()).then(|| view! { <polyline class="usage-line" points=line /> })}
                <text class="day-label" x=LEFT y=HEIGHT - 8.0>{short_date(series.from)}</text>
                <text class="day-label" x=RIGHT y=HEIGHT - 8.0 text-anchor="end">{short_date(series.to)}</text>
            </svg>
        </figure>
    }
}
