//! `cargo xtask conformance`: a hand-written spec that names the vendor's official OpenAPI file
//! (`info.x-official-spec`, a path relative to the workspace root) must agree with it on every
//! operation it declares: the same operationId, method, path, path-parameter names and
//! query-parameter names.
//!
//! Paths are compared as the URL paths they become: each spec's server path (the first server,
//! variables at their defaults) followed by the path template, so `/schedules` under
//! `https://platform.adobe.io/data/foundation/query` matches `/schedules` under
//! `//{environment}.adobe.io/data/foundation/query`. Header and cookie parameters are not
//! compared (our specs inject credentials through jobrun-transport instead of declaring them);
//! nor are bodies and answers, which the hand-written spec reads more leniently on purpose.
//! The hand-written spec may declare fewer operations than the official one, never others.

use std::{
    collections::BTreeSet,
    fmt, fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The extension of `info` naming the vendor's official spec, relative to the workspace root.
pub const OFFICIAL_SPEC: &str = "x-official-spec";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What `cargo xtask conformance` found.
#[derive(Debug, Default)]
pub struct Conformance {
    /// Every spec compared: (our spec, the official one, how many operations were compared).
    pub checked: Vec<(PathBuf, PathBuf, usize)>,
    /// Every difference, each naming our spec file and the operation.
    pub differences: Vec<Difference>,
}

/// One way an operation of a hand-written spec differs from the official spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Our spec, relative to the workspace root (e.g. `specs/adobe-query.yaml`).
    pub spec: PathBuf,
    /// The operation: its operationId, method and path as our spec writes them.
    pub operation: String,
    /// What differs.
    pub message: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.spec.display(),
            self.operation,
            self.message
        )
    }
}

/// Compares every `specs/*.yaml` that names an official spec with it. A spec without
/// `info.x-official-spec` is not compared; when no spec names one, that is an error (the check
/// would prove nothing).
pub fn conformance(root: &Path) -> Result<Conformance> {
    let mut out = Conformance::default();
    for spec in crate::spec_files(root)? {
        let rel = spec.strip_prefix(root).unwrap_or(&spec).to_path_buf();
        let text =
            fs::read_to_string(&spec).with_context(|| format!("reading {}", rel.display()))?;
        let ours: Value = serde_norway::from_str(&text)
            .with_context(|| format!("{}: parsing YAML", rel.display()))?;
        let Some(official_rel) = ours.pointer(&format!("/info/{OFFICIAL_SPEC}")) else {
            continue;
        };
        let official_rel = official_rel.as_str().with_context(|| {
            format!(
                "{}: info.{OFFICIAL_SPEC} is not a path (a string)",
                rel.display()
            )
        })?;
        let official_path = root.join(official_rel);
        let official_text = fs::read_to_string(&official_path).with_context(|| {
            format!(
                "{}: reading the official spec {official_rel} ({})",
                rel.display(),
                official_path.display()
            )
        })?;
        let official: Value = serde_norway::from_str(&official_text)
            .with_context(|| format!("{official_rel}: parsing YAML"))?;
        let (count, differences) = compare(&rel, &ours, Path::new(official_rel), &official)?;
        out.checked
            .push((rel.clone(), PathBuf::from(official_rel), count));
        out.differences.extend(differences);
    }
    if out.checked.is_empty() {
        bail!(
            "no spec under {} names an official spec (info.{OFFICIAL_SPEC}), so nothing was \
             compared",
            root.join("specs").display()
        );
    }
    Ok(out)
}

/// One operation, as far as conformance is concerned.
struct Operation {
    id: Option<String>,
    method: String,
    /// The URL path: server path + path template.
    path: String,
    /// The template with every `{name}` replaced by `{}`, to find the same path whatever its
    /// parameters are called.
    shape: String,
    /// Path parameter names in the order the template names them.
    path_params: Vec<String>,
    query_params: BTreeSet<String>,
}

