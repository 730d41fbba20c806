//! The small configurations `fanzine claims --exhaustive` ships: each small enough that every
//! interleaving of every strategy fits the default bound, each chosen to exercise one race.

use super::state::View;

/// One compute node: its cell and how many units of the one resource class it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Host {
    pub cell: u8,
    pub slots: u8,
}

/// One boot request: `instances` instances (more than one is a multi-create) of `size` units each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub instances: u8,
    pub size: u8,
}

/// A configuration to check exhaustively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub name: &'static str,
    /// One line on what it is for.
    pub about: &'static str,
    /// Scheduler worker processes; call `c` goes to worker `c % workers` (round robin).
    pub workers: u8,
    pub hosts: Vec<Host>,
    pub requests: Vec<Request>,
    /// Hosts per instance: the first build plus reschedules or alternates (`max_attempts`).
    pub max_attempts: u8,
    /// How many builds in the whole run the adversary may fail (each build may or may not).
    pub failures: u8,
    /// The PUT as two steps, the transaction's snapshot and its commit, so that "concurrently
    /// updated" 409s and the client's retries happen; otherwise one atomic step.
    pub split_put: bool,
    /// One host-state view for every strategy, so that designs compare on the same view;
    /// `None`: each strategy's own (persistent for all but queens).
    pub view: Option<View>,
}

impl Config {
    pub fn cells(&self) -> usize {
        let mut cells: Vec<u8> = self.hosts.iter().map(|h| h.cell).collect();
        cells.sort_unstable();
        cells.dedup();
        cells.len()
    }

    /// The one-line description printed above a configuration's table.
    pub fn describe(&self) -> String {
        let slots: Vec<String> = self.hosts.iter().map(|h| h.slots.to_string()).collect();
        let reqs: Vec<String> = self
            .requests
            .iter()
            .map(|r| if r.instances == 1 { format!("{}", r.size) } else { format!("{}×{}", r.instances, r.size) })
            .collect();
        format!(
            "{} workers; {} hosts in {} cell{} with slots [{}]; requests of [{}] slots; max_attempts {}; \
             build failures ≤ {}; PUT {}; {}",
            self.workers,
            self.hosts.len(),
            self.cells(),
            if self.cells() == 1 { "" } else { "s" },
            slots.join(", "),
            reqs.join(", "),
            self.max_attempts,
            self.failures,
            if self.split_put { "as snapshot + commit" } else { "atomic" },
            match self.view {
                None => "each strategy's own host-state view",
                Some(View::Persistent) => "a persistent host-state view for every strategy",
                Some(View::PerRequest) => "a per-request host-state view for every strategy",
            },
        )
    }
}

fn hosts(spec: &[(u8, u8)]) -> Vec<Host> {
    spec.iter().map(|&(cell, slots)| Host { cell, slots }).collect()
}

fn requests(spec: &[(u8, u8)]) -> Vec<Request> {
    spec.iter().map(|&(instances, size)| Request { instances, size }).collect()
}

/// The shipped configurations, in the order they are reported.
pub fn shipped() -> Vec<Config> {
    vec![
        Config {
            name: "tiny",
            about: "two requests race for one slot: small enough to count by hand",
            workers: 2,
            hosts: hosts(&[(0, 1)]),
            requests: requests(&[(1, 1), (1, 1)]),
            max_attempts: 2,
            failures: 0,
            split_put: false,
            view: None,
        },
        Config {
            name: "race",
            about: "three requests on three one-slot hosts: the choice is stale by the time it is claimed",
            workers: 2,
            hosts: hosts(&[(0, 1), (0, 1), (0, 1)]),
            requests: requests(&[(1, 1), (1, 1), (1, 1)]),
            max_attempts: 2,
            failures: 0,
            split_put: false,
            view: None,
        },
        Config {
            name: "cells",
            about: "MODEL.md §8: two cells of two hosts, a multi-create, one failed build: alternates, reschedules",
            workers: 2,
            hosts: hosts(&[(0, 1), (0, 2), (1, 1), (1, 2)]),
            requests: requests(&[(2, 1), (1, 1), (1, 1)]),
            max_attempts: 2,
            failures: 1,
            split_put: false,
            view: None,
        },
        Config {
            name: "txn",
            about: "Placement's transaction window: \"concurrently updated\" 409s and the client's retries",
            workers: 2,
            hosts: hosts(&[(0, 2), (0, 1)]),
            requests: requests(&[(1, 1), (1, 1), (1, 1)]),
            max_attempts: 2,
            failures: 0,
            split_put: true,
            view: None,
        },
        Config {
            name: "three-workers",
            about: "three workers with their own views on four hosts of two sizes",
            workers: 3,
            hosts: hosts(&[(0, 1), (0, 1), (0, 2), (0, 1)]),
            requests: requests(&[(1, 1), (1, 2), (1, 1), (1, 1)]),
            max_attempts: 2,
            failures: 0,
            split_put: false,
            view: None,
        },
    ]
}

/// The names of the shipped configurations.
pub fn names() -> Vec<&'static str> {
    shipped().iter().map(|c| c.name).collect()
}
