//! Property tests: the facade's input parsers and `JobRef`.
//!
//! Every public parser of user text (`FromStr` impls, `parse_*` functions, checked
//! constructors) never panics on any string (huge, control characters, any Unicode); what it
//! accepts prints back to text that parses to the same value; what it refuses is an
//! `Error::InvalidInput` whose message names the value. A `JobRef` of every kind prints and
//! parses back to itself, so that a wait can be resumed from another process.
//!
//! Bounded for CI: case counts are set per property and shrinking is capped.

use std::{fmt::Debug, num::NonZeroU64, str::FromStr, time::Duration};

use jobrun::{
    BaseUrl, Error, JobRef, RateLimit, WaitOptions,
    adobe::{Cron, Filter, IsoDate, MAX_LIMIT, OrderBy, RunId, ScheduleId, parse_limit},
    asteria::{CheckpointDate, RequestId},
    krewdata::{AppUrl, Record, TaskId, UnitId},
    parse_id,
    trocco::{ContextTime, CustomVariable, TimeZoneName},
};
use proptest::{
    collection::vec,
    prelude::*,
    sample::select,
    test_runner::{RngAlgorithm, TestCaseError},
};

/// Cases per property, and a cap on shrinking so that a failure reports quickly.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: RngAlgorithm::XorShift,
        max_shrink_iters: 2048,
        max_shrink_time: 10_000,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

/// Any string a user or a script might pass: empty, blank, control characters, bidi and
/// zero-width characters, any Unicode, and huge.
fn any_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[\\x00-\\x1f\\x7f-\\u{9f} \\t:/=$@,+-]{0,12}",
        2 => vec(any::<char>(), 0..40).prop_map(String::from_iter),
        1 => select(&[
            "", " ", "\u{0}", "\u{200b}", "\u{202e}", "\u{3000}", "\u{feff}", "\r\n", "ジョブ",
            "１２３", "٣", "𝟙", "İ", "ß", "\u{1b}[2J",
        ][..]).prop_map(str::to_owned),
        1 => (any::<char>(), 10_000..100_000usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
    .boxed()
}

/// `core` padded with whitespace or junk on either side, sometimes.
fn padded(core: impl Strategy<Value = String> + 'static) -> BoxedStrategy<String> {
    (
        core,
        select(
            &[
                "", "", "", " ", "\t", "\n", "\u{3000}", "\u{0}", "x", "\u{200b}",
            ][..],
        ),
        select(
            &[
                "", "", "", " ", "\t", "\r\n", "\u{a0}", "\u{0}", "x", "\u{200b}",
            ][..],
        ),
    )
        .prop_map(|(c, before, after)| format!("{before}{c}{after}"))
        .boxed()
}

/// Text close to what a parser accepts (`near`), or anything at all.
fn input(near: impl Strategy<Value = String> + 'static) -> BoxedStrategy<String> {
    prop_oneof![3 => padded(near), 1 => any_text()].boxed()
}

// ---------------------------------------------------------------------------------------
// What every parser promises
// ---------------------------------------------------------------------------------------

/// A refusal is `InvalidInput`, and its message shows the value it names (as `{:?}`).
/// `names` says which values it may name: the input, its trimmed form, or one part of it.
fn refusal_names(
    err: &Error,
    input: &str,
    names: impl Fn(&str) -> bool,
) -> Result<(), TestCaseError> {
    let Error::InvalidInput { value, what, .. } = err else {
        return Err(TestCaseError::fail(format!(
            "{input:?} was refused with {err:?}, not InvalidInput"
        )));
    };
    prop_assert!(!what.is_empty());
    prop_assert!(
        names(value),
        "the error about {:?} names {:?}",
        input,
        value
    );
    let message = err.to_string();
    prop_assert!(
        message.contains(&format!("{value:?}")),
        "{message:?} does not show {value:?}"
    );
    Ok(())
}

