//! Property tests: every decoder of a vendor answer survives whatever a server sends.
//!
//! For each answer and error-body type of the five generated crates, `serde_json` decoding
//! never panics on arbitrary bytes, on near-misses of valid JSON (truncated, spliced) or on
//! "plausible" JSON: objects with the right field names whose values have arbitrary types, so
//! that the tolerant paths (untagged unions, open enums, optional fields) are exercised. A
//! value that decodes encodes again and decodes to the same value.
//!
//! Open enums decode any string into a known value or `Unknown(text)` and encode it back to
//! the same text. ASTERIA's XML answers (decoded by `asteria_warp_api::xml::from_xml`, after
//! `String::from_utf8_lossy`, as the facade does) never panic on arbitrary text or on
//! plausible `<result>` documents full of junk, and an answer that decodes round-trips
//! through `to_xml`.
//!
//! Bounded for CI: case counts are set per property and shrinking is capped.

use std::fmt::Debug;

use proptest::{
    collection::vec,
    prelude::*,
    test_runner::{RngAlgorithm, TestCaseError},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Number, Value};

/// Cases per property, and a cap on shrinking so that a failure reports quickly. XorShift
/// rather than ChaCha: generating, not cryptography, and ChaCha took a fifth of the run.
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
// Arbitrary text and JSON
// ---------------------------------------------------------------------------------------

/// Strings a server might put anywhere: samples of the right kind, empty and blank text,
/// control characters, non-ASCII, long runs, and anything at all.
fn text(samples: &'static [&'static str]) -> BoxedStrategy<String> {
    let fixed: &'static [&'static str] = &[
        "",
        " ",
        "\u{0}",
        "\t\r\n",
        "null",
        "true",
        "false",
        "0",
        "-1",
        "202",
        "9223372036854775808",
        "1578523458919",
        "2023-05-19T19:15:00.000+09:00",
        "2012-10-05T18:07:04 JST",
        "2020-12-01 09:00:00",
        "ジョブ",
        "\u{202e}evil",
        "\u{feff}",
    ];
    let mut options: Vec<(u32, BoxedStrategy<String>)> = vec![
        (
            3,
            proptest::sample::select(fixed)
                .prop_map(str::to_owned)
                .boxed(),
        ),
        (3, any::<String>().boxed()),
        (2, "[\\x00-\\x1f\\x7f-\\u{9f} a-z]{0,12}".boxed()),
        (
            1,
            vec(any::<char>(), 0..40)
                .prop_map(String::from_iter)
                .boxed(),
        ),
        (
            1,
            (any::<char>(), 1_000..4_000usize)
                .prop_map(|(c, n)| c.to_string().repeat(n))
                .boxed(),
        ),
    ];
    if !samples.is_empty() {
        options.push((
            6,
            (
                proptest::sample::select(samples),
                0..4u8,
                "[ \\t\\x00a-zA-Z]{0,2}",
            )
                .prop_map(|(s, how, junk)| match how {
                    0 => s.to_owned(),
                    1 => s.to_ascii_lowercase(),
                    2 => s.to_ascii_uppercase(),
                    _ => format!("{junk}{s}{junk}"),
                })
                .boxed(),
        ));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// Numbers at the edges of what the generated types hold (i32, i64, u64, f64).
fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        proptest::sample::select(
            &[
                i64::MIN,
                i64::MAX,
                -2_147_483_649,
                2_147_483_648,
                -1,
                0,
                1,
                202,
                86399,
            ][..]
        )
        .prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        any::<f64>().prop_filter_map("JSON has no NaN or infinity", |f| Number::from_f64(f)
            .map(Value::Number)),
        proptest::sample::select(&[0.5, -0.0, 1e300, -1e-300, 9.0, 303.0][..])
            .prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
    ]
    .boxed()
}

