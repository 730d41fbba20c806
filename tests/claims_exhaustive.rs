//! `fanzine claims --exhaustive` as a user runs it: the report of every interleaving on the
//! shipped small configurations.

use std::process::Command;

fn fanzine(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fanzine")).args(args).output().expect("run fanzine")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn tiny_reports_every_strategy_with_its_state_counts() {
    let out = fanzine(&["claims", "--exhaustive", "--config", "tiny"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("== tiny: two requests race for one slot"), "{text}");
    assert!(text.contains("2 workers; 1 hosts in 1 cell with slots [1]; requests of [1, 1] slots"), "{text}");
    // The hand count of the unit tests: 180 interleavings, 6 states at rest, for pike.
    let pike = text.lines().find(|l| l.starts_with("pike ")).expect("a pike row");
    let cells: Vec<&str> = pike.split_whitespace().collect();
    assert_eq!(cells, ["pike", "56", "6", "180", "1–1", "0", "1", "1", "0", "hold"]);
    for s in ["legacy", "summit_same_cell", "summit_any_cell", "proposal", "queens", "oracle"] {
        assert!(text.lines().any(|l| l.starts_with(&format!("{s} ")) && l.ends_with("hold")), "{s}: {text}");
    }
    assert!(!text.contains("bound reached"), "{text}");
    assert!(!text.contains("refuses where the oracle would place"), "one slot, two requests: no false refusal");
}

#[test]
fn race_prints_the_summit_counterexample_and_is_reproducible() {
    let a = fanzine(&["claims", "--exhaustive", "--config", "race"]);
    let b = fanzine(&["claims", "--exhaustive", "--config", "race"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let text = stdout(&a);
    assert!(text.contains("\nsummit_same_cell refuses where the oracle would place (shortest trace, 13 steps):\n"));
    assert!(text.contains("  13. super conductor: PUT instance 1 → host 1: 409 capacity exceeded; NoValidHost"));
    assert!(!text.contains("proposal refuses"), "{text}");
}

#[test]
fn a_small_bound_is_reported_not_hidden() {
    let out = fanzine(&["claims", "--exhaustive", "--config", "race", "--max-states", "100"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("pike: explored 100 of ≥100 states; bound reached"), "{text}");
    assert!(text.contains("at most 100 states"), "{text}");
}

#[test]
fn exhaustive_takes_no_scenario_and_config_needs_exhaustive() {
    let out = fanzine(&["claims", "s.toml", "--exhaustive"]);
    assert_eq!(out.status.code(), Some(2));
    let out = fanzine(&["claims", "--config", "tiny"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn one_view_for_every_strategy_keeps_the_verdict() {
    // On Queens' per-request view for all, the super conductor still refuses with a host free
    // and the scheduler-claim designs still do not.
    let out = fanzine(&["claims", "--exhaustive", "--config", "race", "--view", "per-request"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("; a per-request host-state view for every strategy\n"), "{text}");
    assert!(text.contains("\nsummit_same_cell refuses where the oracle would place"), "{text}");
    for s in ["pike", "proposal", "queens"] {
        assert!(!text.contains(&format!("\n{s} refuses")), "{s}: {text}");
    }
}
