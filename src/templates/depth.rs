//! A depth limit for macros, so that a macro that calls itself forever fails the render instead of the process.
//!
//! Recursive macros are legitimate (a table of contents or a menu tree rendered by a macro calling itself on the
//! children), but Tera has no depth limit: runaway recursion overflowed the stack and aborted the process, with no
//! location, and took `fanzine serve` and its last good build down with it. When the templates are loaded, every
//! macro body is wrapped in two hidden function calls: one on entry that pushes the macro onto a per-thread stack
//! and fails once more than [`MAX_MACRO_DEPTH`] macros are nested (or the thread's stack is nearly used up), one on
//! exit that pops it. Counting on the thread rather than passing a depth argument also catches a loop that runs
//! through an `{% include %}` inside a macro. A Tera error aborts the whole render and [`begin`] resets the stack
//! before each, so an entry without its exit never lingers.
use std::cell::RefCell;
use std::collections::HashMap;
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

/// The most macro calls that may be nested while one file is rendered. A table of contents or a menu tree nests a
/// few levels; a recursion that reaches this is assumed never to end.
pub const MAX_MACRO_DEPTH: usize = 128;

/// Stack left below which a macro call fails even within the depth limit: macros with deeply nested bodies use more
/// stack per call, and rendering runs on threads with 2 MiB stacks.
const STACK_RESERVE: usize = 256 * 1024;

const ENTER: &str = "__fanzine_enter_macro";
const LEAVE: &str = "__fanzine_leave_macro";

/// A macro, by the template that defines it and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub template: String,
    pub name: String,
}

/// Why a render was stopped: the loop of macros that was repeating (first macro repeated at the end, `a → b → a`),
/// or the whole chain when no macro repeats, and how deep the calls were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runaway {
    pub chain: Vec<Frame>,
    pub depth: usize,
}

#[derive(Default)]
struct Calls {
    stack: Vec<Frame>,
    runaway: Option<Runaway>,
}

thread_local! {
    static CALLS: RefCell<Calls> = RefCell::default();
}

/// Registers the two hidden functions the wrapped macros call.
pub fn register(tera: &mut Tera) {
    tera.register_function(ENTER, enter);
    tera.register_function(LEAVE, leave);
}

/// Wraps the body of every macro of every loaded template in the entry and exit calls. Tera renders macros from
/// `Template::macros`, so that is what is rewritten.
pub fn instrument(tera: &mut Tera) {
    for template in tera.templates.values_mut() {
        let name = template.name.clone();
        for (macro_name, definition) in &mut template.macros {
            let args = HashMap::from([
                ("template".to_string(), Expr::new(ExprVal::String(name.clone()))),
                ("name".to_string(), Expr::new(ExprVal::String(macro_name.clone()))),
            ]);
            let call = |name: &str, args| {
                Node::VariableBlock(
                    WS::default(),
                    Expr::new(ExprVal::FunctionCall(FunctionCall { name: name.to_string(), args })),
                )
            };
            let body = std::mem::take(&mut definition.body);
            definition.body =
                std::iter::once(call(ENTER, args)).chain(body).chain([call(LEAVE, HashMap::new())]).collect();
        }
    }
}

/// Forgets the calls of a previous render on this thread; call before each.
pub fn begin() {
    CALLS.with_borrow_mut(|calls| *calls = Calls::default());
}

/// Why the last render on this thread was stopped by the limit, if it was.
pub fn take_runaway() -> Option<Runaway> {
    CALLS.with_borrow_mut(|calls| calls.runaway.take())
}

fn enter(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = |key: &str| args.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    let frame = Frame { template: text("template"), name: text("name") };
    let stack_low = stacker::remaining_stack().is_some_and(|left| left < STACK_RESERVE);
    CALLS.with_borrow_mut(|calls| {
        calls.stack.push(frame);
        if calls.stack.len() <= MAX_MACRO_DEPTH && !stack_low {
            return Ok(Value::String(String::new()));
        }
        calls.runaway = Some(Runaway { chain: repeating(&calls.stack), depth: calls.stack.len() });
        Err(tera::Error::msg("the macro depth limit was reached"))
    })
}

fn leave(_: &HashMap<String, Value>) -> tera::Result<Value> {
    CALLS.with_borrow_mut(|calls| calls.stack.pop());
    Ok(Value::String(String::new()))
}

/// The loop at the top of a call stack: from the previous call of the innermost macro to it, turned to start at the
/// macro of that loop called first, so mutual recursion reads in the order the author wrote the calls.
fn repeating(stack: &[Frame]) -> Vec<Frame> {
    let Some((last, before)) = stack.split_last() else { return Vec::new() };
    let Some(previous) = before.iter().rposition(|f| f == last) else { return stack.to_vec() };
    let mut cycle = before[previous..].to_vec();
    let first_seen = |f: &Frame| stack.iter().position(|g| g == f);
    let start = (0..cycle.len()).min_by_key(|&i| first_seen(&cycle[i])).unwrap_or(0);
    cycle.rotate_left(start);
    cycle.push(cycle[0].clone());
    cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(names: &str) -> Vec<Frame> {
        names.split(' ').map(|n| Frame { template: "m.html".into(), name: n.into() }).collect()
    }

    fn names(chain: &[Frame]) -> String {
        chain.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_repeating_loop_starts_at_the_macro_called_first() {
        assert_eq!(names(&repeating(&frames("page toc toc toc"))), "toc toc");
        assert_eq!(names(&repeating(&frames("a b a b a b"))), "a b a");
        assert_eq!(names(&repeating(&frames("x a b c a b c a"))), "a b c a");
        assert_eq!(names(&repeating(&frames("a b c"))), "a b c");
    }
}