/// The input as given, or trimmed.
fn whole(input: &str) -> impl Fn(&str) -> bool + '_ {
    move |v| v == input || v == input.trim()
}

/// `FromStr` + `Display`: never panics; accepted values print to text that parses to the
/// same value (and, where `exact`, print as the input, trimmed or not); refusals name the
/// input.
fn parses_back<T>(text: &str, exact: bool) -> Result<Option<T>, TestCaseError>
where
    T: FromStr<Err = Error> + std::fmt::Display + PartialEq + Debug,
{
    match text.parse::<T>() {
        Ok(value) => {
            let printed = value.to_string();
            if exact {
                prop_assert!(
                    printed == text || printed == text.trim(),
                    "{:?} parsed to {:?}, which prints as {:?}",
                    text,
                    value,
                    printed
                );
            }
            let again = printed.parse::<T>().map_err(|e| {
                TestCaseError::fail(format!(
                    "{text:?} parsed to {value:?}, printed as {printed:?}, which is refused: {e}"
                ))
            })?;
            prop_assert_eq!(&again, &value, "printed as {:?}", printed);
            Ok(Some(value))
        }
        Err(e) => {
            refusal_names(&e, text, whole(text))?;
            Ok(None)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Near-misses of each format
// ---------------------------------------------------------------------------------------

fn digits_like() -> BoxedStrategy<String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        (0..2000u32).prop_map(|n| n.to_string()),
        select(
            &[
                "0",
                "+1",
                "-0",
                "00042",
                "18446744073709551615",
                "18446744073709551616",
                "1e3",
                "1_000",
                "0x10",
                "１",
                "4.0",
                "",
            ][..]
        )
        .prop_map(str::to_owned),
    ]
    .boxed()
}

/// `YYYY?MM?DD` with fields in and out of range, and the separators given.
fn date_parts(sep: &'static str) -> BoxedStrategy<String> {
    (0..=10_000u32, 0..=13u32, 0..=32u32)
        .prop_map(move |(y, m, d)| format!("{y:04}{sep}{m:02}{sep}{d:02}"))
        .boxed()
}

fn context_time_like() -> BoxedStrategy<String> {
    (
        date_parts("-"),
        0..=25u32,
        0..=61u32,
        0..=61u32,
        select(&[" ", "T", "  "][..]),
    )
        .prop_map(|(d, h, m, s, sep)| format!("{d}{sep}{h:02}:{m:02}:{s:02}"))
        .boxed()
}

fn iso_date_like() -> BoxedStrategy<String> {
    (
        context_time_like(),
        select(&["", ".5", ".123456", ".1234567891", "."][..]),
        select(
            &[
                "", "Z", "z", "+09:00", "-23:59", "+24:00", "+0900", " UTC", "+09",
            ][..],
        ),
    )
        .prop_map(|(t, frac, zone)| format!("{}{frac}{zone}", t.replacen(' ', "T", 1)))
        .boxed()
}

fn id_like() -> BoxedStrategy<String> {
    prop_oneof![
        "[A-Za-z0-9_-]{1,40}",
        "[A-Za-z0-9+/=:._-]{1,60}",
        "[^\\s\\p{Cc}]{1,30}",
        "[a-z0-9 /:]{0,20}",
        "[A-Za-z0-9_-]{120,140}",
        "[a-f0-9]{200,300}",
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------
// trocco
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn parse_id_reads_positive_integers(text in input(digits_like())) {
        match parse_id("transfer definition id", &text) {
            Ok(id) => {
                prop_assert_eq!(parse_id("transfer definition id", &id.to_string()).ok(), Some(id));
                prop_assert_eq!(text.trim().trim_start_matches('+').trim_start_matches('0'), id.to_string());
            }
            Err(e) => {
                refusal_names(&e, &text, whole(&text))?;
                prop_assert!(e.to_string().contains("transfer definition id"), "{}", e);
            }
        }
    }

    #[test]
    fn context_time_prints_as_given(text in input(context_time_like())) {
        parses_back::<ContextTime>(&text, true)?;
    }

    #[test]
    fn time_zone_names_print_as_given(
        text in input(
            (select(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect::<Vec<_>>()), 0..4u8)
                .prop_map(|(name, how)| match how {
                    0 => name.to_ascii_lowercase(),
                    1 => name.replace('/', "_"),
                    _ => name.to_owned(),
                })
        )
    ) {
        parses_back::<TimeZoneName>(&text, true)?;
    }

    #[test]
    fn custom_variable_assignments_print_back(
        text in input(
            (
                select(&["", "$", "$$"][..]),
                "[a-z_$ \\t=]{0,10}",
                select(&["", "$", "$$"][..]),
                select(&["=", "=", " = ", "", "=="][..]),
                any_text(),
            )
                .prop_map(|(a, name, b, eq, value)| format!("{a}{name}{b}{eq}{value}"))
        )
    ) {
        match CustomVariable::parse_assignment(&text) {
            Ok(var) => {
                let name = var.name();
                prop_assert!(name.len() > 2 && name.starts_with('$') && name.ends_with('$'));
                prop_assert!(text.ends_with(var.value()));
                let printed = format!("{}={}", var.name(), var.value());
                prop_assert_eq!(CustomVariable::parse_assignment(&printed).ok(), Some(var.clone()));
                prop_assert_eq!(CustomVariable::new(var.name(), var.value()).ok(), Some(var));
            }
            Err(e) => refusal_names(&e, &text, |v| {
                v == text || text.contains(v) || text.contains(v.trim_matches('$'))
            })?,
        }
    }

    #[test]
    fn custom_variable_names_are_checked(name in input("[$]?[a-z_ $]{0,8}[$]?"), value in any_text()) {
        match CustomVariable::new(name.clone(), value.clone()) {
            Ok(var) => {
                prop_assert_eq!(var.name(), name.as_str());
                prop_assert_eq!(var.value(), value.as_str());
                let inner = &name[1..name.len() - 1];
                prop_assert!(!inner.is_empty() && !inner.contains('$'));
                prop_assert!(!inner.chars().any(char::is_whitespace));
            }
            Err(e) => refusal_names(&e, &name, |v| v == name)?,
        }
    }
}

// ---------------------------------------------------------------------------------------
// ASTERIA Warp
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn asteria_request_ids_print_as_given(text in input(id_like())) {
        if parses_back::<RequestId>(&text, true)?.is_some() {
            prop_assert!(!text.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control()));
        }
    }

    #[test]
    fn checkpoint_dates_print_as_given(text in input(date_parts(""))) {
        if parses_back::<CheckpointDate>(&text, true)?.is_some() {
            prop_assert!(text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}

// ---------------------------------------------------------------------------------------
// krewData
// ---------------------------------------------------------------------------------------

fn app_url_like() -> BoxedStrategy<String> {
    (
        select(&["https://", "http://", "HTTPS://", "https:/", "ftp://", ""][..]),
        select(&["", "", "user@", "u:p@"][..]),
        select(
            &[
                "yourdomain.cybozu.com",
                "localhost",
                "a.b",
                "127.0.0.1",
                "[::1]",
                "xn--zckzah.jp",
                "例え.jp",
                "a..b",
                ".",
                "cybozu.com:443",
                "cybozu.com:99999",
            ][..],
        ),
        select(&["/k/", "/K/", "/k", "/x/", "/k//", ""][..]),
        digits_like(),
        select(&["", "/", "//", "?q=1", "#f", "/show", "%2F"][..]),
    )
        .prop_map(|(s, user, host, k, app, tail)| format!("{s}{user}{host}{k}{app}{tail}"))
        .boxed()
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn krewdata_unit_ids_print_as_given(text in input(id_like())) {
        if parses_back::<UnitId>(&text, true)?.is_some() {
            prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        }
    }

    #[test]
    fn krewdata_task_ids_print_as_given(text in input(id_like())) {
        parses_back::<TaskId>(&text, true)?;
    }

    /// Accepted URLs print as the URL parser spells them (that is what krewData is sent), and
    /// that spelling parses back to the same value.
    #[test]
    fn krewdata_app_urls_print_back(text in input(app_url_like())) {
        parses_back::<AppUrl>(&text, false)?;
    }

    /// The URL is sent to krewData as given, so an accepted one must be spelled as the
    /// documented `https://<domain>.cybozu.com/k/<appId>` (the scheme in any case).
    #[test]
    fn krewdata_app_urls_are_spelled_as_documented(text in input(app_url_like())) {
        if let Ok(url) = text.parse::<AppUrl>() {
            let printed = url.to_string();
            prop_assert!(
                printed.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")),
                "{:?} accepted", printed
            );
        }
    }

    #[test]
    fn krewdata_record_fields_are_checked(
        text in input(
            (
                prop_oneof!["[^=]{0,8}", Just("入荷日".to_owned()), Just(" ".to_owned())],
                select(&["=", "", "=="][..]),
                prop_oneof![
                    select(&["DATE", "SINGLE_LINE_TEXT", "NUMBER", "date", "", "DATE TIME"][..])
                        .prop_map(str::to_owned),
                    "[A-Z_a-z:]{0,10}",
                ],
                select(&[":", "", "::"][..]),
                any_text(),
            )
                .prop_map(|(code, eq, kind, colon, value)| format!("{code}{eq}{kind}{colon}{value}"))
        )
    ) {
        match Record::new().parse_field(&text) {
            Ok(record) => prop_assert!(!record.is_empty()),
            Err(e) => refusal_names(&e, &text, |v| v == text || text.contains(v))?,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Adobe
// ---------------------------------------------------------------------------------------

fn cron_like() -> BoxedStrategy<String> {
    let field = prop_oneof![
        select(
            &[
                "*",
                "*/5",
                "0",
                "59",
                "60",
                "99",
                "1-5",
                "5-1",
                "MON",
                "mon-fri",
                "JAN",
                "?",
                "L",
                "W",
                "15W",
                "1#3",
                "5L",
                "1,2,3",
                ",",
                "-",
                "*/0",
                "0/0",
                "*/99999999999",
                "1-60/7",
                "",
                "a",
                "SUN-SAT",
                "7",
            ][..]
        )
        .prop_map(str::to_owned),
        (0..100u64, 0..100u64).prop_map(|(a, b)| format!("{a}-{b}")),
        any::<u64>().prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        4 => (vec(field, 3..8), select(&[" ", "  ", "\t"][..])).prop_map(|(fields, sep)| fields.join(sep)),
        1 => select(&[
            "@once", "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually",
            "@reboot", "@ONCE", "@", "@daily x",
        ][..])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

fn filter_like() -> BoxedStrategy<String> {
    (
        select(
            &[
                "created>",
                "created<",
                "templateId==",
                "userId==",
                "state==",
                "state!=",
                "externalTrigger==",
                "created=",
                "state=",
                "",
                "CREATED>",
            ][..],
        ),
        prop_oneof![
            iso_date_like(),
            select(&["true", "false", "TRUE", "SUCCESS", "a,b", ""][..]).prop_map(str::to_owned),
            any_text(),
        ],
    )
        .prop_map(|(key, value)| format!("{key}{value}"))
        .boxed()
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn adobe_schedule_ids_print_as_given(text in input(id_like())) {
        if parses_back::<ScheduleId>(&text, true)?.is_some() {
            prop_assert!(!text.contains('/'));
        }
    }

    #[test]
    fn adobe_run_ids_print_as_given(text in input(id_like())) {
        parses_back::<RunId>(&text, true)?;
    }

    #[test]
    fn cron_expressions_print_as_given(text in input(cron_like())) {
        if let Some(cron) = parses_back::<Cron>(&text, true)? {
            let printed = cron.to_string();
            prop_assert!(
                printed.starts_with('@') || printed.split_whitespace().count() == 5,
                "{:?}", printed
            );
        }
    }

    #[test]
    fn iso_dates_print_as_given(text in input(iso_date_like())) {
        parses_back::<IsoDate>(&text, true)?;
    }

    #[test]
    fn limits_are_one_to_max(text in input(digits_like())) {
        match parse_limit(&text) {
            Ok(n) => {
                prop_assert!(n.get() <= MAX_LIMIT);
                prop_assert_eq!(parse_limit(&n.to_string()).ok(), Some(n));
            }
            Err(e) => refusal_names(&e, &text, whole(&text))?,
        }
    }

    #[test]
    fn orderby_prints_back(
        text in input(
            (select(&["", "+", "-", "++", " "][..]), select(&["created", "updated", "name", "CREATED", ""][..]))
                .prop_map(|(sign, field)| format!("{sign}{field}"))
        )
    ) {
        parses_back::<OrderBy>(&text, false)?;
    }

    #[test]
    fn filters_print_back(text in input(filter_like())) {
        match text.parse::<Filter>() {
            Ok(filter) => {
                let printed = filter.to_string();
                prop_assert_eq!(printed.parse::<Filter>().ok(), Some(filter.clone()), "printed as {:?}", printed);
                prop_assert!(!printed.contains(',') && !printed.chars().any(char::is_control));
            }
            // A bad part (a date, a value) is named alone.
            Err(e) => refusal_names(&e, &text, |v| text.contains(v))?,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Shared settings: rate limits, wait bounds, base URLs
// ---------------------------------------------------------------------------------------

fn rate_limit_like() -> BoxedStrategy<String> {
    let duration = prop_oneof![
        select(
            &[
                "1s",
                "10m",
                "1h 30m",
                "1h30m",
                "5ms",
                "1ns",
                "1us",
                "2days",
                "1M",
                "1y",
                "0s",
                "999999999999y",
                "18446744073709551615s",
                "1.5s",
                "s",
                "",
                "10 m",
                "1w",
            ][..]
        )
        .prop_map(str::to_owned),
        (
            any::<u64>(),
            select(&["ns", "us", "ms", "s", "m", "h", "d", "w", "M", "y"][..])
        )
            .prop_map(|(n, unit)| format!("{n}{unit}")),
        (0..100_000u64, select(&["ns", "ms", "s", "m", "h"][..]))
            .prop_map(|(n, unit)| format!("{n}{unit}")),
    ];
    prop_oneof![
        6 => (digits_like(), select(&["/", " / ", "//", ""][..]), duration)
            .prop_map(|(n, slash, d)| format!("{n}{slash}{d}")),
        1 => select(&["unlimited", "UNLIMITED", "Unlimited ", "unlimited/1s"][..]).prop_map(str::to_owned),
    ]
    .boxed()
}

fn duration() -> BoxedStrategy<Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        (0..10u64, 0..1_000_000_000u32).prop_map(|(s, n)| Duration::new(s, n)),
        (any::<u64>(), 0..1_000_000_000u32).prop_map(|(s, n)| Duration::new(s, n)),
    ]
    .boxed()
}

fn url_like() -> BoxedStrategy<String> {
    (
        select(
            &[
                "https://", "http://", "HTTP://", "ftp://", "file://", "", "https:", "//",
            ][..],
        ),
        select(&["", "", "", "user@", "user:s3cr3tpw@", ":s3cr3tpw@", "a@b@"][..]),
        select(
            &[
                "127.0.0.1",
                "localhost",
                "LOCALHOST",
                "[::1]",
                "127.1",
                "0x7f.0.0.1",
                "2130706433",
                "localhost.",
                "example.com",
                "[::ffff:127.0.0.1]",
                "127.0.0.1.example.com",
                "",
                "trocco.io",
                "ex ample.com",
                "[::1",
            ][..],
        ),
        select(&["", ":8080", ":0", ":65536", ":"][..]),
        select(&["", "/", "/api/", "//", "/a b", "/%2e%2e/"][..]),
        select(&["", "", "?q=1", "#frag", "?"][..]),
    )
        .prop_map(|(s, user, host, port, path, tail)| format!("{s}{user}{host}{port}{path}{tail}"))
        .boxed()
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn fixed_rate_limits_print_back(text in input(rate_limit_like())) {
        if let Some(limit) = parses_back::<RateLimit>(&text, false)? {
            let adaptive = matches!(limit, RateLimit::Adaptive { .. });
            prop_assert!(!adaptive, "{:?}", limit);
        }
    }

    /// An adaptive limit prints as `adaptive, up to N/DURATION`; its `N/DURATION` reads back.
    #[test]
    fn adaptive_rate_limits_print_back(text in input(rate_limit_like())) {
        let adaptive = RateLimit::Adaptive { requests: 5, per: Duration::from_secs(1) };
        match adaptive.parse_like(&text) {
            Ok(limit @ RateLimit::Adaptive { requests, per }) => {
                prop_assert!(requests > 0 && !per.is_zero());
                let printed = limit.to_string();
                let rest = printed.strip_prefix("adaptive, up to ").unwrap_or(&printed);
                prop_assert_eq!(adaptive.parse_like(rest).ok(), Some(limit), "printed as {:?}", printed);
            }
            Ok(limit) => prop_assert_eq!(limit, RateLimit::Unlimited),
            Err(e) => refusal_names(&e, &text, whole(&text))?,
        }
    }

    #[test]
    fn wait_options_bounds_are_checked(
        timeout in duration(),
        poll_min in duration(),
        poll_max in duration(),
        confirm_after in duration(),
    ) {
        let options = WaitOptions { timeout, poll_min, poll_max, confirm_after };
        let sound = !poll_min.is_zero() && poll_min <= poll_max && !timeout.is_zero();
        match options.validate() {
            Ok(()) => prop_assert!(sound),
            Err(e) => {
                prop_assert!(!sound, "{:?} refused: {}", options, e);
                prop_assert!(matches!(e, Error::InvalidInput { .. }), "{:?}", e);
            }
        }
    }

    /// Accepted base URLs print (without a trailing slash, as paths are joined onto them) to
    /// text that is accepted and prints the same; a refusal names the URL.
    #[test]
    fn base_urls_print_back(text in input(url_like()), allow_http in any::<bool>()) {
        match BaseUrl::parse(&text, allow_http) {
            Ok(url) => {
                let printed = url.to_string();
                prop_assert!(!printed.ends_with('/'), "{:?}", printed);
                let again = BaseUrl::parse(&printed, allow_http).map_err(|e| {
                    TestCaseError::fail(format!("{text:?} printed as {printed:?}, refused: {e}"))
                })?;
                prop_assert!(printed.starts_with("https://") || printed.starts_with("http://"));
                prop_assert_eq!(again.to_string(), printed);
            }
            // A URL with user info is named without it.
            Err(e) if text.contains('@') => refusal_names(&e, &text, |_| true)?,
            Err(e) => refusal_names(&e, &text, whole(&text))?,
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// A password written into a base URL never shows in the error refusing it.
    #[test]
    fn base_url_refusals_never_show_a_password(text in input(url_like()), allow_http in any::<bool>()) {
        if let Err(e) = BaseUrl::parse(&text, allow_http) {
            let message = e.to_string();
            prop_assert!(!message.contains("s3cr3tpw"), "{:?}", message);
        }
    }
}

// ---------------------------------------------------------------------------------------
// JobRef
// ---------------------------------------------------------------------------------------

fn parsed<T>(pattern: &'static str) -> BoxedStrategy<T>
where
    T: FromStr + Debug + 'static,
{
    pattern
        .prop_filter_map("the parser refuses it", |s| s.parse().ok())
        .boxed()
}

fn checkpoint_date() -> BoxedStrategy<CheckpointDate> {
    date_parts("")
        .prop_filter_map("not a date", |s| s.parse().ok())
        .boxed()
}

fn non_zero() -> BoxedStrategy<NonZeroU64> {
    prop_oneof![
        any::<u64>().prop_filter_map("zero", NonZeroU64::new),
        (1..1000u64).prop_filter_map("zero", NonZeroU64::new),
    ]
    .boxed()
}

/// Every kind of reference, with ids as the vendors write them: Adobe run ids are Base64
/// (`manual__<time>` encoded), so without `:`.
fn job_ref() -> BoxedStrategy<JobRef> {
    prop_oneof![
        non_zero().prop_map(JobRef::TroccoJob),
        non_zero().prop_map(JobRef::TroccoPipelineJob),
        (
            parsed::<UnitId>("[A-Za-z0-9_-]{1,40}"),
            parsed::<TaskId>("[^\\s\\p{Cc}]{1,40}")
        )
            .prop_map(|(unit, task)| JobRef::KrewdataTask { unit, task }),
        (
            parsed::<RequestId>("[^\\s\\p{Cc}]{1,40}"),
            checkpoint_date()
        )
            .prop_map(|(request, date)| JobRef::AsteriaRequest { request, date }),
        (
            parsed::<ScheduleId>("[^\\s\\p{Cc}/]{1,40}"),
            parsed::<RunId>("[A-Za-z0-9+/=]{1,60}")
        )
            .prop_map(|(schedule, run)| JobRef::AdobeRun { schedule, run }),
    ]
    .boxed()
}

fn job_ref_like() -> BoxedStrategy<String> {
    (
        select(
            &[
                "trocco:job:",
                "trocco:pipeline-job:",
                "krewdata:task:",
                "asteria:request:",
                "adobe:run:",
                "TROCCO:job:",
                "trocco:job",
                "trocco::",
                ":",
                "",
            ][..],
        ),
        vec(
            select(
                &[
                    "1",
                    "0",
                    "+7",
                    "007",
                    "18446744073709551615",
                    "18446744073709551616",
                    "abc",
                    "a-b_c",
                    ":",
                    "::",
                    "20240229",
                    "20230229",
                    "99999999",
                    " ",
                    "é",
                    "\u{0}",
                    "/",
                    "=",
                    "bWFu+/==",
                ][..],
            ),
            0..6,
        ),
    )
        .prop_map(|(prefix, parts)| format!("{prefix}{}", parts.concat()))
        .boxed()
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn job_refs_print_and_parse_back(job in job_ref()) {
        let printed = job.to_string();
        prop_assert!(printed.starts_with(job.vendor()), "{:?}", printed);
        let back = printed.parse::<JobRef>().map_err(|e| {
            TestCaseError::fail(format!("{job:?} printed as {printed:?}, refused: {e}"))
        })?;
        prop_assert_eq!(back, job, "printed as {:?}", printed);
    }

    #[test]
    fn job_ref_parsing_never_panics_and_accepted_refs_print_back(text in input(job_ref_like())) {
        parses_back::<JobRef>(&text, false)?;
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Any run id `RunId` accepts, not only Base64 ones, must survive a reference.
    #[test]
    fn job_refs_with_any_adobe_run_id_parse_back(
        schedule in parsed::<ScheduleId>("[^\\s\\p{Cc}/]{1,20}"),
        run in parsed::<RunId>("[^\\s\\p{Cc}]{1,20}"),
    ) {
        let job = JobRef::AdobeRun { schedule, run };
        let printed = job.to_string();
        prop_assert_eq!(printed.parse::<JobRef>().ok(), Some(job), "printed as {:?}", printed);
    }
}
