//! Breadth-first search over the state graph, with a visited set and hard bounds.
//!
//! Every step adds one to `State::steps`, so the graph is layered: BFS expands a whole layer
//! before the next, every predecessor of a state is expanded before the state itself, and the
//! number of interleavings reaching a state is final when it is expanded. The first bad state
//! BFS meets is one at the smallest depth, so its trace is a shortest counterexample; the
//! successor order is fixed, so it is the same one on every run.

use std::collections::HashMap;

use super::model::{Model, State};
use crate::claims::ids::{Id, IdVec, StateId};

/// Hard limits: the search stops (and says so) when either is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub max_states: usize,
    /// An estimate of the visited set's memory: key bytes plus a fixed overhead per state.
    pub max_bytes: usize,
}

impl Default for Bounds {
    fn default() -> Bounds {
        Bounds { max_states: 2_000_000, max_bytes: 512 << 20 }
    }
}

/// Bytes per visited state on top of its key: the map's entry and hash, the key's box, the
/// parent link and the path count.
const OVERHEAD: usize = 72;

/// What one search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Distinct states visited.
    pub states: usize,
    /// False if a bound stopped the search: then every count and worst case is a lower bound.
    pub complete: bool,
    /// Distinct terminal states (nothing enabled).
    pub terminals: usize,
    /// Complete interleavings: paths from the initial state to a terminal state.
    pub interleavings: u128,
    /// Fewest and most instances active at a terminal state.
    pub active: (usize, usize),
    /// Worst cases at terminal states.
    pub false_refusals: usize,
    pub puts_per_instance: usize,
    pub builds_per_instance: usize,
    pub phantoms_at_rest: usize,
    /// States (or steps) that broke an invariant.
    pub violations: usize,
    /// Shortest trace to a false refusal, and to an invariant violation (with what broke).
    pub false_refusal_trace: Option<Vec<String>>,
    pub violation_trace: Option<(String, Vec<String>)>,
}

/// Explore every interleaving of `model` from its initial state, up to `bounds`.
pub fn explore(model: &Model, bounds: Bounds) -> Outcome {
    let initial = model.initial();
    let mut seen: HashMap<Box<[u8]>, StateId> = HashMap::new();
    // Per state: its parent and which successor of the parent it is; the paths reaching it.
    let mut parent: IdVec<StateId, (StateId, u16)> = std::iter::once((StateId(u32::MAX), 0)).collect();
    let mut paths: IdVec<StateId, u128> = std::iter::once(1).collect();
    let key = initial.encode();
    let mut bytes = key.len() + OVERHEAD;
    seen.insert(key.into_boxed_slice(), StateId(0));
    let mut o = Outcome {
        states: 1,
        complete: true,
        terminals: 0,
        interleavings: 0,
        active: (usize::MAX, 0),
        false_refusals: 0,
        puts_per_instance: 0,
        builds_per_instance: 0,
        phantoms_at_rest: 0,
        violations: 0,
        false_refusal_trace: None,
        violation_trace: None,
    };
    let mut first_false: Option<(StateId, Option<u16>)> = None;
    let mut first_violation: Option<(StateId, Option<u16>, String)> = None;
    let mut layer: Vec<(StateId, State)> = vec![(StateId(0), initial)];
    while !layer.is_empty() {
        let mut next = Vec::new();
        for (id, st) in layer {
            let succs = model.successors(&st, false);
            if succs.is_empty() {
                if st.insts.iter().any(|i| !i.phase.is_final()) {
                    o.violations += 1;
                    if first_violation.is_none() {
                        first_violation = Some((id, None, "deadlock: an instance can never finish".to_string()));
                    }
                }
                terminal(model, &st, paths[id], &mut o);
                continue;
            }
            for (k, s) in succs.into_iter().enumerate() {
                let k = k as u16;
                if s.false_refusal && first_false.is_none() {
                    first_false = Some((id, Some(k)));
                }
                if let Some(what) = s.violation.or_else(|| model.check(&s.state)) {
                    o.violations += 1;
                    if first_violation.is_none() {
                        first_violation = Some((id, Some(k), what));
                    }
                    // A broken state is reported, not explored: what follows it is noise.
                    continue;
                }
                let key = s.state.encode();
                if let Some(&t) = seen.get(key.as_slice()) {
                    paths[t] = paths[t].saturating_add(paths[id]);
                    continue;
                }
                if seen.len() >= bounds.max_states || bytes + key.len() + OVERHEAD > bounds.max_bytes {
                    o.complete = false;
                    continue;
                }
                let t = StateId::from_index(seen.len());
                bytes += key.len() + OVERHEAD;
                seen.insert(key.into_boxed_slice(), t);
                parent.push((id, k));
                paths.push(paths[id]);
                next.push((t, s.state));
            }
        }
        layer = next;
    }
    o.states = seen.len();
    if o.terminals == 0 {
        o.active = (0, 0);
    }
    o.false_refusal_trace = first_false.map(|(id, k)| replay(model, &parent, id, k));
    o.violation_trace = first_violation.map(|(id, k, what)| (what, replay(model, &parent, id, k)));
    o
}

fn terminal(model: &Model, st: &State, paths: u128, o: &mut Outcome) {
    o.terminals += 1;
    o.interleavings = o.interleavings.saturating_add(paths);
    let active = model.active(st);
    o.active = (o.active.0.min(active), o.active.1.max(active));
    o.false_refusals = o.false_refusals.max(usize::from(st.false_refusals));
    for i in &st.insts {
        o.puts_per_instance = o.puts_per_instance.max(usize::from(i.puts));
        o.builds_per_instance = o.builds_per_instance.max(usize::from(i.attempts));
    }
    o.phantoms_at_rest = o.phantoms_at_rest.max(model.phantoms(st));
}

/// The labelled steps from the initial state to state `id`, then to its successor `k`.
fn replay(model: &Model, parent: &IdVec<StateId, (StateId, u16)>, id: StateId, k: Option<u16>) -> Vec<String> {
    let mut picks: Vec<u16> = k.into_iter().collect();
    let mut at = id;
    while at != StateId(0) {
        let (p, j) = parent[at];
        picks.push(j);
        at = p;
    }
    picks.reverse();
    let mut st = model.initial();
    let mut out = Vec::new();
    for j in picks {
        let mut succs = model.successors(&st, true);
        let s = succs.swap_remove(usize::from(j));
        out.push(s.label);
        st = s.state;
    }
    out
}