/// Any JSON value, up to a few levels deep.
fn junk() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text(&[]).prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec(("[a-zA-Z_]{0,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

/// The shape of a JSON answer as the spec describes it; values of the wrong type are mixed
/// in by [`plausible`].
#[derive(Debug)]
enum Shape {
    /// A string, with samples of the values the vendor writes.
    Str(&'static [&'static str]),
    Int,
    Bool,
    /// Any JSON (kintone values, Adobe query parameters).
    Any,
    Obj(&'static [(&'static str, Shape)]),
    Arr(&'static Shape),
    Map(&'static Shape),
    /// One of several shapes (untagged unions).
    Either(&'static [Shape]),
}

const STR: Shape = Shape::Str(&[]);
const TIME: Shape = Shape::Str(&[
    "2023-05-19T19:15:00.000+09:00",
    "2020-01-08T20:45:00",
    "2022-06-02T10:56:00Z",
    "1578523458919",
    "2020-12-01 09:00:00",
]);

/// JSON shaped like `shape`: mostly the right fields with values of the right type, sometimes
/// missing, null or of another type, plus fields the spec does not name.
fn plausible(shape: &'static Shape, depth: u32) -> BoxedStrategy<Value> {
    let right: BoxedStrategy<Value> = match shape {
        Shape::Str(samples) => text(samples).prop_map(Value::String).boxed(),
        Shape::Int => number(),
        Shape::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Shape::Any => junk(),
        Shape::Obj(fields) => {
            let members: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
                .iter()
                .map(|(name, field)| {
                    let name = (*name).to_owned();
                    prop_oneof![
                        6 => plausible(field, depth + 1).prop_map(move |v| Some((name.clone(), v))),
                        1 => Just(None),
                    ]
                    .boxed()
                })
                .collect();
            (members, vec(("[a-zA-Z_$]{1,10}", junk()), 0..3))
                .prop_map(|(members, extra)| {
                    let mut map: Map<String, Value> = extra.into_iter().collect();
                    map.extend(members.into_iter().flatten());
                    Value::Object(map)
                })
                .boxed()
        }
        Shape::Arr(item) if depth < 4 => vec(plausible(item, depth + 1), 0..4)
            .prop_map(Value::Array)
            .boxed(),
        Shape::Map(item) if depth < 4 => vec((text(&[]), plausible(item, depth + 1)), 0..4)
            .prop_map(|kv| Value::Object(kv.into_iter().collect()))
            .boxed(),
        Shape::Arr(_) | Shape::Map(_) => Just(Value::Array(Vec::new())).boxed(),
        Shape::Either(shapes) => {
            proptest::strategy::Union::new(shapes.iter().map(|s| plausible(s, depth))).boxed()
        }
    };
    prop_oneof![12 => right, 1 => Just(Value::Null), 1 => junk()].boxed()
}

/// The text of a plausible value, sometimes broken: truncated, or with bytes spliced in.
fn plausible_bytes(shape: &'static Shape) -> BoxedStrategy<Vec<u8>> {
    (
        plausible(shape, 0),
        0..4u8,
        any::<prop::sample::Index>(),
        vec(any::<u8>(), 0..4),
    )
        .prop_map(|(value, how, at, splice)| {
            let mut bytes = serde_json::to_vec(&value).unwrap_or_default();
            let i = at.index(bytes.len() + 1);
            match how {
                0 => bytes.truncate(i),
                1 => {
                    bytes.splice(i..i, splice);
                }
                _ => {}
            }
            bytes
        })
        .boxed()
}

/// Bytes that are not JSON, or barely: anything, and streams of JSON punctuation.
fn junk_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..256),
        vec(
            proptest::sample::select(&b"{}[]\":,0123456789.eE+-truefalsnul \\u\t\n"[..]),
            0..256
        ),
        // Deep nesting: serde_json stops at its recursion limit instead of overflowing.
        (1..5000usize).prop_map(|n| {
            let mut b = vec![b'['; n];
            b.extend(std::iter::repeat_n(b']', n));
            b
        }),
        (1..5000usize).prop_map(|n| "{\"a\":".repeat(n).into_bytes()),
    ]
    .boxed()
}

/// Decoding never panics; a decoded value encodes, and that decodes to the same value.
fn decodes_stably<T>(bytes: &[u8]) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        let again = serde_json::to_vec(&value)
            .map_err(|e| TestCaseError::fail(format!("{value:?} does not encode: {e}")))?;
        let back: T = serde_json::from_slice(&again).map_err(|e| {
            TestCaseError::fail(format!(
                "{value:?} encodes to {:?}, which does not decode: {e}",
                String::from_utf8_lossy(&again)
            ))
        })?;
        prop_assert!(
            same(&back, &value),
            "{value:?} encodes to {:?}, which decodes to {back:?}",
            String::from_utf8_lossy(&again)
        );
    }
    Ok(())
}

/// Equal, or equal but for the last bits of a float: without its `float_roundtrip` feature,
/// serde_json's fast float parser may read a printed `f64` back one ULP off (e.g.
/// `6.499783792578494e164`). That is serde_json's documented trade-off, not a decoder bug.
fn same<T: Serialize + PartialEq>(a: &T, b: &T) -> bool {
    fn close(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
                let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
                x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs())
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
            }
            _ => a == b,
        }
    }
    a == b
        || match (serde_json::to_value(a), serde_json::to_value(b)) {
            (Ok(x), Ok(y)) => close(&x, &y),
            _ => false,
        }
}

/// Decoding a `Value` (the path of `serde_json::from_value`) never panics either.
fn decodes_from_value<T>(value: Value) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    let direct = serde_json::from_value::<T>(value).ok();
    let via_text = serde_json::from_slice::<T>(&bytes).ok();
    let agree = match (&direct, &via_text) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    };
    prop_assert!(
        agree,
        "from_value gives {direct:?}, from_slice {via_text:?}"
    );
    decodes_stably::<T>(&bytes)
}

// ---------------------------------------------------------------------------------------
// The shapes of the answers, field names as in the generated types
// ---------------------------------------------------------------------------------------

