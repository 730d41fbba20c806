//! Readers never see a half-built site: while one thread rewrites a post over and over, several clients fetch its
//! page, the pages that list it, the feed and a missing page, and every answer must be one complete page of one
//! build. Bounded by the number of edits, not by a clock.
//!
//! The post alternates between two versions whose title and body carry a marker (`ONE` or `TWO`). Before the load
//! starts, each path is fetched once per version to learn its two complete bodies; under load, every body must be
//! byte-identical to one of them once its `data-version` (the build generation the preview injects) is set aside.
//! Pages served at the same generation must also agree on the marker: a server that swapped pages in one at a time
//! would show the post at `TWO` and the home page still at `ONE` under one generation number.
use crate::support::{Events, PATIENCE, Running, SiteDir, post, version};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const CLIENTS: usize = 8;
/// Rewrites of the post, each waited for on the event stream so every one is a build published under load.
const EDITS: usize = 24;
const MARKERS: [&str; 2] = ["ONE", "TWO"];
/// What the clients fetch and the status each must answer with.
const PATHS: &[(&str, u16)] = &[
    ("/posts/gamma/", 200),
    ("/", 200),
    ("/tags/web/", 200),
    ("/posts/alpha/", 200),
    ("/atom.xml", 200),
    ("/no/such/page/", 404),
];

fn gamma(marker: &str) -> String {
    post(&format!("Gamma {marker}"), "2020-03-01", &["web"], &format!("Version {marker} of [alpha](@/posts/alpha.md)."))
}

/// One answer, with the generation set aside: `(status, generation, body with data-version="")`.
fn fetch(
    agent: &ureq::Agent,
    running_addr: std::net::SocketAddr,
    path: &str,
) -> Result<(u16, Option<u64>, String), String> {
    let mut response = agent.get(format!("http://{running_addr}{path}")).call().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().map_err(|e| e.to_string())?;
    let (generation, body) = set_generation_aside(&body);
    Ok((status, generation, body))
}

fn set_generation_aside(body: &str) -> (Option<u64>, String) {
    const ATTRIBUTE: &str = "data-version=\"";
    let Some(start) = body.find(ATTRIBUTE).map(|i| i + ATTRIBUTE.len()) else { return (None, body.to_string()) };
    let Some(length) = body[start..].find('"') else { return (None, body.to_string()) };
    let generation = body[start..start + length].parse().ok();
    (generation, format!("{}{}", &body[..start], &body[start + length..]))
}

fn new_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(PATIENCE))
        .build()
        .into()
}

/// Saves `marker`'s version of the post and waits until a build with it is published.
fn save(site: &SiteDir, events: &mut Events, current: &mut u64, marker: &str) {
    site.write("content/posts/gamma.md", &gamma(marker));
    *current = version(&events.newer_than(*current));
}

/// For each path, its complete body under each marker (index into [`MARKERS`]).
type Known = BTreeMap<&'static str, [String; 2]>;

fn learn(site: &SiteDir, running: &Running, events: &mut Events, current: &mut u64) -> Known {
    let agent = new_agent();
    let mut known: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for marker in MARKERS {
        save(site, events, current, marker);
        for (path, status) in PATHS {
            let (got, _, body) = fetch(&agent, running.addr(), path).unwrap();
            assert_eq!(got, *status, "{path} under {marker}");
            known.entry(path).or_default().push(body);
        }
    }
    let known: Known = known.into_iter().map(|(path, bodies)| (path, bodies.try_into().unwrap())).collect();
    for marker_page in ["/posts/gamma/", "/", "/tags/web/"] {
        let [one, two] = &known[marker_page];
        assert!(one.contains("Gamma ONE") && two.contains("Gamma TWO"), "{marker_page} shows the marker");
    }
    known
}

#[derive(Default)]
struct Tally {
    requests: usize,
    failures: Vec<String>,
    /// Generation -> (path, marker index) of every HTML answer whose two versions differ.
    generations: BTreeMap<u64, BTreeSet<(&'static str, usize)>>,
}

/// Fetches every path in turn until `stop`, checking each answer against `known`.
fn client(addr: std::net::SocketAddr, known: &Known, stop: &AtomicBool, tally: &Mutex<Tally>) {
    let mut agent = new_agent();
    let mut round = 0;
    while !stop.load(Ordering::Relaxed) {
        for (path, status) in PATHS {
            let outcome = fetch(&agent, addr, path);
            let mut tally = tally.lock().unwrap();
            tally.requests += 1;
            let (got, generation, body) = match outcome {
                Ok(answer) => answer,
                Err(e) => {
                    tally.failures.push(format!("{path}: transport error {e}"));
                    continue;
                }
            };
            if got != *status {
                tally.failures.push(format!("{path}: status {got}, expected {status}"));
            }
            let complete = body.trim_end().ends_with("</html>") || body.trim_end().ends_with("</feed>");
            let Some(marker) = known[path].iter().position(|k| *k == body) else {
                let tail: String = body.chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
                tally
                    .failures
                    .push(format!("{path}: unknown body (complete: {complete}), {} bytes ending {tail:?}", body.len()));
                continue;
            };
            if let Some(generation) = generation
                && known[path][0] != known[path][1]
            {
                tally.generations.entry(generation).or_default().insert((path, marker));
            }
        }
        round += 1;
        // The ureq agent keeps its connection; every few rounds a fresh one exercises accepting under load too.
        if round % 5 == 0 {
            agent = new_agent();
        }
    }
}

#[test]
fn pages_stay_whole_while_a_post_is_rewritten_under_load() {
    let site = SiteDir::new();
    let running = site.start();
    let mut events = running.events();
    let mut current = version(&events.next());
    let known = Arc::new(learn(&site, &running, &mut events, &mut current));

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (known, stop, tally, addr) = (known.clone(), stop.clone(), tally.clone(), running.addr());
            std::thread::spawn(move || client(addr, &known, &stop, &tally))
        })
        .collect();
    for edit in 0..EDITS {
        save(&site, &mut events, &mut current, MARKERS[edit % 2]);
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().expect("a client thread panicked");
    }

    let tally = tally.lock().unwrap();
    assert!(
        tally.failures.is_empty(),
        "{} of {} requests failed:\n{}",
        tally.failures.len(),
        tally.requests,
        tally.failures.join("\n")
    );
    let mixed: Vec<_> = tally
        .generations
        .iter()
        .filter(|(_, seen)| seen.iter().map(|(_, marker)| marker).collect::<BTreeSet<_>>().len() > 1)
        .collect();
    assert!(mixed.is_empty(), "pages of one generation from different builds: {mixed:?}");
    // The load overlapped the rebuilds: answers came from several generations, with both markers.
    let markers: BTreeSet<usize> = tally.generations.values().flatten().map(|(_, m)| *m).collect();
    assert!(tally.generations.len() >= 2 && markers.len() == 2, "generations seen: {:?}", tally.generations.keys());
    eprintln!(
        "{} requests by {CLIENTS} clients over {EDITS} rebuilds, {} generations seen",
        tally.requests,
        tally.generations.len()
    );
}
