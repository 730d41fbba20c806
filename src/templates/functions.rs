//! Functions for templates that replace Tera's own where those can exhaust memory.
//!
//! Tera's `range` builds its whole list first and never stops when `step_by` is 0, so `range(end=5, step_by=0)` or
//! `range(end=10000000000)` aborted the process when memory ran out. This one refuses both, with the same
//! arguments and results otherwise.
use std::collections::HashMap;
use tera::{Result, Tera, Value};

/// The most numbers one `range()` may produce: far more than a page needs, far less than memory holds.
pub const MAX_RANGE: u64 = 100_000;

pub fn register(tera: &mut Tera) {
    tera.register_function("range", range);
}

/// `range(end=5)`, `range(start=1, end=10, step_by=2)`: whole numbers from `start` up to, not including, `end`.
fn range(args: &HashMap<String, Value>) -> Result<Value> {
    let number = |key: &str, default: Option<u64>| -> Result<u64> {
        match args.get(key) {
            Some(value) => value.as_u64().ok_or_else(|| {
                format!("range() received {key}={value}, but {key} must be a whole number, 0 or more").into()
            }),
            None => default.ok_or_else(|| format!("range() needs an `{key}` argument").into()),
        }
    };
    let (start, end, step) = (number("start", Some(0))?, number("end", None)?, number("step_by", Some(1))?);
    if step == 0 {
        return Err("range() received step_by=0, which never reaches the end".into());
    }
    if start > end {
        return Err(format!("range() received start={start} greater than end={end}").into());
    }
    let count = (end - start).div_ceil(step);
    if count > MAX_RANGE {
        return Err(format!("range() would make {count} numbers, more than the {MAX_RANGE} fanzine allows").into());
    }
    Ok(Value::Array((start..end).step_by(step as usize).map(Value::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(pairs: &[(&str, i64)]) -> Result<Value> {
        range(&pairs.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect())
    }

    #[test]
    fn ranges_match_teras() {
        assert_eq!(call(&[("end", 3)]).unwrap(), serde_json::json!([0, 1, 2]));
        assert_eq!(call(&[("start", 1), ("end", 8), ("step_by", 3)]).unwrap(), serde_json::json!([1, 4, 7]));
        assert_eq!(call(&[("start", 2), ("end", 2)]).unwrap(), serde_json::json!([]));
    }

    #[test]
    fn ranges_that_would_exhaust_memory_are_refused() {
        let zero = call(&[("end", 5), ("step_by", 0)]).unwrap_err().to_string();
        assert!(zero.contains("step_by=0"), "{zero}");
        let huge = call(&[("end", 10_000_000_000)]).unwrap_err().to_string();
        assert!(huge.contains("10000000000 numbers"), "{huge}");
        assert!(call(&[("end", MAX_RANGE as i64)]).is_ok());
        assert!(call(&[("end", -1)]).is_err() && call(&[("start", 3), ("end", 1)]).is_err());
    }
}