mod shapes {
    use super::{STR, Shape, TIME};

    pub const TROCCO_STATUS: Shape = Shape::Str(trocco_api::types::JobStatus::KNOWN);
    pub const TROCCO_ERROR: Shape = Shape::Obj(&[
        ("error", STR),
        (
            "errors",
            Shape::Arr(&Shape::Obj(&[("attribute", STR), ("message", STR)])),
        ),
        ("message", STR),
    ]);
    pub const TROCCO_TRANSFER_JOB: Shape = Shape::Obj(&[
        ("context_time", TIME),
        ("created_at", TIME),
        ("finished_at", TIME),
        ("id", Shape::Int),
        ("job_definition_id", Shape::Int),
        ("job_definition_name", STR),
        ("started_at", TIME),
        ("status", TROCCO_STATUS),
        ("time_zone", Shape::Str(&["Asia/Tokyo", "Etc/UTC"])),
    ]);
    pub const TROCCO_PIPELINE_JOB: Shape = Shape::Obj(&[
        ("context_time", TIME),
        ("created_at", TIME),
        ("finished_at", TIME),
        ("id", Shape::Int),
        ("name", STR),
        ("pipeline_definition_id", Shape::Int),
        ("started_at", TIME),
        ("status", TROCCO_STATUS),
    ]);
    pub const TROCCO_PAGE: Shape = Shape::Obj(&[
        ("items", Shape::Arr(&TROCCO_TRANSFER_JOB)),
        ("next_cursor", STR),
    ]);

    pub const KREWDATA_STATUS: Shape = Shape::Str(krewdata_api::types::ExecutionStatus::KNOWN);
    const KREWDATA_DESCRIPTIONS: &[&str] = &[
        "Specified token has been used.",
        "Specified accessToken is invalid.",
        "Other User is running the execution unit.",
        "The rate limit for API calls has been exceeded. Specified unit has been disabled.",
        "Specified taskId is invalid.",
    ];
    pub const KREWDATA_ERROR: Shape = Shape::Obj(&[
        (
            "code",
            Shape::Either(&[Shape::Int, Shape::Str(&["200", "409"])]),
        ),
        ("description", Shape::Str(KREWDATA_DESCRIPTIONS)),
        ("status", Shape::Str(&["Success", "Failed", "Conflict"])),
        ("taskId", Shape::Either(&[STR, Shape::Int])),
    ]);
    pub const KREWDATA_TOKEN: Shape =
        Shape::Obj(&[("accessToken", STR), ("code", Shape::Int), ("status", STR)]);
    pub const KREWDATA_RUN: Shape =
        Shape::Obj(&[("code", Shape::Int), ("status", STR), ("taskId", STR)]);
    pub const KREWDATA_FLOW: Shape = Shape::Obj(&[
        ("endTime", TIME),
        ("flowExecUniqueKey", STR),
        ("flowName", STR),
        ("startTime", TIME),
        ("status", KREWDATA_STATUS),
    ]);
    pub const KREWDATA_STATUS_ANSWER: Shape = Shape::Obj(&[
        ("code", Shape::Int),
        ("errorCode", Shape::Str(&["33", "134"])),
        ("errorMessage", STR),
        ("flowInfo", Shape::Arr(&KREWDATA_FLOW)),
        ("status", STR),
        ("taskStatus", KREWDATA_STATUS),
    ]);
    pub const KREWDATA_FIELD: Shape = Shape::Obj(&[
        (
            "type",
            Shape::Str(&["SINGLE_LINE_TEXT", "DATE", "NUMBER", "SUBTABLE"]),
        ),
        ("value", Shape::Any),
    ]);
    pub const KREWDATA_RECORD: Shape = Shape::Map(&KREWDATA_FIELD);

    pub const IMS_TOKEN: Shape = Shape::Obj(&[
        ("access_token", STR),
        ("expires_in", Shape::Int),
        ("token_type", Shape::Str(&["bearer"])),
    ]);
    pub const IMS_ERROR: Shape = Shape::Obj(&[
        ("error", Shape::Str(&["invalid_client", "invalid_scope"])),
        ("error_description", STR),
    ]);