/// Compares the operations of `ours` with `official`; answers how many were compared and every
/// difference. Malformed documents are errors naming the file and the operation.
fn compare(
    ours_rel: &Path,
    ours: &Value,
    official_rel: &Path,
    official: &Value,
) -> Result<(usize, Vec<Difference>)> {
    let our_ops = operations(ours, ours_rel, true)?;
    // The official spec is read, not reviewed: a flaw in an operation we do not declare must
    // not stop the check.
    let official_ops = operations(official, official_rel, false)?;
    let mut differences = Vec::new();
    for op in &our_ops {
        let id = op.id.as_deref().unwrap_or("(no operationId)");
        let label = format!("{id} ({} {})", op.method.to_uppercase(), op.path);
        let mut differ = |message: String| {
            differences.push(Difference {
                spec: ours_rel.to_path_buf(),
                operation: label.clone(),
                message,
            })
        };
        let by_id = op
            .id
            .as_deref()
            .and_then(|id| official_ops.iter().find(|o| o.id.as_deref() == Some(id)));
        let same_shape: Vec<&Operation> = official_ops
            .iter()
            .filter(|o| o.shape == op.shape)
            .collect();
        if same_shape.is_empty() {
            differ(match by_id {
                Some(o) => format!(
                    "the official spec has no path {}; its {id} is {} {}",
                    op.path,
                    o.method.to_uppercase(),
                    o.path
                ),
                None => format!(
                    "the official spec has no path {} (nor an operation {id})",
                    op.path
                ),
            });
            continue;
        }
        let Some(theirs) = same_shape.iter().find(|o| o.method == op.method) else {
            let methods: Vec<String> = same_shape.iter().map(|o| o.method.to_uppercase()).collect();
            let hint = match by_id {
                Some(o) => format!("; its {id} is {} {}", o.method.to_uppercase(), o.path),
                None => String::new(),
            };
            differ(format!(
                "the official spec has no {} on {} (it has {}){hint}",
                op.method.to_uppercase(),
                op.path,
                methods.join(", ")
            ));
            continue;
        };
        if op.id != theirs.id {
            differ(format!(
                "operationId {} is {} in the official spec",
                op.id.as_deref().unwrap_or("(none)"),
                theirs.id.as_deref().unwrap_or("(none)")
            ));
        }
        for (i, (mine, official)) in op.path_params.iter().zip(&theirs.path_params).enumerate() {
            if mine != official {
                differ(format!(
                    "path parameter {} ({{{mine}}}) is {{{official}}} in the official spec \
                     ({})",
                    i + 1,
                    theirs.path
                ));
            }
        }
        for name in op.query_params.difference(&theirs.query_params) {
            differ(format!(
                "query parameter {name:?} is not in the official spec (it has {})",
                list(&theirs.query_params)
            ));
        }
        for name in theirs.query_params.difference(&op.query_params) {
            differ(format!(
                "the official spec's query parameter {name:?} is missing (ours: {})",
                list(&op.query_params)
            ));
        }
    }
    Ok((our_ops.len(), differences))
}

