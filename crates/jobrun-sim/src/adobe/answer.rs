//! Every body the simulator sends, with keys in the order the docs print them.
//!
//! serde_json's map sorts keys, so bodies are built as [`Json`] trees that serialize their
//! objects in insertion order.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use super::input::{QueryDef, iso_ms, utc};
use super::store::{RunView, ScheduleState, StoredRun, StoredSchedule, TaskView};

pub(super) const JSON: &str = "application/json";
/// The RFC 7807 media type, for the gateway's content-type refusal whose body is shaped so.
pub(super) const PROBLEM_JSON: &str = "application/problem+json";

/// A JSON value whose objects keep their keys in insertion order.
#[derive(Debug, Clone)]
pub(super) enum Json {
    Value(Value),
    Object(Vec<(&'static str, Json)>),
    Array(Vec<Json>),
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Value(value) => value.serialize(serializer),
            Json::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

impl<T: Into<Value>> From<T> for Json {
    fn from(value: T) -> Self {
        Json::Value(value.into())
    }
}

/// An ordered object from `(key, value)` pairs.
pub(super) fn object<const N: usize>(fields: [(&'static str, Json); N]) -> Json {
    Json::Object(fields.into())
}

/// `status` with `body` as JSON of `content_type`.
pub(super) fn send(status: StatusCode, content_type: &'static str, body: &Json) -> Response {
    // Serializing a tree of strings, numbers and ordered maps cannot fail; should it ever,
    // an empty object is still JSON.
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_owned());
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `{"message": …, "statusCode": N}`: the documented shape of the 202 answers, and (inferred,
/// research §16) of the service's own errors, whose bodies Adobe does not publish.
pub(super) fn message(status: StatusCode, text: &str) -> Response {
    send(
        status,
        JSON,
        &object([
            ("message", text.into()),
            ("statusCode", status.as_u16().into()),
        ]),
    )
}

/// `{"error_code": "403010", "message": "…"}`, the gateway's errors (research §8.1).
pub(super) fn gateway(status: StatusCode, code: &str, text: &str) -> Response {
    send(
        status,
        JSON,
        &object([("error_code", code.into()), ("message", text.into())]),
    )
}

/// The gateway's answer to a body sent without `Content-Type: application/json`.
pub(super) fn content_type_refused() -> Response {
    send(
        StatusCode::BAD_REQUEST,
        PROBLEM_JSON,
        &object([
            ("type", "/placeholder/type/uri".into()),
            ("status", 400.into()),
            ("title", "BadRequestError".into()),
            ("detail", "A valid content-type must be specified".into()),
        ]),
    )
}

/// `{"error": "invalid_client", "error_description": "…"}`, the OAuth errors of IMS.
pub(super) fn oauth(status: StatusCode, error: &str, description: &str) -> Response {
    send(
        status,
        JSON,
        &object([
            ("error", error.into()),
            ("error_description", description.into()),
        ]),
    )
}

/// How payloads are rendered: spec-shaped or doc-shaped, links from which base.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style<'a> {
    /// `http://127.0.0.1:PORT`.
    pub(super) base: &'a str,
    pub(super) doc_style: bool,
    pub(super) links_as_strings: bool,
}

impl Style<'_> {
    pub(super) fn schedule_url(&self, id: &str) -> String {
        format!("{}{}/schedules/{id}", self.base, super::PLATFORM_PREFIX)
    }

    /// A `created`/`updated` of a schedule: ISO with milliseconds, or (doc style) epoch
    /// milliseconds as a string, like the docs' `"1578523458919"`.
    fn schedule_time(&self, ms: i64) -> Json {
        if self.doc_style {
            ms.to_string().into()
        } else {
            iso_ms(ms).into()
        }
    }

    /// `externalTrigger`: a boolean, or (doc style) the docs' `"false"` string.
    fn flag(&self, value: bool) -> Json {
        if self.doc_style {
            value.to_string().into()
        } else {
            value.into()
        }
    }
}

fn link(href: String, method: &str) -> Json {
    object([("href", href.into()), ("method", method.into())])
}

fn link_with_body(href: String, method: &str, body: &str) -> Json {
    object([
        ("href", href.into()),
        ("method", method.into()),
        ("body", body.into()),
    ])
}

fn query_def(query: &QueryDef) -> Json {
    let mut fields: Vec<(&'static str, Json)> = Vec::new();
    let strings = [
        ("dbName", &query.db_name),
        ("sql", &query.sql),
        ("name", &query.name),
        ("description", &query.description),
        ("templateId", &query.template_id),
    ];
    for (key, value) in strings {
        if let Some(value) = value {
            fields.push((key, value.as_str().into()));
        }
    }
    let objects = [
        ("queryParameters", &query.query_parameters),
        ("insertIntoParameters", &query.insert_into_parameters),
        ("ctasParameters", &query.ctas_parameters),
    ];
    for (key, value) in objects {
        if let Some(value) = value {
            fields.push((key, Json::Value(value.clone())));
        }
    }
    Json::Object(fields)
}

/// A schedule, keys in the order of the docs' sample. `created` and `updated` are left out
/// of the answer to `POST /schedules`, as the spec says.
pub(super) fn schedule(
    style: &Style<'_>,
    stored: &StoredSchedule,
    state: ScheduleState,
    with_times: bool,
) -> Json {
    let url = style.schedule_url(&stored.id);
    let mut fields: Vec<(&'static str, Json)> = vec![
        ("state", state.as_str().into()),
        ("query", query_def(&stored.query)),
        ("updatedUserId", stored.updated_user_id.as_str().into()),
    ];
    if style.doc_style {
        fields.push(("version", 2.into()));
    }
    fields.push(("id", stored.id.as_str().into()));
    if with_times {
        fields.push(("updated", style.schedule_time(stored.updated_ms)));
    }
    let mut cadence: Vec<(&'static str, Json)> = vec![
        ("schedule", stored.cron.as_str().into()),
        ("startDate", stored.start_date.as_str().into()),
    ];
    if let Some(end) = &stored.end_date {
        cadence.push(("endDate", end.as_str().into()));
    }
    cadence.push(("maxActiveRuns", stored.max_active_runs.into()));
    fields.push(("schedule", Json::Object(cadence)));
    fields.push(("userId", stored.user_id.as_str().into()));
    if with_times {
        fields.push(("created", style.schedule_time(stored.created_ms)));
    }
    // The docs' links, bodies included: they still show the older `{ "op": "enable" }` form.
    fields.push((
        "_links",
        object([
            (
                "enable",
                link_with_body(url.clone(), "PATCH", "{ \"op\": \"enable\" }"),
            ),
            ("runs", link(format!("{url}/runs"), "GET")),
            ("self", link(url.clone(), "GET")),
            ("delete", link(url.clone(), "DELETE")),
            (
                "disable",
                link_with_body(url.clone(), "PATCH", "{ \"op\": \"disable\" }"),
            ),
            ("trigger", link(format!("{url}/runs"), "POST")),
        ]),
    ));
    Json::Object(fields)
}

fn run_links(style: &Style<'_>, schedule_id: &str, run_id: &str) -> Json {
    let url = format!("{}/runs/{run_id}", style.schedule_url(schedule_id));
    let cancel = if style.doc_style {
        link_with_body(url.clone(), "PATCH", "{ \"op\": \"cancel\" }")
    } else {
        link(url.clone(), "PATCH")
    };
    object([("self", link(url, "GET")), ("cancel", cancel)])
}

/// A run in a runs list: `id`, `created`, `state` (upper case in both styles, as in the
/// docs' list), `externalTrigger`, `_links`.
pub(super) fn run_summary(
    style: &Style<'_>,
    schedule_id: &str,
    run: &StoredRun,
    view: &RunView,
) -> Json {
    let created = if style.doc_style {
        utc(run.created_ms)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
            .into()
    } else {
        iso_ms(run.created_ms).into()
    };
    object([
        ("id", run.id.as_str().into()),
        ("created", created),
        ("state", view.state.as_str().into()),
        ("externalTrigger", style.flag(run.external)),
        ("_links", run_links(style, schedule_id, &run.id)),
    ])
}

fn task(style: &Style<'_>, task: &TaskView) -> Json {
    // The spec's task dates carry microseconds and a `Z`; the docs' the microseconds only.
    let date = |ms: i64| -> Json {
        let format = if style.doc_style {
            "%Y-%m-%dT%H:%M:%S%.6f"
        } else {
            "%Y-%m-%dT%H:%M:%S%.6fZ"
        };
        utc(ms).format(format).to_string().into()
    };
    let mut fields: Vec<(&'static str, Json)> = vec![
        ("taskId", task.task_id.as_str().into()),
        ("state", task.state.as_str().into()),
    ];
    if let Some(message) = &task.message {
        fields.push(("message", message.as_str().into()));
    }
    if let Some(start) = task.start_ms {
        fields.push(("startDate", date(start)));
    }
    if let (Some(start), Some(end)) = (task.start_ms, task.end_ms) {
        fields.push(("endDate", date(end)));
        // Whole seconds, rounded: a string in the spec ("9"), a number in the docs (303).
        let seconds = (end.saturating_sub(start).saturating_add(500)) / 1000;
        let duration: Json = if style.doc_style {
            seconds.into()
        } else {
            seconds.to_string().into()
        };
        fields.push(("duration", duration));
    }
    Json::Object(fields)
}

/// A run's details, keys in the spec's order. Doc style: `state` in lower case (`success`),
/// `created` without zone, `externalTrigger` a string.
pub(super) fn run_details(
    style: &Style<'_>,
    schedule_id: &str,
    run: &StoredRun,
    view: &RunView,
) -> Json {
    let (created, state): (Json, Json) = if style.doc_style {
        (
            utc(run.created_ms)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
                .into(),
            view.state.to_ascii_lowercase().into(),
        )
    } else {
        (iso_ms(run.created_ms).into(), view.state.as_str().into())
    };
    object([
        ("created", created),
        ("state", state),
        (
            "taskStatusList",
            Json::Array(view.tasks.iter().map(|t| task(style, t)).collect()),
        ),
        ("id", run.id.as_str().into()),
        ("scheduleId", schedule_id.into()),
        ("externalTrigger", style.flag(run.external)),
        ("_links", run_links(style, schedule_id, &run.id)),
    ])
}

/// Where one page of a list stands.
#[derive(Debug, Clone)]
pub(super) struct Page {
    pub(super) orderby: String,
    /// The first value of the ordering field on this page (absent on an empty page).
    pub(super) start: Option<String>,
    /// The `start` of the next page, if there is one.
    pub(super) next: Option<String>,
    pub(super) property: Option<String>,
    pub(super) count: usize,
    /// The full URL of the next page, if there is one.
    pub(super) next_href: Option<String>,
}

/// `{"schedules": […], "_page": {…}, "_links": {…}, "version": 2}` (or `runsSchedules`).
pub(super) fn list(style: &Style<'_>, key: &'static str, items: Vec<Json>, page: Page) -> Json {
    let mut meta: Vec<(&'static str, Json)> = vec![("orderby", page.orderby.into())];
    if let Some(start) = page.start {
        meta.push(("start", start.into()));
    }
    if let Some(next) = page.next {
        meta.push(("next", next.into()));
    }
    if let Some(property) = page.property {
        meta.push(("property", property.into()));
    }
    meta.push(("count", page.count.into()));
    // `_links: {}` on the last page, as in the docs; `next` as `{href}` (what aepp reads)
    // or, by knob, the spec's plain string.
    let links = match page.next_href {
        None => Json::Object(Vec::new()),
        Some(href) if style.links_as_strings => object([("next", href.into())]),
        Some(href) => object([("next", object([("href", href.into())]))]),
    };
    object([
        (key, Json::Array(items)),
        ("_page", Json::Object(meta)),
        ("_links", links),
        ("version", 2.into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_order() {
        let body = object([
            ("zeta", 1.into()),
            (
                "alpha",
                object([("b", true.into()), ("a", Json::Array(vec![]))]),
            ),
        ]);
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"zeta":1,"alpha":{"b":true,"a":[]}}"#
        );
    }
}