    const RUN_STATE: Shape = Shape::Str(adobe_query_api::types::RunStateKind::KNOWN);
    const TASK_STATE: Shape = Shape::Str(adobe_query_api::types::TaskStateKind::KNOWN);
    const SCHEDULE_STATE: Shape = Shape::Str(adobe_query_api::types::ScheduleState::KNOWN);
    const LINK: Shape = Shape::Obj(&[
        ("body", Shape::Str(&["{ \"op\": \"enable\" }"])),
        ("href", STR),
        ("method", Shape::Str(&["GET", "PATCH"])),
    ]);
    const NEXT_LINK: Shape = Shape::Either(&[STR, Shape::Obj(&[("href", STR)])]);
    const PAGE_LINKS: Shape = Shape::Obj(&[("next", NEXT_LINK), ("prev", NEXT_LINK)]);
    const PAGE: Shape = Shape::Obj(&[
        ("count", Shape::Int),
        ("next", TIME),
        ("orderby", Shape::Str(&["+created", "-created"])),
        ("property", STR),
        ("start", TIME),
    ]);
    const RUN_LINKS: Shape = Shape::Obj(&[("cancel", LINK), ("self", LINK)]);
    const EXTERNAL_TRIGGER: Shape = Shape::Either(&[Shape::Bool, Shape::Str(&["true", "false"])]);
    pub const ADOBE_ACCEPTED: Shape = Shape::Obj(&[
        ("message", STR),
        (
            "statusCode",
            Shape::Either(&[Shape::Int, Shape::Str(&["202"])]),
        ),
    ]);
    pub const ADOBE_ERROR: Shape = Shape::Obj(&[
        ("detail", STR),
        ("error_code", Shape::Str(&["403010", "429050"])),
        ("message", STR),
        ("status", Shape::Int),
        ("title", STR),
        ("type", STR),
    ]);
    pub const ADOBE_RUN: Shape = Shape::Obj(&[
        ("created", TIME),
        ("externalTrigger", EXTERNAL_TRIGGER),
        ("id", STR),
        ("_links", RUN_LINKS),
        ("state", RUN_STATE),
        ("version", Shape::Int),
    ]);
    const TASK: Shape = Shape::Obj(&[
        (
            "duration",
            Shape::Either(&[Shape::Int, Shape::Str(&["9", "303"])]),
        ),
        ("endDate", TIME),
        ("message", STR),
        ("startDate", TIME),
        ("state", TASK_STATE),
        ("taskId", STR),
    ]);
    pub const ADOBE_RUN_DETAILS: Shape = Shape::Obj(&[
        ("created", TIME),
        ("externalTrigger", EXTERNAL_TRIGGER),
        ("id", STR),
        ("_links", RUN_LINKS),
        ("scheduleId", STR),
        ("state", RUN_STATE),
        ("taskStatusList", Shape::Arr(&TASK)),
        ("version", Shape::Int),
    ]);
    pub const ADOBE_RUN_LIST: Shape = Shape::Obj(&[
        ("_links", PAGE_LINKS),
        ("_page", PAGE),
        ("runsSchedules", Shape::Arr(&ADOBE_RUN)),
        ("version", Shape::Int),
    ]);
    const QUERY: Shape = Shape::Obj(&[
        (
            "ctasParameters",
            Shape::Obj(&[
                ("datasetName", STR),
                ("description", STR),
                ("targetSchemaTitle", STR),
            ]),
        ),
        ("dbName", Shape::Str(&["prod:all"])),
        ("description", STR),
        ("insertIntoParameters", Shape::Obj(&[("datasetName", STR)])),
        ("name", STR),
        ("queryParameters", Shape::Map(&Shape::Any)),
        ("sql", STR),
        ("templateId", STR),
    ]);
    const CADENCE: Shape = Shape::Obj(&[
        ("endDate", TIME),
        ("maxActiveRuns", Shape::Int),
        ("schedule", Shape::Str(&["30 * * * *", "@once", "@daily"])),
        ("startDate", TIME),
    ]);
    pub const ADOBE_SCHEDULE: Shape = Shape::Obj(&[
        ("created", TIME),
        ("id", STR),
        (
            "_links",
            Shape::Obj(&[
                ("delete", LINK),
                ("disable", LINK),
                ("enable", LINK),
                ("runs", LINK),
                ("self", LINK),
                ("trigger", LINK),
            ]),
        ),
        ("query", QUERY),
        ("schedule", CADENCE),
        ("state", SCHEDULE_STATE),
        ("updated", TIME),
        ("updatedUserId", STR),
        ("userId", STR),
        ("version", Shape::Int),
    ]);
    pub const ADOBE_SCHEDULE_LIST: Shape = Shape::Obj(&[
        ("_links", PAGE_LINKS),
        ("_page", PAGE),
        ("schedules", Shape::Arr(&ADOBE_SCHEDULE)),
        ("version", Shape::Int),
    ]);

    /// The string newtypes with a checked format (ids, dates) decode from any JSON string.
    pub const ID: Shape = Shape::Str(&[
        "eedd0d83-ac7a-482d-ae95-aa16c1d87d43",
        "20121005",
        "2019-11-18 00:00:00",
        "bWFudWFsX18yMDI0LTAxLTAxVDAwOjAwOjAw",
    ]);
}

