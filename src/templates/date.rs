//! The `date` filter, as Zola's templates know it: Tera's, made with chrono, so every strftime specifier
//! (`%A`, `%c`, `%-d`, `%:z`, `%+`, …), a `timezone` (IANA names, through chrono-tz) and a `locale`
//! (`locale="fr_FR"`: "jeudi 07 mars 2024") give the text Zola 0.21 gives.
//!
//! It takes what templates hold: a date (`2024-03-07`, as fanzine's `page.date`), a date and time with an offset
//! (RFC 3339, as Zola's `page.date`), one without (taken as UTC when a `timezone` is asked), or a Unix timestamp.
//! Where Tera panics (a specifier that needs an offset the value does not have) this is an error the template
//! gets at its line.
use chrono::format::{DelayedFormat, Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, Locale, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::{Display, Write};
use tera::Result;

/// `{{ page.date | date(format="%B %-d, %Y", timezone="Europe/Paris", locale="fr_FR") }}`.
pub fn date(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let format = text_arg(args, "format")?.unwrap_or("%Y-%m-%d");
    let items: Vec<Item> = StrftimeItems::new(format).collect();
    if items.contains(&Item::Error) {
        return Err(format!("`{format}` is not a date format chrono knows (see its strftime specifiers)").into());
    }
    let locale = match text_arg(args, "locale")? {
        Some(name) => Locale::try_from(name).map_err(|_| format!("no locale `{name}` (such as en_US or fr_FR)"))?,
        None => Locale::POSIX,
    };
    let zone = match text_arg(args, "timezone")? {
        Some(name) => Some(
            name.parse::<chrono_tz::Tz>()
                .map_err(|_| format!("no time zone `{name}` (an IANA name such as Europe/Paris, or UTC)"))?,
        ),
        None => None,
    };
    let moment = Moment::of(value)?;
    let shown = match (moment, zone) {
        (Moment::Date(day), _) => show(day, None, None::<&Utc>, &items, locale),
        (Moment::Local(at), None) => show(at.date(), Some(at.time()), None::<&Utc>, &items, locale),
        (Moment::Local(at), Some(zone)) => shown_in(&zone.from_utc_datetime(&at), &items, locale),
        (Moment::Zoned(at), None) => shown_in(&at, &items, locale),
        (Moment::Zoned(at), Some(zone)) => shown_in(&at.with_timezone(&zone), &items, locale),
    };
    shown.map(Value::String).map_err(|_| {
        format!("`{format}` needs a time zone the date has none of (give it a `timezone`, or drop %z, %Z and %+)")
            .into()
    })
}

/// What a template's value says of a moment.
enum Moment {
    Date(NaiveDate),
    /// A date and time without an offset (a timestamp is one, in UTC, as in Tera).
    Local(NaiveDateTime),
    Zoned(DateTime<FixedOffset>),
}

impl Moment {
    fn of(value: &Value) -> Result<Moment> {
        if let Some(seconds) = value.as_i64() {
            let at = DateTime::from_timestamp(seconds, 0).ok_or(format!("the timestamp {seconds} is out of range"))?;
            return Ok(Moment::Local(at.naive_utc()));
        }
        let text = value.as_str().ok_or("the date filter needs a date (such as page.date) or a timestamp")?;
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(Moment::Zoned(at));
        }
        if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
            return Ok(Moment::Local(at));
        }
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Moment::Date(day));
        }
        // fanzine's front matter takes a few more spellings (`2024-03-07 09:05`); its parser says what is wrong.
        let at = crate::content::front_matter::PostDate::parse(text).map_err(tera::Error::msg)?.at;
        let offset = FixedOffset::east_opt(at.offset().whole_seconds()).ok_or("the date's offset is out of range")?;
        let zoned = DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).ok_or("the date is out of range")?;
        Ok(Moment::Zoned(zoned.with_timezone(&offset)))
    }
}

fn shown_in<Z: TimeZone>(
    at: &DateTime<Z>,
    items: &[Item],
    locale: Locale,
) -> std::result::Result<String, std::fmt::Error>
where
    Z::Offset: Display,
{
    let local = at.naive_local();
    show(local.date(), Some(local.time()), Some(at.offset()), items, locale)
}

/// The text of one moment; `Err` when a specifier needs what it lacks (an offset, say).
fn show<O: Offset + Display>(
    day: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<&O>,
    items: &[Item],
    locale: Locale,
) -> std::result::Result<String, std::fmt::Error> {
    let time = time.or(Some(NaiveTime::MIN));
    let items = items.iter();
    let mut out = String::new();
    match offset {
        Some(offset) => {
            write!(out, "{}", DelayedFormat::new_with_offset_and_locale(Some(day), time, offset, items, locale))?
        }
        None => write!(out, "{}", DelayedFormat::new_with_locale(Some(day), time, items, locale))?,
    }
    Ok(out)
}

fn text_arg<'a>(args: &'a HashMap<String, Value>, key: &str) -> Result<Option<&'a str>> {
    match args.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("`{key}` must be a string, not {other}").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(value: Value, pairs: &[(&str, &str)]) -> String {
        let args = pairs.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect();
        date(&value, &args).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn fanzine_dates_keep_their_text() {
        let v = formatted(Value::from("2017-05-06"), &[("format", "%B %-d, %Y (%b %d)")]);
        assert_eq!(v, "May 6, 2017 (May 06)");
        let v = formatted(Value::from("2017-05-06T09:05:03+02:30"), &[("format", "%a, %d %b %Y %H:%M:%S %z")]);
        assert_eq!(v, "Sat, 06 May 2017 09:05:03 +0230");
        assert_eq!(formatted(Value::from("2017-05-06"), &[]), "2017-05-06");
    }

    #[test]
    fn time_zones_locales_and_timestamps() {
        let at = Value::from("2024-03-07T09:05:03+02:00");
        assert_eq!(
            formatted(at.clone(), &[("format", "%F %T %z"), ("timezone", "America/New_York")]),
            "2024-03-07 02:05:03 -0500"
        );
        assert_eq!(formatted(at.clone(), &[("format", "%A %d %B"), ("locale", "fr_FR")]), "jeudi 07 mars");
        assert_eq!(formatted(Value::from(1_700_000_000), &[("format", "%F %T")]), "2023-11-14 22:13:20");
    }

    #[test]
    fn what_cannot_be_shown_is_an_error_not_a_panic() {
        let args = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect();
        let offsetless = date(&Value::from(1_700_000_000), &args(&[("format", "%z")]));
        assert!(offsetless.unwrap_err().to_string().contains("time zone"));
        assert!(date(&Value::from("2024-03-07"), &args(&[("format", "%Q")])).is_err());
        assert!(date(&Value::from("2024-03-07"), &args(&[("timezone", "Mars/Olympus")])).is_err());
        assert!(date(&Value::from("2024-03-07"), &args(&[("locale", "xx_YY")])).is_err());
    }
}
