//! A build or preview busy in the claim engine still stops on Ctrl-C or SIGTERM, and a stopped build leaves the
//! published site as it was. Liveness checks, not timings: each process must be gone well within a generous bound.
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Far more than a prompt stop needs (a second), far less than the engine's work below (tens of seconds).
const BOUND: Duration = Duration::from_secs(5);

/// Allowed by the budget, but slow: one strategy over 1,000 hosts and 10,000 requests, ten seeds, about ten seconds
/// of work on two cores at the test profile's optimisation (the machine only makes it slower).
const SLOW: &str =
    "strategies = [\"pike\"]\nseeds = 10\n[cloud]\nhosts = 1000\n[workload]\nrate = 50.0\nrequests = 10000\n";

fn post(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2020-01-01\n+++\n\n{body}\n")
}

fn slow_post() -> String {
    post("Slow", &format!("A table that takes a while:\n\n```claims\n{SLOW}```\n"))
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/hello.md", &post("Hello", "Hello."));
    dir
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let temporary = path.with_extension("tmp~");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(temporary, path).unwrap();
}

fn fanzine(root: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_fanzine"))
        .args(args)
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends `signal` (`TERM`, `INT`) the way a terminal or a service manager would.
fn signal(child: &Child, signal: &str) {
    let sent = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
}

/// Whether `child` exits within [`BOUND`]; kills it if not, so a failing test leaves nothing behind.
fn exits_in_time(child: &mut Child) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + BOUND;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Lines of the child's stderr, on a channel, read by a thread of their own.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (send, lines) = mpsc::channel();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

fn wait_for(lines: &mpsc::Receiver<String>, wanted: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match lines.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                let found = line.contains(wanted);
                seen.push(line);
                if found {
                    return seen;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    panic!("no line with {wanted:?} in {seen:?}");
}

/// A snapshot of a folder: relative paths and bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_build_busy_in_the_engine_stops_on_sigterm_and_leaves_public_as_it_was() {
    let dir = site();
    let built = Command::new(env!("CARGO_BIN_EXE_fanzine")).arg("build").current_dir(dir.path()).output().unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let before = tree(&dir.path().join("public"));
    write(dir.path(), "content/slow.md", &slow_post());
    let mut build = fanzine(dir.path(), &["build"]);
    // Long enough to be inside the engine (loading a two-post site takes milliseconds), far from its end.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(build.try_wait().unwrap().is_none(), "the slow build ended before it was stopped");
    signal(&build, "TERM");
    let status = exits_in_time(&mut build).expect("the build did not stop within the bound");
    assert!(!status.success());
    assert_eq!(tree(&dir.path().join("public")), before, "a stopped build changed public/");
}

#[test]
fn a_preview_rebuilding_in_the_engine_stops_on_sigterm() {
    let dir = site();
    let mut serve = fanzine(dir.path(), &["serve", "--port", "0"]);
    let lines = stderr_lines(&mut serve);
    wait_for(&lines, "(Ctrl-C to stop)");
    write(dir.path(), "content/slow.md", &slow_post());
    // The save is picked up within milliseconds; the rebuild then runs the engine for many seconds.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(serve.try_wait().unwrap().is_none());
    signal(&serve, "TERM");
    let status = exits_in_time(&mut serve).expect("the preview did not stop within the bound");
    assert!(status.success(), "{status:?}");
    let said = wait_for(&lines, "stopped");
    assert!(!said.iter().any(|l| l.contains("rebuilt")), "the rebuild finished before the signal: {said:?}");
    assert!(!said.iter().any(|l| l.contains("cancelled")), "the cut-short rebuild was reported: {said:?}");
}

#[test]
fn a_preview_building_in_the_engine_at_start_stops_on_ctrl_c() {
    let dir = site();
    write(dir.path(), "content/slow.md", &slow_post());
    let mut serve = fanzine(dir.path(), &["serve", "--port", "0"]);
    std::thread::sleep(Duration::from_millis(1500));
    assert!(serve.try_wait().unwrap().is_none());
    signal(&serve, "INT");
    exits_in_time(&mut serve).expect("the preview did not stop within the bound");
}