/// One property per answer type: arbitrary bytes, broken plausible text, plausible values.
macro_rules! decoder_properties {
    ($($name:ident: $ty:ty = $shape:expr;)*) => {
        $(
            mod $name {
                use super::*;

                proptest! {
                    #![proptest_config(config(256))]

                    #[test]
                    fn never_panics_on_arbitrary_bytes(bytes in junk_bytes()) {
                        decodes_stably::<$ty>(&bytes)?;
                    }

                    #[test]
                    fn never_panics_on_broken_plausible_json(bytes in plausible_bytes(&$shape)) {
                        decodes_stably::<$ty>(&bytes)?;
                    }

                    #[test]
                    fn plausible_json_decodes_stably(value in plausible(&$shape, 0)) {
                        decodes_from_value::<$ty>(value)?;
                    }
                }
            }
        )*
    };
}

decoder_properties! {
    trocco_error_body: trocco_api::types::ErrorBody = shapes::TROCCO_ERROR;
    trocco_transfer_job: trocco_api::types::TransferJob = shapes::TROCCO_TRANSFER_JOB;
    trocco_pipeline_job: trocco_api::types::PipelineJob = shapes::TROCCO_PIPELINE_JOB;
    trocco_transfer_job_page: trocco_api::types::TransferJobPage = shapes::TROCCO_PAGE;
    trocco_local_date_time: trocco_api::types::LocalDateTime = shapes::ID;
    krewdata_error_body: krewdata_api::types::ErrorBody = shapes::KREWDATA_ERROR;
    krewdata_token_answer: krewdata_api::types::TokenAnswer = shapes::KREWDATA_TOKEN;
    krewdata_run_answer: krewdata_api::types::RunAnswer = shapes::KREWDATA_RUN;
    krewdata_status_answer: krewdata_api::types::StatusAnswer = shapes::KREWDATA_STATUS_ANSWER;
    krewdata_kintone_record: krewdata_api::types::KintoneRecord = shapes::KREWDATA_RECORD;
    krewdata_unit_id: krewdata_api::types::UnitId = shapes::ID;
    ims_token_answer: adobe_ims_api::types::TokenAnswer = shapes::IMS_TOKEN;
    ims_oauth_error: adobe_ims_api::types::OAuthError = shapes::IMS_ERROR;
    adobe_accepted: adobe_query_api::types::Accepted = shapes::ADOBE_ACCEPTED;
    adobe_error_body: adobe_query_api::types::ErrorBody = shapes::ADOBE_ERROR;
    adobe_run: adobe_query_api::types::Run = shapes::ADOBE_RUN;
    adobe_run_details: adobe_query_api::types::RunDetails = shapes::ADOBE_RUN_DETAILS;
    adobe_run_list: adobe_query_api::types::RunList = shapes::ADOBE_RUN_LIST;
    adobe_schedule: adobe_query_api::types::Schedule = shapes::ADOBE_SCHEDULE;
    adobe_schedule_list: adobe_query_api::types::ScheduleList = shapes::ADOBE_SCHEDULE_LIST;
    adobe_run_id: adobe_query_api::types::RunId = shapes::ID;
    adobe_schedule_id: adobe_query_api::types::ScheduleId = shapes::ID;
    asteria_request_id: asteria_warp_api::types::RequestId = shapes::ID;
    asteria_date: asteria_warp_api::types::Date = shapes::ID;
}

