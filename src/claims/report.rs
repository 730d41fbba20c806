//! Results of a scenario and their renderings: text, Markdown, CSV, JSON and an HTML fragment.
//!
//! Every rendering is a pure function of the [`Report`], with metrics in a fixed order and
//! numbers formatted by Rust's deterministic float formatting, so the same seed gives the same
//! bytes. The HTML uses `currentColor` and CSS custom properties only, so the page's theme
//! (light or dark) decides the colours.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::SerializeMap;

use super::ENGINE_VERSION;
use super::metrics::{NAMES, Stat};
use super::scenario::{CacheMode, Scenario};

/// The columns shown when a scenario does not choose.
pub const DEFAULT_COLUMNS: [&str; 10] = [
    "active",
    "no_valid_host",
    "max_retries_exceeded",
    "false_no_valid_host",
    "claim_attempts",
    "capacity_conflicts",
    "generation_conflicts",
    "reschedules",
    "alternates_used",
    "time_to_active_p99_ms",
];

/// One strategy at one sweep value: every metric over the seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub sweep_value: Option<String>,
    pub strategy: String,
    pub metrics: Metrics,
}

/// Metric statistics in [`NAMES`] order; serialises as a map in that order.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics(pub Vec<Stat>);

impl Serialize for Metrics {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, stat) in NAMES.iter().zip(&self.0) {
            map.serialize_entry(name, stat)?;
        }
        map.end()
    }
}

impl Metrics {
    pub fn get(&self, name: &str) -> Option<Stat> {
        super::metrics::index_of(name).map(|i| self.0[i])
    }
}

impl Row {
    /// Aggregate the per-seed metric vectors of one case.
    pub fn new(sweep_value: Option<String>, strategy: &str, per_seed: &[Vec<f64>]) -> Row {
        let stats = (0..NAMES.len()).map(|m| Stat::of(&per_seed.iter().map(|v| v[m]).collect::<Vec<_>>())).collect();
        Row { sweep_value, strategy: strategy.to_string(), metrics: Metrics(stats) }
    }
}

/// What a scenario produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub engine_version: String,
    pub title: Option<String>,
    pub seed: u64,
    pub seeds: Vec<u64>,
    pub sweep_param: Option<String>,
    /// The scheduler's host-state view the rows share, as the footer names it.
    pub view: String,
    pub columns: Vec<String>,
    pub chart: Option<String>,
    pub rows: Vec<Row>,
}

impl Report {
    pub fn new(scenario: &Scenario, seed: u64, seeds: Vec<u64>, rows: Vec<Row>) -> Report {
        let columns = if scenario.report.columns.is_empty() {
            DEFAULT_COLUMNS.iter().map(|s| s.to_string()).collect()
        } else {
            scenario.report.columns.clone()
        };
        Report {
            engine_version: ENGINE_VERSION.to_string(),
            title: scenario.title.clone(),
            seed,
            seeds,
            sweep_param: scenario.sweep.as_ref().map(|s| s.param.clone()),
            view: view_note(scenario),
            chart: scenario.report.chart.clone().or_else(|| scenario.sweep.as_ref().map(|_| columns[0].clone())),
            columns,
            rows,
        }
    }

    /// The first seed: rerunning with `--seed` this and `--seeds` as many reproduces the table.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The columns' names: the sweep key, `strategy`, then the metrics, as the CSV and the JSON name them.
    fn names(&self) -> Vec<&str> {
        let mut h = Vec::new();
        h.extend(self.sweep_param.as_deref());
        h.push("strategy");
        h.extend(self.columns.iter().map(String::as_str));
        h
    }

    /// The column headings of the text and Markdown tables, in words ([`label`]), as the HTML table shows them; the
    /// CSV and the JSON keep the snake_case names a script reads.
    fn header(&self) -> Vec<String> {
        self.names().into_iter().map(|n| label(n).to_string()).collect()
    }

    fn cells(&self, row: &Row) -> Vec<String> {
        let mut c = Vec::new();
        if self.sweep_param.is_some() {
            c.push(row.sweep_value.clone().unwrap_or_default());
        }
        c.push(row.strategy.clone());
        for col in &self.columns {
            let s = row.metrics.get(col).expect("validated column");
            c.push(format_stat(col, s));
        }
        c
    }

