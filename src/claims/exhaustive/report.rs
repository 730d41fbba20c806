//! The text report: one table per configuration, then the counterexamples. Rows are in the
//! fixed strategy order and every number comes from the search, so the bytes are the same on
//! every run and machine.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::{Bounds, Config, Outcome, STRATEGIES, check};
use crate::claims::strategies::Strategy;

/// Check every strategy on every configuration and render the report.
pub fn render(configs: &[Config], bounds: Bounds) -> String {
    let jobs: Vec<(usize, Strategy)> =
        (0..configs.len()).flat_map(|c| STRATEGIES.iter().map(move |&s| (c, s))).collect();
    let outcomes: Vec<Outcome> = jobs.par_iter().map(|&(c, s)| check(&configs[c], s, bounds)).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Every interleaving of the claim steps (the model: src/claims/exhaustive/mod.rs); \
         at most {} states and {} MiB per search.",
        bounds.max_states,
        bounds.max_bytes >> 20
    );
    for (c, config) in configs.iter().enumerate() {
        let rows: Vec<(Strategy, &Outcome)> =
            jobs.iter().zip(&outcomes).filter(|((k, _), _)| *k == c).map(|((_, s), o)| (*s, o)).collect();
        out.push('\n');
        out.push_str(&table(config, &rows));
    }
    out
}

/// One configuration's table, its bound notes and its counterexamples.
pub fn table(config: &Config, rows: &[(Strategy, &Outcome)]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "== {}: {}", config.name, config.about);
    let _ = writeln!(out, "   {}", config.describe());
    let head =
        ["strategy", "states", "terminal", "interleavings", "active", "false refusals", "PUTs/inst", "builds/inst"];
    let head2 = ["phantoms", "invariants"];
    let mut cells: Vec<Vec<String>> = vec![head.iter().chain(&head2).map(|s| s.to_string()).collect()];
    for (s, o) in rows {
        let at_least = if o.complete { "" } else { "≥" };
        let n = |x: usize| format!("{at_least}{x}");
        let interleavings = if o.interleavings == u128::MAX {
            "≥3.4e38".to_string()
        } else {
            format!("{at_least}{}", o.interleavings)
        };
        let invariants = match o.violations {
            0 => "hold".to_string(),
            v => format!("{v} broken"),
        };
        cells.push(vec![
            s.name().to_string(),
            n(o.states),
            n(o.terminals),
            interleavings,
            format!("{}–{}", o.active.0, o.active.1),
            n(o.false_refusals),
            n(o.puts_per_instance),
            n(o.builds_per_instance),
            n(o.phantoms_at_rest),
            invariants,
        ]);
    }
    let widths: Vec<usize> =
        (0..cells[0].len()).map(|k| cells.iter().map(|r| r[k].chars().count()).max().unwrap_or(0)).collect();
    for row in &cells {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let pad = widths[k] - v.chars().count();
                if k == 0 { format!("{v}{}", " ".repeat(pad)) } else { format!("{}{v}", " ".repeat(pad)) }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    let _ = writeln!(
        out,
        "(active: fewest–most instances active at rest; the rest are worst cases over every interleaving: false \
         refusals per run, PUT attempts and builds per instance, phantom consumptions left in a persistent view)"
    );
    for (s, o) in rows {
        if !o.complete {
            let _ = writeln!(
                out,
                "{}: explored {} of ≥{} states; bound reached, so this is not exhaustive",
                s.name(),
                o.states,
                o.states
            );
        }
    }
    for (s, o) in rows {
        if let Some(trace) = &o.false_refusal_trace {
            let _ = writeln!(
                out,
                "\n{} refuses where the oracle would place (shortest trace, {} steps):",
                s.name(),
                trace.len()
            );
            steps(&mut out, trace);
        }
        if let Some((what, trace)) = &o.violation_trace {
            let _ =
                writeln!(out, "\n{} breaks an invariant: {what} (shortest trace, {} steps):", s.name(), trace.len());
            steps(&mut out, trace);
        }
    }
    out
}

fn steps(out: &mut String, trace: &[String]) {
    for (k, step) in trace.iter().enumerate() {
        let _ = writeln!(out, "  {:>2}. {step}", k + 1);
    }
}
