//! The `fanzine claims` subcommand as a user runs it.

use std::process::Command;

fn fanzine(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fanzine")).args(args).output().expect("run fanzine")
}

fn scenario(dir: &tempfile::TempDir, body: &str) -> String {
    let path = dir.path().join("s.toml");
    std::fs::write(&path, body).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn json_output_is_reproducible_and_progress_free_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(&dir, "strategies = [\"pike\"]\n[cloud]\nhosts = 10\n[workload]\nrequests = 10\n");
    let a = fanzine(&["claims", &path, "--seed", "7", "--seeds", "2", "--format", "json"]);
    let b = fanzine(&["claims", &path, "--seed", "7", "--seeds", "2", "--format", "json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let json: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(json["seeds"], serde_json::json!([7, 8]));
    assert!(a.stderr.is_empty(), "small runs print no progress");
}

#[test]
fn a_bad_scenario_fails_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(&dir, "[scheduler]\nhost_subset = 2\n");
    let out = fanzine(&["claims", &path]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with(&format!("error: {path}:2:1: unknown field `host_subset`")), "{err}");
    assert!(err.contains("did you mean `host_subset_size`?"), "{err}");
}

#[test]
fn three_bad_values_are_reported_together_each_with_its_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path =
        scenario(&dir, "[cloud]\nfill = 1.5\n[workload]\nmulti_create_num = 0\n[scheduler]\ncache_refresh_s = 0\n");
    let out = fanzine(&["claims", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with(&format!("error: {path}:2:1: `cloud.fill`: must be in [0, 1)\n")), "{err}");
    assert!(err.contains("\n  and `workload.multi_create_num` (scenario line 4): must be at least 1\n"), "{err}");
    assert!(err.contains("\n  and `scheduler.cache_refresh_s` (scenario line 6): periods must be positive"), "{err}");
}

#[test]
fn trace_prints_one_run_event_by_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(&dir, "[cloud]\nhosts = 4\n[workload]\nrequests = 2\nmulti_create_ratio = 0.0\n");
    let out = fanzine(&["claims", &path, "--trace", "queens", "--seed", "3"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().next().unwrap().ends_with("Arrive(0)"), "{text}");
    assert_eq!(text.lines().filter(|l| l.contains("SpawnDone")).count(), 2);
}

#[test]
fn the_race_timeline_fixture_tells_its_story() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/claims/race-timeline.toml");
    let summit = String::from_utf8(fanzine(&["claims", path, "--trace", "summit_same_cell"]).stdout).unwrap();
    assert!(summit.contains("409 capacity exceeded; instance 0 NoValidHost"), "{summit}");
    assert!(!summit.contains("claims host 4") && !summit.contains("claims host 5"));
    let proposal = String::from_utf8(fanzine(&["claims", path, "--trace", "proposal"]).stdout).unwrap();
    assert_eq!(proposal.matches(" Active)").count(), 6, "{proposal}");
}