    /// A plain-text table with aligned columns, for the terminal.
    pub fn to_text(&self) -> String {
        let header = self.header();
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| self.cells(r)).collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
            .collect();
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(
                    |(i, (c, w))| {
                        if i < header.len() - self.columns.len() { format!("{c:<w$}") } else { format!("{c:>w$}") }
                    },
                )
                .collect();
            parts.join("  ").trim_end().to_string() + "\n"
        };
        let mut out = String::new();
        if let Some(t) = &self.title {
            out.push_str(t);
            out.push('\n');
        }
        out.push_str(&line(&header));
        out.push_str(&line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
        for r in &rows {
            out.push_str(&line(r));
        }
        out.push_str(&self.footer());
        out.push('\n');
        out
    }

    /// The line under every table: how to reproduce it.
    pub fn footer(&self) -> String {
        format!(
            "mean ± 95% CI over {} seeds (seed {}); scheduler view: {}; engine {}",
            self.seeds.len(),
            self.seed,
            self.view,
            self.engine_version
        )
    }

    /// The command that reproduces this report from the scenario file at `path`.
    pub fn reproduce_command(&self, path: &str) -> String {
        format!("fanzine claims {path} --seed {} --seeds {}", self.seed, self.seeds.len())
    }

    /// A GitHub-flavoured Markdown table.
    pub fn to_markdown(&self) -> String {
        let header = self.header();
        let fixed = header.len() - self.columns.len();
        let mut out = String::new();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let aligns: Vec<&str> = (0..header.len()).map(|i| if i < fixed { "---" } else { "---:" }).collect();
        let _ = writeln!(out, "| {} |", aligns.join(" | "));
        for r in &self.rows {
            let _ = writeln!(out, "| {} |", self.cells(r).join(" | "));
        }
        let _ = writeln!(out, "\n{}", self.footer());
        out
    }

    /// Every metric, with its interval, one row per strategy and sweep value.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("sweep_param,sweep_value,strategy");
        for n in NAMES {
            let _ = write!(out, ",{n},{n}_ci_low,{n}_ci_high");
        }
        out.push('\n');
        for r in &self.rows {
            let _ = write!(
                out,
                "{},{},{}",
                csv_field(self.sweep_param.as_deref().unwrap_or("")),
                csv_field(r.sweep_value.as_deref().unwrap_or("")),
                csv_field(&r.strategy)
            );
            for s in &r.metrics.0 {
                let _ = write!(out, ",{},{},{}", s.mean, s.ci_low, s.ci_high);
            }
            out.push('\n');
        }
        out
    }

    /// Everything, under the metric names, plus the engine version and the seeds.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports serialise") + "\n"
    }

    /// An HTML fragment: for a sweep an SVG chart, then the table with `caption`.
    pub fn to_html(&self, caption: impl AsRef<str>) -> String {
        let mut out = String::from("<div class=\"claims\">\n");
        if self.sweep_param.is_some() {
            out.push_str(&self.svg());
        }
        out.push_str("<table class=\"claims-table\">\n");
        let _ = writeln!(out, "<caption>{}</caption>", escape(caption.as_ref()));
        out.push_str("<thead><tr>");
        let header = self.names();
        let fixed = header.len() - self.columns.len();
        for (i, h) in header.iter().enumerate() {
            let class = if i < fixed { "" } else { " class=\"num\"" };
            // Readers get words; the metric's own name (the JSON's, the CSV's) is the tooltip.
            let _ = write!(out, "<th scope=\"col\"{class} title=\"{}\">{}</th>", escape(h), escape(label(h)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for r in &self.rows {
            out.push_str("<tr>");
            for (i, c) in self.cells(r).iter().enumerate() {
                if i < fixed {
                    let _ = write!(out, "<th scope=\"row\">{}</th>", escape(c));
                } else {
                    // Keep "mean ± half-width" on one line whatever the page's CSS.
                    let cell = escape(c).replace(" ± ", "\u{a0}±\u{a0}");
                    let _ = write!(out, "<td class=\"num\">{cell}</td>");
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
        out
    }

    /// A line chart of the chart metric against the sweep values, one line per strategy.
    fn svg(&self) -> String {
        let metric = self.chart.clone().unwrap_or_else(|| self.columns[0].clone());
        // Plotted as the table shows it: a share in percent.
        let scale = if metric == "success_rate" { 100.0 } else { 1.0 };
        let mut values: Vec<String> = Vec::new();
        let mut strategies: Vec<String> = Vec::new();
        for r in &self.rows {
            let v = r.sweep_value.clone().unwrap_or_default();
            if !values.contains(&v) {
                values.push(v);
            }
            if !strategies.contains(&r.strategy) {
                strategies.push(r.strategy.clone());
            }
        }
        let ymax = self
            .rows
            .iter()
            .map(|r| r.metrics.get(&metric).map_or(0.0, |s| scale * s.ci_high.max(s.mean)))
            .fold(0.0f64, f64::max);
        let ymax = nice_ceiling(ymax);
        let (w, h, left, right, top, bottom) = (640.0, 300.0, 56.0, 150.0, 28.0, 40.0);
        let plot_w = w - left - right;
        let plot_h = h - top - bottom;
        let x = |i: usize| {
            if values.len() < 2 { left + plot_w / 2.0 } else { left + plot_w * i as f64 / (values.len() - 1) as f64 }
        };
        let y = |v: f64| top + plot_h * (1.0 - v / ymax);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg class=\"claims-chart\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{} by {}\" \
             style=\"max-width:{w}px;color:inherit\" xmlns=\"http://www.w3.org/2000/svg\">",
            escape(label(&metric)),
            escape(label(self.sweep_param.as_deref().unwrap_or("")))
        );
        let _ = writeln!(
            out,
            "<title>{} by {}</title>",
            escape(label(&metric)),
            escape(label(self.sweep_param.as_deref().unwrap_or("")))
        );
        let _ = writeln!(
            out,
            "<g fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.6\"><path d=\"M{left} {top}V{}H{}\"/></g>",
            top + plot_h,
            left + plot_w
        );
        let _ = writeln!(out, "<g fill=\"currentColor\" font-size=\"11\" font-family=\"inherit\">");
        for k in 0..=4 {
            let v = ymax * f64::from(k) / 4.0;
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                left - 6.0,
                y(v) + 4.0,
                short(v)
            );
        }
        for (i, v) in values.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                top + plot_h + 16.0,
                escape(v)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            left + plot_w / 2.0,
            h - 6.0,
            escape(self.sweep_param.as_deref().unwrap_or(""))
        );
        let _ = writeln!(out, "<text x=\"4\" y=\"12\">{}</text>", escape(label(&metric)));
        out.push_str("</g>\n");
        const DASHES: [&str; 7] = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4 1 4"];
        for (si, s) in strategies.iter().enumerate() {
            let points: Vec<String> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let r = self.rows.iter().find(|r| &r.strategy == s && r.sweep_value.as_ref() == Some(v))?;
                    Some(format!("{:.1},{:.1}", x(i), y(scale * r.metrics.get(&metric)?.mean)))
                })
                .collect();
            let color = format!("var(--claims-series-{}, currentColor)", si + 1);
            let dash = DASHES[si % DASHES.len()];
            let dash_attr = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
            let _ = writeln!(
                out,
                "<g stroke=\"{color}\" fill=\"{color}\"><polyline fill=\"none\" stroke-width=\"2\"{dash_attr} points=\"{}\"/>",
                points.join(" ")
            );
            for p in &points {
                let (px, py) = p.split_once(',').expect("x,y");
                let _ = writeln!(out, "<circle cx=\"{px}\" cy=\"{py}\" r=\"3\"/>");
            }
            let ly = top + 14.0 * si as f64 + 6.0;
            let lx = left + plot_w + 12.0;
            let _ = writeln!(
                out,
                "<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke-width=\"2\"{dash_attr}/>\
                 <text x=\"{}\" y=\"{}\" stroke=\"none\" fill=\"currentColor\" font-size=\"11\">{}</text></g>",
                lx + 20.0,
                lx + 26.0,
                ly + 4.0,
                escape(s)
            );
        }
        out.push_str("</svg>\n");
        out
    }
}