// ---------------------------------------------------------------------------------------
// The facade's own JSON readers
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    /// `KrewdataError::from_body` reads any bytes without panicking, and recognizes a body
    /// only by one of the documented descriptions.
    #[test]
    fn krewdata_error_from_body_never_panics(
        bytes in prop_oneof![junk_bytes(), plausible_bytes(&shapes::KREWDATA_ERROR)]
    ) {
        if jobrun::krewdata::KrewdataError::from_body(&bytes).is_some() {
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| TestCaseError::fail(format!("recognized a non-JSON body: {e}")))?;
            prop_assert!(value.get("description").is_some_and(Value::is_string));
        }
    }

    /// `Record::from_json` (a kintone record given by the user) never panics; a rejection
    /// names the text it was given (its first 80 characters).
    #[test]
    fn krewdata_record_from_json_never_panics(
        bytes in prop_oneof![
            junk_bytes(),
            plausible_bytes(&shapes::KREWDATA_RECORD),
            plausible(&shapes::KREWDATA_RECORD, 0)
                .prop_map(|r| serde_json::to_vec(&serde_json::json!({ "record": r }))
                    .unwrap_or_default()),
        ]
    ) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = jobrun::krewdata::Record::from_json(&text) {
            let shown: String = text.chars().take(80).collect();
            prop_assert!(
                e.to_string().contains(&format!("{shown:?}")),
                "{e} does not name {shown:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Open enums: any string is a known value or Unknown(text), and encodes back unchanged
// ---------------------------------------------------------------------------------------

/// `parsed` is the value `text` decodes to (case-sensitive open enum).
fn open_enum_round_trips<E>(
    text: &str,
    known: &[&str],
    as_str: impl Fn(&E) -> String,
    is_known: impl Fn(&E) -> bool,
) -> Result<(), TestCaseError>
where
    E: DeserializeOwned + Serialize + std::str::FromStr + PartialEq + Debug,
    E::Err: Debug,
{
    let parsed: E = text
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{text:?} refused: {e:?}")))?;
    prop_assert_eq!(as_str(&parsed), text);
    prop_assert_eq!(is_known(&parsed), known.contains(&text));
    let decoded: E = serde_json::from_value(Value::String(text.to_owned()))
        .map_err(|e| TestCaseError::fail(format!("{text:?} does not decode: {e}")))?;
    prop_assert_eq!(&decoded, &parsed);
    prop_assert_eq!(
        serde_json::to_value(&decoded).ok(),
        Some(Value::String(text.to_owned()))
    );
    Ok(())
}

/// Any JSON that is not a string is refused, never turned into a default.
fn non_strings_are_refused<E: DeserializeOwned + Debug>(value: Value) -> Result<(), TestCaseError> {
    if !value.is_string() {
        prop_assert!(serde_json::from_value::<E>(value).is_err());
    }
    Ok(())
}

macro_rules! open_enum_properties {
    ($($name:ident: $ty:ty;)*) => {
        $(
            mod $name {
                use super::*;

                proptest! {
                    #![proptest_config(config(512))]

                    #[test]
                    fn any_string_decodes_and_encodes_back(s in text(<$ty>::KNOWN)) {
                        open_enum_round_trips::<$ty>(
                            &s,
                            <$ty>::KNOWN,
                            |e| e.to_string(),
                            |e| e.is_known(),
                        )?;
                        prop_assert_eq!(s.parse::<$ty>().map(|e| e.as_str().to_owned()).ok(), Some(s));
                    }

                    #[test]
                    fn non_strings_are_refused(value in junk()) {
                        super::non_strings_are_refused::<$ty>(value)?;
                    }
                }
            }
        )*
    };
}

open_enum_properties! {
    trocco_job_status: trocco_api::types::JobStatus;
    krewdata_execution_status: krewdata_api::types::ExecutionStatus;
    asteria_request_status: asteria_warp_api::types::RequestStatus;
    asteria_result_status: asteria_warp_api::xml::ResultStatus;
    ims_grant_type: adobe_ims_api::types::GrantType;
    adobe_schedule_state: adobe_query_api::types::ScheduleState;
    adobe_patch_op: adobe_query_api::types::PatchOp;
    adobe_cancel_op: adobe_query_api::types::CancelOp;
    adobe_schedule_patch_path: adobe_query_api::types::SchedulePatchPath;
}

proptest! {
    #![proptest_config(config(512))]

    /// Adobe's run state keeps the text as received and reads it ignoring ASCII case.
    #[test]
    fn adobe_run_state_keeps_text_and_matches_ignoring_case(
        s in text(adobe_query_api::types::RunStateKind::KNOWN)
    ) {
        use adobe_query_api::types::{RunState, RunStateKind};
        let state: RunState = serde_json::from_value(Value::String(s.clone()))
            .map_err(|e| TestCaseError::fail(format!("{s:?} does not decode: {e}")))?;
        prop_assert_eq!(state.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_value(&state).ok(), Some(Value::String(s.clone())));
        let kind = state.kind();
        let listed = RunStateKind::KNOWN.iter().find(|k| k.eq_ignore_ascii_case(&s));
        match listed {
            Some(k) => prop_assert_eq!(kind.as_str(), *k),
            None => prop_assert_eq!(kind.clone(), RunStateKind::Unknown(s.clone())),
        }
        let kind_decoded: RunStateKind = serde_json::from_value(Value::String(s.clone()))
            .map_err(|e| TestCaseError::fail(format!("{s:?} does not decode: {e}")))?;
        prop_assert_eq!(&kind_decoded, &kind);
        prop_assert_eq!(RunState::from(kind.clone()).kind(), kind);
    }

    /// The same for the state of a run's task.
    #[test]
    fn adobe_task_state_keeps_text_and_matches_ignoring_case(
        s in text(adobe_query_api::types::TaskStateKind::KNOWN)
    ) {
        use adobe_query_api::types::{TaskState, TaskStateKind};
        let state: TaskState = serde_json::from_value(Value::String(s.clone()))
            .map_err(|e| TestCaseError::fail(format!("{s:?} does not decode: {e}")))?;
        prop_assert_eq!(state.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_value(&state).ok(), Some(Value::String(s.clone())));
        let kind = state.kind();
        let listed = TaskStateKind::KNOWN.iter().find(|k| k.eq_ignore_ascii_case(&s));
        match listed {
            Some(k) => prop_assert_eq!(kind.as_str(), *k),
            None => prop_assert_eq!(kind.clone(), TaskStateKind::Unknown(s.clone())),
        }
        prop_assert_eq!(TaskState::from(kind.clone()).kind(), kind);
    }

    /// A vendor time is any string, kept and encoded back exactly; reading its instant never
    /// panics.
    #[test]
    fn vendor_time_keeps_any_string(s in text(&[
        "2023-05-19T19:15:00.000+09:00",
        "2012-10-05T18:07:04 JST",
        "2012-10-05 18:07:04 EDT",
        "+275760-09-13T00:00:00 UTC",
        "9999-12-31T23:59:59.999999999 AEDT",
    ])) {
        let t: jobrun::VendorTime = serde_json::from_value(Value::String(s.clone()))
            .map_err(|e| TestCaseError::fail(format!("{s:?} does not decode: {e}")))?;
        prop_assert_eq!(t.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_value(&t).ok(), Some(Value::String(s.clone())));
        let _ = t.parse();
    }
}

// ---------------------------------------------------------------------------------------
// ASTERIA's XML answers
// ---------------------------------------------------------------------------------------

/// What the facade does with an answer's body: lossy UTF-8, then `from_xml`. Never panics;
/// an answer that decodes encodes with `to_xml` and decodes to the same answer, and its
/// statuses read as open enums that give back their text.
///
/// With `strict` false, the round trip is skipped when the encoding holds a character XML 1.0
/// forbids (see `asteria_xml_answers_round_trip_through_to_xml`, ignored for that bug).
fn xml_decodes_stably(body: &[u8], strict: bool) -> Result<(), TestCaseError> {
    use asteria_warp_api::xml;
    let text = String::from_utf8_lossy(body);
    let Ok(answer) = xml::from_xml(&text) else {
        return Ok(());
    };
    prop_assert_eq!(answer.status().to_string(), answer.status.as_str());
    for request in answer.data.iter().flat_map(|d| &d.requests) {
        prop_assert_eq!(request.status().to_string(), request.status.as_str());
    }
    let encoded = xml::to_xml(&answer)
        .map_err(|e| TestCaseError::fail(format!("{answer:?} does not encode: {e}")))?;
    let xml10 = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}'
    };
    if !strict && !encoded.chars().all(xml10) {
        return Ok(());
    }
    let back = xml::from_xml(&encoded).map_err(|e| {
        TestCaseError::fail(format!(
            "decoded from {text:?}, encoded as {encoded:?}, which does not decode: {e}"
        ))
    })?;
    prop_assert_eq!(
        back,
        answer,
        "decoded from {:?}, encoded as {:?}",
        text,
        encoded
    );
    Ok(())
}

