//! `get_random(start=0, end=…)`: a whole number from `start` up to, not including, `end`, that is the same on
//! every build.
//!
//! fanzine's output must not change between two builds of the same sources, so the number is drawn from a seed
//! made of the template's name, the path of the file being rendered and how many `get_random` calls that render
//! has made so far: each page gets its own numbers, a page's numbers stay put from build to build, and editing
//! one template moves no other page's numbers. The generator is SplitMix64: a few lines, enough for picking a
//! banner, not for secrets.
use super::{CURRENT, fail};
use std::collections::HashMap;
use std::hash::Hasher;
use tera::{Tera, Value};

pub fn register(tera: &mut Tera) {
    tera.register_function("get_random", get_random);
}

fn get_random(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |key: &str, default: Option<i64>| -> tera::Result<i64> {
        match args.get(key) {
            Some(v) => v.as_i64().ok_or_else(|| {
                fail(
                    format!("get_random() received {key}={v}, which is not a whole number"),
                    "get_random(start=0, end=10)",
                )
            }),
            None => default.ok_or_else(|| fail("get_random() needs an `end` argument", "get_random(start=0, end=10)")),
        }
    };
    let (start, end) = (number("start", Some(0))?, number("end", None)?);
    if start >= end {
        return Err(fail(
            format!("get_random() received start={start} and end={end}, which leave no number between them"),
            "end is not included, so it must be greater than start",
        ));
    }
    let seed = CURRENT.with_borrow_mut(|c| {
        c.calls += 1;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [c.template.as_bytes(), b"\0", c.path.as_bytes(), b"\0", &c.calls.to_le_bytes()] {
            hasher.write(part);
        }
        hasher.finish()
    });
    let span = end.abs_diff(start);
    Ok(Value::from(start.wrapping_add((splitmix64(seed) % span) as i64)))
}

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(template: &str, path: &str, n: usize) -> Vec<i64> {
        let mut context = tera::Context::new();
        context.insert("current_path", path);
        super::super::begin(template, &context);
        let args: HashMap<String, Value> = [("start".into(), Value::from(-5)), ("end".into(), Value::from(100))].into();
        (0..n).map(|_| get_random(&args).unwrap().as_i64().unwrap()).collect()
    }

    #[test]
    fn numbers_are_in_range_and_the_same_for_the_same_file() {
        let a = draw("page.html", "/a/", 50);
        assert!(a.iter().all(|n| (-5..100).contains(n)));
        assert_eq!(a, draw("page.html", "/a/", 50), "a render draws the same numbers every time");
        assert_ne!(a, draw("page.html", "/b/", 50), "another page draws others");
        assert!(a.iter().collect::<std::collections::BTreeSet<_>>().len() > 10, "the numbers vary within a render");
    }
}