/// "12.3 ± 0.4", with precision suited to the metric.
/// The scheduler view every row of a report shares (MODEL.md §0.3), in words.
fn view_note(scenario: &Scenario) -> String {
    if scenario.sweep.as_ref().is_some_and(|s| s.param == "scheduler.cache") {
        return "as in the sweep column".to_string();
    }
    match scenario.scheduler.cache {
        CacheMode::Persistent => "persistent, the same for every strategy".to_string(),
        CacheMode::PerRequest => "per request, the same for every strategy".to_string(),
        CacheMode::Periodic => {
            format!("refreshed every {} s, the same for every strategy", scenario.scheduler.cache_refresh_s)
        }
        CacheMode::AsReleased => "each release's own (queens per request, the others persistent)".to_string(),
    }
}

/// The label a reader sees above a column of the HTML, Markdown and text tables, for a metric or a sweep key; the
/// name itself when it has none. The JSON, the CSV and scenarios keep the snake_case names.
pub fn label(name: &str) -> &str {
    match name {
        "strategy" => "Strategy",
        "scheduler.cache" => "Scheduler view",
        "scheduler.workers" => "Scheduler workers",
        "scheduler.max_attempts" => "Hosts per request",
        "scheduler.alternates" => "Alternates asked for",
        "latency.filter_weigh_per_host_ms" => "Filter and weigh, ms per host",
        "placement.tau_txn_ms" => "Transaction window, ms",
        "active" => "Instances placed",
        "success_rate" => "Placed, %",
        "no_valid_host" => "NoValidHost",
        "false_no_valid_host" => "NoValidHost with room free",
        "max_retries_exceeded" => "Retries exhausted",
        "phantom_consumptions" => "Phantom consumptions",
        "claim_attempts" => "Claims sent",
        "claim_attempts_per_instance" => "Claims per placed instance",
        "capacity_conflicts" => "Full-host 409s",
        "generation_conflicts" => "Concurrent-update 409s",
        "server_retries" => "Placement's own retries",
        "client_retries" => "Client retries",
        "reschedules" => "Reschedules",
        "alternates_used" => "Alternates claimed",
        "alternate_claims_failed" => "Alternate claims failed",
        "alternates_exhausted" => "Alternate lists exhausted",
        "alternate_staleness_mean_ms" => "Alternate age when claimed, ms",
        "placement_calls_per_instance" => "Placement calls per instance",
        "time_to_active_p99_ms" => "Time to ACTIVE, p99 ms",
        "time_to_active_p50_ms" => "Time to ACTIVE, median ms",
        "deleted" => "Instances deleted",
        other => other,
    }
}

