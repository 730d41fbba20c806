//! A budget of loop iterations per rendered file, so that a template cannot keep a build (or the preview's
//! rebuild) busy for hours.
//!
//! `range()` is bounded (see `functions.rs`), but loops inside loops multiply: two nested `range(end=100000)` are
//! ten billion iterations. When the templates are loaded, every `{% for %}` body gets a hidden function call at its
//! start that counts iterations on the rendering thread; past [`MAX_LOOP_STEPS`] the render fails with the loop's
//! template and variable. The count restarts with each rendered file.
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

/// The most loop iterations, all loops together, while one file is rendered. A list of every post of a
/// 10,000-post site with ten tags each is a tenth of it.
pub const MAX_LOOP_STEPS: u64 = 1_000_000;

/// Each loop's counting function is named this plus a number, and knows its loop: a call without arguments costs
/// Tera no allocation, where arguments would be copied into a fresh map at every iteration.
const TICK: &str = "__fanzine_loop_step_";

/// The loop that was running when the budget ran out: its template and its variable (`post` of `for post in …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exhausted {
    pub template: String,
    pub variable: String,
}

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
    static EXHAUSTED: RefCell<Option<Exhausted>> = const { RefCell::new(None) };
}

/// Puts a counting call at the start of every loop body Tera renders from: each template's AST, its resolved
/// blocks (with the template each comes from) and its macros.
pub fn instrument(tera: &mut Tera) {
    let mut loops = Vec::new();
    for template in tera.templates.values_mut() {
        let name = template.name.clone();
        count_loops(&mut template.ast, &name, &mut loops);
        for definition in template.macros.values_mut() {
            count_loops(&mut definition.body, &name, &mut loops);
        }
        for chain in template.blocks_definitions.values_mut() {
            for (owner, block) in chain {
                count_loops(&mut block.body, owner, &mut loops);
            }
        }
    }
    for (i, running) in loops.into_iter().enumerate() {
        tera.register_function(&format!("{TICK}{i}"), move |_: &HashMap<String, Value>| tick(&running));
    }
}

/// Starts a new count for the next file rendered on this thread.
pub fn begin() {
    STEPS.set(0);
    EXHAUSTED.set(None);
}

/// The loop that ran out of budget in the last render on this thread, if one did.
pub fn take_exhausted() -> Option<Exhausted> {
    EXHAUSTED.take()
}

/// `loops` collects what each counting call, numbered by its place in it, must report.
fn count_loops(nodes: &mut [Node], template: &str, loops: &mut Vec<Exhausted>) {
    for node in nodes {
        match node {
            Node::Forloop(_, forloop, _) => {
                let call = FunctionCall { name: format!("{TICK}{}", loops.len()), args: HashMap::new() };
                loops.push(Exhausted { template: template.to_string(), variable: forloop.value.clone() });
                count_loops(&mut forloop.body, template, loops);
                forloop.body.insert(0, Node::VariableBlock(WS::default(), Expr::new(ExprVal::FunctionCall(call))));
                count_loops(forloop.empty_body.as_deref_mut().unwrap_or_default(), template, loops);
            }
            Node::MacroDefinition(_, definition, _) => count_loops(&mut definition.body, template, loops),
            Node::Block(_, block, _) => count_loops(&mut block.body, template, loops),
            Node::FilterSection(_, section, _) => count_loops(&mut section.body, template, loops),
            Node::If(condition, _) => {
                for (_, _, body) in &mut condition.conditions {
                    count_loops(body, template, loops);
                }
                if let Some((_, body)) = &mut condition.otherwise {
                    count_loops(body, template, loops);
                }
            }
            _ => {}
        }
    }
}

fn tick(running: &Exhausted) -> tera::Result<Value> {
    let steps = STEPS.get() + 1;
    STEPS.set(steps);
    if steps <= MAX_LOOP_STEPS {
        return Ok(Value::String(String::new()));
    }
    EXHAUSTED.set(Some(running.clone()));
    Err(tera::Error::msg("the loop budget was used up"))
}