/// Text for an element: plain, escaped, in CDATA, with entity and character references
/// (legal and not), control characters and markup.
fn xml_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => text(&["success", "error", "running", "2001", "CheckPoint2", "/guest"]),
        2 => text(&[]).prop_map(|t| escape(&t)),
        1 => text(&[]).prop_map(|t| format!("<![CDATA[{t}]]>")),
        1 => proptest::sample::select(&[
            "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#x41;", "&#65;", "&#0;", "&#x1;",
            "&#xD800;", "&#1114112;", "&#99999999999999999999;", "&nbsp;", "&undefined;", "&",
            "&#;", "&#x;", "<!-- c -->", "<?pi x?>", "]]>", "<", ">", "\u{0}", "\u{1b}[31m",
            "\r\n", "\u{fffe}", "\u{ffff}",
        ][..]).prop_map(str::to_owned),
    ]
    .boxed()
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An element the schema does not declare, with junk inside, nested a few levels.
fn xml_junk() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        xml_text(),
        ("[a-zA-Z_][a-zA-Z0-9_.:-]{0,8}").prop_map(|n| format!("<{n}/>")),
        ("[a-zA-Z_][a-zA-Z0-9_.-]{0,8}", xml_text()).prop_map(|(n, t)| format!(
            "<{n} a=\"{}\">{t}</{n}>",
            escape(&t).replace('"', "&quot;")
        )),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        (
            prop_oneof![
                Just("request".to_owned()),
                Just("data".to_owned()),
                Just("status".to_owned()),
                Just("result".to_owned()),
                "[a-zA-Z_][a-zA-Z0-9_-]{0,8}",
            ],
            vec(inner, 0..4),
            any::<bool>(),
        )
            .prop_map(|(n, children, closed)| {
                let close = if closed {
                    format!("</{n}>")
                } else {
                    String::new()
                };
                format!("<{n}>{}{close}", children.concat())
            })
    })
    .boxed()
}

fn element(name: &'static str) -> BoxedStrategy<String> {
    (xml_text(), 0..8u8)
        .prop_map(move |(t, how)| match how {
            0 => format!("<{name}/>"),
            1 => format!("<{name} x=\"1\">{t}</{name}>"),
            2 => format!("<{name}>{t}<junk>{t}</junk></{name}>"),
            _ => format!("<{name}>{t}</{name}>"),
        })
        .boxed()
}

fn children(names: &'static [&'static str], extra: BoxedStrategy<String>) -> BoxedStrategy<String> {
    let one = prop_oneof![
        6 => proptest::sample::select(names).prop_flat_map(element),
        1 => xml_junk(),
        1 => extra,
    ];
    vec(one, 0..8).prop_map(|parts| parts.concat()).boxed()
}