fn list(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// Every operation of an OpenAPI 3.0 document, with its parameters resolved. `strict` also
/// refuses a path whose template and declared path parameters name different parameters.
fn operations(doc: &Value, rel: &Path, strict: bool) -> Result<Vec<Operation>> {
    let file = rel.display();
    let base = server_path(doc).with_context(|| format!("{file}: servers"))?;
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .with_context(|| format!("{file}: no `paths` object"))?;
    let mut out = Vec::new();
    for (template, item) in paths {
        let item = item
            .as_object()
            .with_context(|| format!("{file}: path {template} is not an object"))?;
        if item.contains_key("$ref") {
            bail!("{file}: path {template}: a $ref path item is not supported");
        }
        let shared = parameters(doc, item.get("parameters"))
            .with_context(|| format!("{file}: parameters of path {template}"))?;
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            let id = op
                .get("operationId")
                .map(|id| {
                    id.as_str().map(str::to_owned).with_context(|| {
                        format!(
                            "{file}: {} {template}: operationId is not a string",
                            method.to_uppercase()
                        )
                    })
                })
                .transpose()?;
            let label = format!(
                "{file}: {} ({} {template})",
                id.as_deref().unwrap_or("(no operationId)"),
                method.to_uppercase()
            );
            let own = parameters(doc, op.get("parameters")).with_context(|| label.clone())?;
            // An operation's parameter overrides the path item's of the same name and place.
            let mut params: BTreeSet<(String, String)> = shared.iter().cloned().collect();
            params.extend(own);
            let declared_path: BTreeSet<String> = params
                .iter()
                .filter(|(place, _)| place == "path")
                .map(|(_, name)| name.clone())
                .collect();
            let (shape, path_params) = template_params(template).with_context(|| label.clone())?;
            let named: BTreeSet<String> = path_params.iter().cloned().collect();
            if strict && named != declared_path {
                bail!(
                    "{label}: the path names the parameters {} but declares the path \
                     parameters {}",
                    list(&named),
                    list(&declared_path)
                );
            }
            out.push(Operation {
                id,
                method: method.to_owned(),
                path: format!("{base}{template}"),
                shape: format!("{base}{shape}"),
                path_params,
                query_params: params
                    .iter()
                    .filter(|(place, _)| place == "query")
                    .map(|(_, name)| name.clone())
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// `(in, name)` of each parameter of a `parameters` list, `$ref`s resolved.
fn parameters(doc: &Value, list: Option<&Value>) -> Result<Vec<(String, String)>> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let list = list.as_array().context("`parameters` is not a list")?;
    let mut out = Vec::new();
    for (i, param) in list.iter().enumerate() {
        let param = resolve(doc, param).with_context(|| format!("parameter {}", i + 1))?;
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .with_context(|| format!("parameter {} has no name", i + 1))?;
        let place = param
            .get("in")
            .and_then(Value::as_str)
            .with_context(|| format!("parameter {name} has no `in`"))?;
        out.push((place.to_owned(), name.to_owned()));
    }
    Ok(out)
}

/// Follows a local `$ref` (`#/components/parameters/X`), once or repeatedly.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<&'a Value> {
    let mut value = value;
    for _ in 0..16 {
        let Some(reference) = value.get("$ref") else {
            return Ok(value);
        };
        let reference = reference.as_str().context("$ref is not a string")?;
        let pointer = reference
            .strip_prefix('#')
            .with_context(|| format!("$ref {reference} is not local to the file"))?;
        value = doc
            .pointer(pointer)
            .with_context(|| format!("$ref {reference} points at nothing"))?;
    }
    bail!("$ref chain longer than 16 links")
}

/// `/schedules/{schedulesId}/runs` → (`/schedules/{}/runs`, [`schedulesId`]).
fn template_params(template: &str) -> Result<(String, Vec<String>)> {
    let mut shape = String::new();
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .with_context(|| format!("path {template} has an unclosed {{"))?;
        shape.push_str(&rest[..open]);
        shape.push_str("{}");
        let name = &rest[open + 1..close];
        if name.is_empty() {
            bail!("path {template} has an empty {{}}");
        }
        names.push(name.to_owned());
        rest = &rest[close + 1..];
    }
    shape.push_str(rest);
    Ok((shape, names))
}

/// The path part of the first server URL, variables at their defaults, without a trailing
/// slash: `https://platform.adobe.io/data/foundation/query` and
/// `//{environment}.adobe.io/data/foundation/query` both give `/data/foundation/query`. No
/// server means `/` (OpenAPI's default), an empty path.
fn server_path(doc: &Value) -> Result<String> {
    let Some(server) = doc
        .get("servers")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
    else {
        return Ok(String::new());
    };
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .context("the first server has no url")?
        .to_owned();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, var) in vars {
            let default = var
                .get("default")
                .and_then(Value::as_str)
                .with_context(|| format!("server variable {name} has no default"))?;
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    let after_scheme = match url.find("//") {
        Some(i) => &url[i + 2..],
        // A relative server URL is a path already.
        None => return Ok(url.trim_end_matches('/').to_owned()),
    };
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("");
    if path.contains('{') {
        bail!("server url {url} has a variable without a default in its path");
    }
    Ok(path.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_paths() {
        let doc = |url: &str| serde_json::json!({"servers": [{"url": url, "variables": {"environment": {"default": "platform"}}}]});
        for (url, path) in [
            (
                "https://platform.adobe.io/data/foundation/query",
                "/data/foundation/query",
            ),
            (
                "//{environment}.adobe.io/data/foundation/query/",
                "/data/foundation/query",
            ),
            ("https://ims-na1.adobelogin.com", ""),
            ("/v1", "/v1"),
        ] {
            assert_eq!(server_path(&doc(url)).expect("parses"), path, "{url}");
        }
        assert_eq!(server_path(&serde_json::json!({})).expect("none"), "");
    }

    #[test]
    fn templates() {
        assert_eq!(
            template_params("/schedules/{schedulesId}/runs/{runId}").expect("ok"),
            (
                "/schedules/{}/runs/{}".to_owned(),
                vec!["schedulesId".to_owned(), "runId".to_owned()]
            )
        );
        assert!(template_params("/schedules/{schedulesId").is_err());
        assert!(template_params("/schedules/{}").is_err());
    }
}
