//! Conformance of the engine's Placement model with the real openstack-placement.
//!
//! One generated sequence of inventory and allocation operations, including over-capacity and
//! constraint-violating ones, is replayed against real Placement (in-process, SQLite, through
//! `tests/fixtures/claims/conformance/replay.py`) and against [`Placement`]: every accept or
//! reject, and every provider's generation and usages after every operation, must match.
//!
//! The real service needs a Python with `openstack-placement` and `wsgi-intercept` installed;
//! point `CLAIMS_PLACEMENT_PYTHON` at it. `scripts/test`, the project's test command, creates that virtualenv
//! when it is missing and sets the variable; without it this test fails rather than pass unchecked.

use std::io::Write as _;
use std::process::{Command, Stdio};

use fanzine::claims::ids::{HostId, InstId};
use fanzine::claims::placement::{Inventory, Placement, Ratio};
use fanzine::claims::rng::Rng;
use serde_json::{Value, json};

const CLASSES: [&str; 3] = ["VCPU", "MEMORY_MB", "DISK_GB"];
const PROVIDERS: u32 = 3;
const CONSUMERS: u64 = 10;

/// A deterministic mix of operations that exercises every rule: ratios, reserved, min/max
/// unit, step size, capacity, replace and move semantics, deletes of absent consumers.
fn generate(seed: u64, n: usize) -> Vec<Value> {
    let mut rng = Rng::from_seed(seed);
    let ratios = [1.0, 1.5, 16.0, 0.5, 2.0];
    let mut ops = Vec::new();
    let mut invs: Vec<[Inventory; 3]> = Vec::new();
    for rp in 0..PROVIDERS {
        let mut inv = [Inventory::nova(1, 0, Ratio::ONE); 3];
        let mut body = serde_json::Map::new();
        for (i, class) in CLASSES.iter().enumerate() {
            let total = [8, 4096, 100][i] * (1 + rng.below(3));
            let reserved = if rng.chance(0.5) { rng.below(total / 4 + 1) } else { 0 };
            let step = [1, 1, 2, 4, 256][rng.below(5) as usize].min(total);
            let min_unit = if rng.chance(0.3) { step * 2 } else { step };
            let max_unit = if rng.chance(0.3) { (total / 2).max(min_unit) } else { total };
            let ratio = ratios[rng.below(ratios.len() as u64) as usize];
            inv[i] = Inventory {
                total,
                reserved,
                min_unit,
                max_unit,
                step_size: step,
                allocation_ratio: Ratio::from_decimal(ratio).unwrap(),
            };
            body.insert(
                class.to_string(),
                json!({"total": total, "reserved": reserved, "min_unit": min_unit, "max_unit": max_unit,
                       "step_size": step, "allocation_ratio": ratio}),
            );
        }
        invs.push(inv);
        ops.push(json!({"op": "inventory", "rp": rp, "inventories": body}));
    }
    while ops.len() < n {
        let consumer = rng.below(CONSUMERS);
        if rng.chance(0.2) {
            ops.push(json!({"op": "delete", "consumer": consumer}));
            continue;
        }
        let rp = rng.below(u64::from(PROVIDERS)) as u32;
        let mut resources = serde_json::Map::new();
        for (i, class) in CLASSES.iter().enumerate() {
            if i > 0 && rng.chance(0.3) {
                continue;
            }
            let inv = &invs[rp as usize][i];
            // Mostly valid multiples of the step, sometimes off-step or past max_unit.
            let steps = 1 + rng.below((inv.max_unit / inv.step_size).clamp(1, 6));
            let mut amount = steps * inv.step_size;
            if rng.chance(0.1) {
                amount += 1;
            }
            if rng.chance(0.05) {
                amount = inv.max_unit + inv.step_size;
            }
            resources.insert(class.to_string(), json!(amount));
        }
        ops.push(json!({"op": "put", "consumer": consumer, "rp": rp, "resources": resources}));
    }
    ops
}

/// The same operations against the engine's model, in the replay script's output format.
fn replay_engine(ops: &[Value]) -> Vec<Value> {
    let mut pl = Placement::default();
    let mut created = 0u32;
    let mut out = Vec::new();
    for op in ops {
        let accepted = match op["op"].as_str().unwrap() {
            "inventory" => {
                let mut inv = [Inventory::nova(1, 0, Ratio::ONE); 3];
                for (i, class) in CLASSES.iter().enumerate() {
                    let b = &op["inventories"][class];
                    inv[i] = Inventory {
                        total: b["total"].as_u64().unwrap(),
                        reserved: b["reserved"].as_u64().unwrap(),
                        min_unit: b["min_unit"].as_u64().unwrap(),
                        max_unit: b["max_unit"].as_u64().unwrap(),
                        step_size: b["step_size"].as_u64().unwrap(),
                        allocation_ratio: Ratio::from_decimal(b["allocation_ratio"].as_f64().unwrap()).unwrap(),
                    };
                }
                assert_eq!(op["rp"].as_u64().unwrap(), u64::from(created), "inventories come first, in order");
                pl.add_provider(inv);
                created += 1;
                true
            }
            "put" => {
                let mut amounts = [0u64; 3];
                for (i, class) in CLASSES.iter().enumerate() {
                    amounts[i] = op["resources"][class].as_u64().unwrap_or(0);
                }
                let consumer = InstId(op["consumer"].as_u64().unwrap() as u32);
                pl.put(consumer, HostId(op["rp"].as_u64().unwrap() as u32), amounts, 0, 0).is_ok()
            }
            "delete" => pl.delete(InstId(op["consumer"].as_u64().unwrap() as u32)),
            other => panic!("unknown op {other}"),
        };
        let providers: Vec<Value> = (0..PROVIDERS)
            .map(|rp| match pl.providers.get(HostId(rp)) {
                Some(p) => json!({"generation": p.generation, "usages": {
                    "VCPU": p.usage[0], "MEMORY_MB": p.usage[1], "DISK_GB": p.usage[2]}}),
                None => {
                    json!({"generation": 0, "usages": {"VCPU": 0, "MEMORY_MB": 0, "DISK_GB": 0}})
                }
            })
            .collect();
        out.push(json!({"accepted": accepted, "providers": providers}));
    }
    out
}

fn replay_real(python: &str, ops: &[Value]) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/claims/conformance/replay.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the Placement replay");
    child.stdin.take().unwrap().write_all(serde_json::to_string(ops).unwrap().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "replay.py failed");
    serde_json::from_slice(&output.stdout).expect("replay.py prints JSON")
}

#[test]
fn the_model_answers_like_real_placement() {
    let ops = generate(20_170_511, 160);
    let engine = replay_engine(&ops);
    // The generated sequence must actually exercise the refusals.
    assert!(engine.iter().filter(|r| r["accepted"] == false).count() >= 10);
    let python = std::env::var("CLAIMS_PLACEMENT_PYTHON").expect(
        "CLAIMS_PLACEMENT_PYTHON is not set: run the tests with scripts/test, which installs the real \
         openstack-placement into .venv-placement and points this variable at it",
    );
    let real = replay_real(&python, &ops);
    assert_eq!(real.len(), engine.len());
    for (i, (r, e)) in real.iter().zip(&engine).enumerate() {
        assert_eq!(r["accepted"], e["accepted"], "op {i} {}: real status {}", ops[i], r["status"]);
        assert_eq!(r["providers"], e["providers"], "op {i} {}", ops[i]);
    }
}