const REQUEST_FIELDS: &[&str] = &[
    "requestId",
    "status",
    "project",
    "flow",
    "owner",
    "executeUser",
    "startTime",
    "checkPointStatus",
    "endTime",
    "restartTime",
    "checkPointRestartStatus",
];

/// `<result><status>…</status><data>…</data></result>` with arbitrary text and junk, in
/// any order, sometimes truncated or with something after the root.
fn plausible_xml() -> BoxedStrategy<Vec<u8>> {
    let request = children(REQUEST_FIELDS, Just(String::new()).boxed())
        .prop_map(|inner| format!("<request>{inner}</request>"));
    let data = children(&["requestId", "sessionId"], request.boxed())
        .prop_map(|inner| format!("<data>{inner}</data>"));
    let body = children(&["status", "errorCode", "errorMessage"], data.boxed());
    (
        proptest::sample::select(
            &[
                "",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<?xml version=\"1.1\"?>",
                "\u{feff}",
                "<!DOCTYPE result [<!ENTITY e \"x\">]>",
                "<!-- before -->",
                "  \n",
            ][..],
        ),
        proptest::sample::select(
            &[
                "result",
                "result xmlns=\"urn:x\"",
                "a:result xmlns:a=\"urn:a\"",
                "Result",
            ][..],
        ),
        body,
        0..6u8,
        any::<prop::sample::Index>(),
        xml_junk(),
    )
        .prop_map(|(prolog, root, body, how, at, junk)| {
            let name = root.split(' ').next().unwrap_or(root);
            let mut doc = format!("{prolog}<{root}>{body}</{name}>");
            match how {
                0 => {
                    let mut i = at.index(doc.len() + 1);
                    while !doc.is_char_boundary(i) {
                        i -= 1;
                    }
                    doc.truncate(i);
                }
                1 => doc.push_str(&junk),
                _ => {}
            }
            doc.into_bytes()
        })
        .boxed()
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn asteria_xml_never_panics_on_arbitrary_bytes(
        bytes in prop_oneof![
            vec(any::<u8>(), 0..512),
            any::<String>().prop_map(String::into_bytes),
            vec(proptest::sample::select(&b"<>/?!-[]&;#x\"'= resultstaus"[..]), 0..256),
        ]
    ) {
        xml_decodes_stably(&bytes, false)?;
    }

    #[test]
    fn asteria_xml_never_panics_on_plausible_answers(bytes in plausible_xml()) {
        xml_decodes_stably(&bytes, false)?;
    }
}

proptest! {
    #![proptest_config(config(1024))]

    /// Every answer `from_xml` accepts encodes with `to_xml` to text `from_xml` reads back.
    #[test]
    #[ignore = "bug: asteria_warp_api::xml::to_xml writes control characters raw, which no \
                XML reader accepts; failing input: <?xml version=\"1.1\"?><result><status>\
                <![CDATA[\u{1}]]></status></result> decodes (XML 1.1 allows U+0001) to status \
                \"\u{1}\", encoded as <result><status>\u{1}</status></result> without the 1.1 \
                declaration: Invalid character U+0001"]
    fn asteria_xml_answers_round_trip_through_to_xml(bytes in plausible_xml()) {
        xml_decodes_stably(&bytes, true)?;
    }
}

fn nested(depth: usize, inside_data: bool) -> String {
    let (open, close) = ("<x>".repeat(depth), "</x>".repeat(depth));
    if inside_data {
        format!("<result><status>success</status><data>{open}{close}</data></result>")
    } else {
        format!("<result><status>success</status>{open}{close}</result>")
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// Deeply nested elements the schema does not declare are skipped without overflowing
    /// the stack. (Depth is kept small here: the time grows with its square, see
    /// `asteria_xml_time_is_linear_in_nesting_depth`.)
    #[test]
    fn asteria_xml_survives_deep_nesting(depth in 1..600usize, inside_data in any::<bool>()) {
        xml_decodes_stably(nested(depth, inside_data).as_bytes(), false)?;
    }
}

/// Promise 7 of the design: answers are bounded in parsing time. `from_xml` is quadratic in
/// the nesting depth of elements: the `xml` crate (1.4) under yaserde builds each start
/// element's namespace by walking the whole stack of open elements
/// (`NamespaceStack::squash`). Measured in a debug build: 1,000 levels 57 ms, 2,000 levels
/// 230 ms, 4,000 levels 0.6 s; 20,000 levels (140 KB of `<x>`) take 12 s, and the facade
/// reads an ASTERIA answer of any size (`read_answer`), on the task that should honour the
/// deadline.
#[test]
fn asteria_xml_time_is_linear_in_nesting_depth() {
    let doc = nested(20_000, true);
    let started = std::time::Instant::now();
    let _ = asteria_warp_api::xml::from_xml(&doc);
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(2),
        "{} bytes nested 20,000 deep took {took:?}",
        doc.len()
    );
}
