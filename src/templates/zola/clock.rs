//! `now(timestamp=false, utc=false)`, deterministic.
//!
//! fanzine's output is byte for byte the same for the same sources, so `now()` is not the clock: it is the time
//! given by `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) when that is set, else the
//! newest `date` or `updated` among the site's pages, else 1970-01-01. The newest content date is what a footer's
//! "© 2024" or "last updated" means, it moves when the site does, and it is the same on every machine, unlike the
//! clock, a file's modification time (which a checkout resets) or a commit time (which needs git and ignores
//! uncommitted work). The time is given in UTC (`+00:00`) either way: the local time zone is the machine's, not the
//! site's.
use super::State;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Tera, Value};
use time::OffsetDateTime;

pub fn register(tera: &mut Tera, state: &Arc<State>) {
    let state = state.clone();
    tera.register_function("now", move |args: &HashMap<String, Value>| {
        // The time follows the site's dates, so a file using it is not reusable as it stands.
        crate::templates::reads::note();
        let now = state.bound().now;
        let timestamp = super::bool_arg(args, "now", "timestamp", false)?;
        super::bool_arg(args, "now", "utc", false)?;
        Ok(if timestamp { Value::from(now.unix_timestamp()) } else { Value::String(rfc3339(now)) })
    });
}

/// The time `now()` gives for `site` (see the module's comment).
pub fn deterministic_now(site: &crate::site::Site) -> OffsetDateTime {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok())
        && let Ok(at) = OffsetDateTime::from_unix_timestamp(epoch)
    {
        return at;
    }
    site.pages
        .iter()
        .flat_map(|p| [p.date.as_ref(), p.source.front.updated.as_ref()])
        .flatten()
        .map(|d| d.at)
        .max()
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2021-03-04T09:30:00+00:00`, as Tera's `now()` writes a time (fractions of a second only when there are some).
fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let nanos = at.nanosecond();
    let fraction = match nanos {
        0 => String::new(),
        n if n % 1_000_000 == 0 => format!(".{:03}", n / 1_000_000),
        n if n % 1_000 == 0 => format!(".{:06}", n / 1_000),
        n => format!(".{n:09}"),
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}+00:00",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_tera_writes_them_in_utc() {
        let at = time::macros::datetime!(2021-03-04 09:30:00 +02:00);
        assert_eq!(rfc3339(at), "2021-03-04T07:30:00+00:00");
        assert_eq!(rfc3339(at.replace_millisecond(250).unwrap()), "2021-03-04T07:30:00.250+00:00");
    }
}