fn format_stat(name: &str, s: Stat) -> String {
    if name == "success_rate" {
        // A share of a random total reads best as a percentage.
        return format!("{:.1} ± {:.1}", 100.0 * s.mean, 100.0 * s.half_width());
    }
    let fine = name.ends_with("_rate")
        || name.starts_with("utilisation")
        || name == "spread"
        || name.ends_with("per_instance");
    if fine {
        format!("{:.3} ± {:.3}", s.mean, s.half_width())
    } else {
        format!("{:.1} ± {:.1}", s.mean, s.half_width())
    }
}

fn short(v: f64) -> String {
    if v == v.trunc() { format!("{v:.0}") } else { format!("{v:.2}") }
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at or above `v` (at least 1).
fn nice_ceiling(v: f64) -> f64 {
    if v <= 1.0 {
        return 1.0;
    }
    let mut scale = 1.0;
    while scale * 10.0 < v {
        scale *= 10.0;
    }
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * scale).find(|c| *c >= v).unwrap_or(10.0 * scale)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceiling_rounds_up() {
        assert_eq!(nice_ceiling(0.3), 1.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(13.0), 20.0);
        assert_eq!(nice_ceiling(240.0), 250.0);
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }

    #[test]
    fn html_headings_are_words_and_shares_are_percentages() {
        let stat = Stat { mean: 0.987, ci_low: 0.979, ci_high: 0.995 };
        assert_eq!(format_stat("success_rate", stat), "98.7 ± 0.8");
        assert_eq!(format_stat("claim_attempts_per_instance", stat), "0.987 ± 0.008");
        let scenario = Scenario {
            report: crate::claims::scenario::ReportCfg { columns: vec!["success_rate".into()], chart: None },
            ..Scenario::default()
        };
        let row = Row::new(None, "proposal", &[vec![1.0; NAMES.len()]]);
        let html = Report::new(&scenario, 1, vec![1], vec![row]).to_html("c");
        assert!(html.contains("<th scope=\"col\" class=\"num\" title=\"success_rate\">Placed, %</th>"), "{html}");
        // The JSON keeps the names.
        assert_eq!(label("events"), "events");
    }
}
