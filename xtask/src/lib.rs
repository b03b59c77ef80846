//! `cargo xtask codegen`: renders every `specs/<vendor>.yaml` into the client crate
//! `generated/<vendor>-api/` with progenitor used as a library, and a `specs/<vendor>.xsd`
//! beside it into the same crate's `xml` module: yaserde types, by the xtask's own small
//! generator (`xtask/src/xsd.rs` documents the XSD subset it reads and the mapping).
//!
//! What the generator adds to progenitor, all driven by the spec:
//! - every string enum of `components/schemas` becomes an *open* enum: values the spec lists
//!   become variants, anything else decodes to `Unknown(text)` (progenitor's enums are closed
//!   and fail on a new vendor value);
//! - `x-terminal` on such an enum becomes `is_terminal()`;
//! - `format: date-time` decodes into `jobrun_transport::VendorTime`, which never fails and
//!   re-encodes the exact text;
//! - the client carries a `jobrun_transport::Transport` and calls `jobrun_transport::prepare`
//!   before every request, so credentials are injected instead of passed per call;
//! - `x-case-insensitive: true` on a string enum (a vendor that writes `"success"` where its spec
//!   says SUCCESS) makes a newtype that keeps the text as received plus a `…Kind` open enum
//!   matched ignoring ASCII case (`kind()`); `x-inferred-values` marks values no vendor page
//!   lists (documented as inferred).
//!
//! Rendering is pure (`render`), so `--check` compares in memory and tests can run it on a
//! scratch copy of the specs.
//!
//! `cargo xtask bench [--quick]` ([`bench`]) builds and runs the `jobrun-bench` benchmark.
//!
//! `cargo xtask conformance` ([`conformance()`]) compares a hand-written spec that names the
//! vendor's official OpenAPI file (`info.x-official-spec`) with it, operation by operation.
//!
//! ```no_run
//! let stale = xtask::check(std::path::Path::new(".")).unwrap();
//! assert!(stale.is_empty(), "run cargo xtask codegen: {stale:?}");
//! ```

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use quote::{format_ident, quote};
use serde_json::Value;

pub mod bench;
pub mod conformance;
mod xsd;

pub use conformance::{Conformance, Difference, conformance};

/// The rendered tree: path relative to the workspace root → file contents.
pub type Rendered = BTreeMap<PathBuf, String>;

/// Renders every spec under `root/specs` into the files that belong under `root/generated`.
pub fn render(root: &Path) -> Result<Rendered> {
    let mut out = Rendered::new();
    for spec in spec_files(root)? {
        let vendor = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .context("spec file name is not UTF-8")?
            .to_owned();
        let rel_spec = format!("specs/{vendor}.yaml");
        let text = fs::read_to_string(&spec).with_context(|| format!("reading {rel_spec}"))?;
        let rel_xsd = format!("specs/{vendor}.xsd");
        let xsd = match fs::read_to_string(root.join(&rel_xsd)) {
            Ok(xsd) => Some(Xsd {
                rel_path: rel_xsd,
                text: xsd,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {rel_xsd}")),
        };
        let files = render_spec(&vendor, &rel_spec, &text, xsd.as_ref())
            .with_context(|| format!("rendering {rel_spec}"))?;
        out.extend(files);
    }
    if let Some(orphan) = schema_files(root)?
        .into_iter()
        .find(|xsd| !xsd.with_extension("yaml").is_file())
    {
        bail!(
            "{} has no OpenAPI spec beside it ({}); an XSD renders into that spec's crate",
            orphan.display(),
            orphan.with_extension("yaml").display()
        );
    }
    Ok(out)
}

/// The XML Schema of a vendor's XML answers.
struct Xsd {
    rel_path: String,
    text: String,
}

/// Writes the rendered tree, removing generated files no spec produces any more.
pub fn write(root: &Path) -> Result<Vec<PathBuf>> {
    let rendered = render(root)?;
    for stale in existing_files(root)?
        .into_iter()
        .filter(|p| !rendered.contains_key(p))
    {
        fs::remove_file(root.join(&stale))
            .with_context(|| format!("removing {}", stale.display()))?;
    }
    let mut written = Vec::new();
    for (rel, contents) in &rendered {
        let path = root.join(rel);
        if fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, contents).with_context(|| format!("writing {}", rel.display()))?;
        written.push(rel.clone());
    }
    Ok(written)
}

/// Renders in memory and lists every file under `generated/` that differs from what the specs
/// produce: changed, missing, or no longer produced.
pub fn check(root: &Path) -> Result<Vec<PathBuf>> {
    Ok(check_diffs(root, usize::MAX)?
        .into_iter()
        .map(|s| s.path)
        .collect())
}

/// A file under `generated/` that differs from what the specs produce.
#[derive(Debug)]
pub struct Stale {
    /// The file, relative to the workspace root.
    pub path: PathBuf,
    /// A unified diff from the file as it is (`a/`) to what the specs produce (`b/`), at most
    /// the `max_lines` given to [`check_diffs`] long. A missing file is diffed from nothing, a
    /// file no spec produces to nothing.
    pub diff: String,
    /// How many lines of the whole diff `diff` leaves out.
    pub left_out: usize,
}

/// [`check`], with what differs: a unified diff of each stale file, cut after `max_lines`
/// lines, so that a reviewer (or a CI log) sees what a spec change did without regenerating.
pub fn check_diffs(root: &Path, max_lines: usize) -> Result<Vec<Stale>> {
    let rendered = render(root)?;
    let mut paths: Vec<PathBuf> = rendered.keys().cloned().collect();
    paths.extend(
        existing_files(root)?
            .into_iter()
            .filter(|p| !rendered.contains_key(p)),
    );
    paths.sort();
    paths.dedup();
    let mut stale = Vec::new();
    for path in paths {
        let now = fs::read_to_string(root.join(&path)).unwrap_or_default();
        let wanted = rendered.get(&path).map_or("", String::as_str);
        let exists = root.join(&path).is_file();
        if exists && now == wanted && rendered.contains_key(&path) {
            continue;
        }
        let name = path.display().to_string();
        let whole = similar::TextDiff::from_lines(now.as_str(), wanted)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string();
        let lines: Vec<&str> = whole.lines().collect();
        let kept = lines.len().min(max_lines);
        let mut diff = lines[..kept].join("\n");
        if kept > 0 {
            diff.push('\n');
        }
        stale.push(Stale {
            path,
            diff,
            left_out: lines.len() - kept,
        });
    }
    Ok(stale)
}

fn spec_files(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join("specs");
    let mut specs: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    Ok(specs)
}

fn schema_files(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join("specs");
    let mut schemas: Vec<PathBuf> = fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xsd"))
        .collect();
    schemas.sort();
    Ok(schemas)
}

fn existing_files(root: &Path) -> Result<Vec<PathBuf>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let Ok(entries) = fs::read_dir(dir) else {
            return Ok(());
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else {
                out.push(path.strip_prefix(root)?.to_path_buf());
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(root, &root.join("generated"), &mut files)?;
    Ok(files)
}

/// A string enum of the spec, rendered as an open Rust enum.
struct OpenEnum {
    name: String,
    description: Option<String>,
    values: Vec<String>,
    value_docs: BTreeMap<String, String>,
    terminal: Option<Vec<String>>,
    /// `x-case-insensitive: true`: the vendor writes the values in any letter case.
    case_insensitive: bool,
    /// `x-inferred-values`: values no vendor page lists.
    inferred: Vec<String>,
}

fn render_spec(vendor: &str, rel_spec: &str, text: &str, xsd: Option<&Xsd>) -> Result<Rendered> {
    let raw: Value = serde_norway::from_str(text).context("parsing YAML")?;
    let open_enums = open_enums(&raw)?;
    let mut stripped = raw;
    strip_extensions(&mut stripped, None);
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(stripped).context("reading the document as OpenAPI 3.0")?;

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_inner_type(quote!(::jobrun_transport::Transport))
        .with_pre_hook_async(quote!(::jobrun_transport::prepare))
        // lib.rs implements the hooks: every request goes out through the transport.
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq")
        // Deterministic key order: a kintone record's fields go on the wire sorted, so the same
        // request always has the same bytes (HashMap would shuffle them per process).
        .with_map_type("::std::collections::BTreeMap")
        .with_conversion(
            date_time_schema(),
            "::jobrun_transport::VendorTime",
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    for e in &open_enums {
        settings.with_replacement(
            &e.name,
            format!("crate::types::{}", e.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| anyhow::anyhow!("progenitor: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens).context("progenitor output is not Rust")?;
    insert_into_types(
        &mut file,
        &open_enums,
        &format!("{vendor}_api").replace('-', "_"),
    )?;
    strip_api_version(&mut file);

    let header = format!("// generated from {rel_spec} by `cargo xtask codegen`; do not edit.\n");
    let client = format!(
        "{header}\n#![allow(clippy::all, unused_imports, unused_qualifications, unused_mut)]\n\n{}",
        prettyplease::unparse(&file)
    );
    let crate_name = format!("{vendor}-api");
    let dir = PathBuf::from("generated").join(&crate_name);
    let xml = xsd
        .map(|xsd| {
            xsd::render_xml(&xsd.rel_path, &xsd.text, &open_enums)
                .with_context(|| format!("rendering {}", xsd.rel_path))
        })
        .transpose()?;
    let rel_xsd = xsd.map(|x| x.rel_path.as_str());
    let mut out = Rendered::new();
    out.insert(
        dir.join("Cargo.toml"),
        cargo_toml(&header, &crate_name, rel_spec, &spec, &client, rel_xsd),
    );
    out.insert(
        dir.join("src/lib.rs"),
        lib_rs(&header, &crate_name, rel_spec, &spec, rel_xsd)?,
    );
    out.insert(dir.join("src/client.rs"), client);
    if let Some(xml) = xml {
        out.insert(dir.join("src/xml.rs"), xml);
    }
    Ok(out)
}

/// Drops the `api-version` header progenitor adds to every request from `info.version`: no
/// vendor API defines it, and building it (then removing it before sending) cost every call.
fn strip_api_version(file: &mut syn::File) {
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(method) = member {
                method
                    .block
                    .stmts
                    .retain(|stmt| !quote!(#stmt).to_string().contains("\"api-version\""));
            }
        }
    }
}

/// Removes the `x-*` notes (x-source, x-inferred, …) once the generator has read them: typify
/// compares schemas with their extensions, so a note would defeat a conversion such as
/// date-time → VendorTime. Keys of name maps (properties, headers, …) are names, not notes.
fn strip_extensions(value: &mut Value, parent_key: Option<&str>) {
    const NAME_MAPS: &[&str] = &[
        "properties",
        "headers",
        "schemas",
        "parameters",
        "responses",
        "securitySchemes",
        "examples",
        "content",
        "paths",
        "requestBodies",
        "links",
        "callbacks",
        "encoding",
        "variables",
    ];
    match value {
        Value::Object(map) => {
            if !parent_key.is_some_and(|k| NAME_MAPS.contains(&k)) {
                map.retain(|k, _| !k.starts_with("x-"));
            }
            for (k, v) in map.iter_mut() {
                strip_extensions(v, Some(k));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip_extensions(v, None)),
        _ => {}
    }
}

fn date_time_schema() -> schemars::schema::SchemaObject {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        format: Some("date-time".to_owned()),
        ..Default::default()
    }
}

fn open_enums(raw: &Value) -> Result<Vec<OpenEnum>> {
    let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, schema) in schemas {
        let (Some("string"), Some(values)) = (
            schema.get("type").and_then(Value::as_str),
            schema.get("enum").and_then(Value::as_array),
        ) else {
            if let Some(note) = ["x-case-insensitive", "x-inferred-values", "x-terminal"]
                .into_iter()
                .find(|note| schema.get(note).is_some())
            {
                bail!("schema {name}: {note} is only read on a string enum (type: string, enum)");
            }
            continue;
        };
        let values = values
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .context("enum value is not a string")
            })
            .collect::<Result<Vec<_>>>()
            .with_context(|| format!("schema {name}"))?;
        let value_docs = schema
            .get("x-enum-descriptions")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.trim().to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let terminal = match schema.get("x-terminal") {
            None => None,
            Some(t) => {
                let t: Vec<String> = serde_json::from_value(t.clone())
                    .with_context(|| format!("x-terminal of {name} is not a list of strings"))?;
                if let Some(bad) = t.iter().find(|v| !values.contains(v)) {
                    bail!("x-terminal of {name} names {bad:?}, which is not one of its values");
                }
                Some(t)
            }
        };
        let case_insensitive = match schema.get("x-case-insensitive") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                bail!("x-case-insensitive of {name} is {other}, not true or false")
            }
        };
        let inferred: Vec<String> = match schema.get("x-inferred-values") {
            None => Vec::new(),
            Some(v) => serde_json::from_value(v.clone())
                .with_context(|| format!("x-inferred-values of {name} is not a list of strings"))?,
        };
        if let Some(bad) = inferred.iter().find(|v| !values.contains(v)) {
            bail!("x-inferred-values of {name} names {bad:?}, which is not one of its values");
        }
        if case_insensitive {
            let kind = format!("{name}Kind");
            if schemas.contains_key(&kind) {
                bail!(
                    "schema {name} is x-case-insensitive, so the generator names its meaning \
                     {kind}, but the spec has a schema {kind} too"
                );
            }
            for (i, a) in values.iter().enumerate() {
                if let Some(b) = values[i + 1..].iter().find(|b| a.eq_ignore_ascii_case(b)) {
                    bail!(
                        "schema {name} is x-case-insensitive but lists {a:?} and {b:?}, which \
                         differ only in letter case"
                    );
                }
            }
        }
        out.push(OpenEnum {
            name: name.clone(),
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_owned()),
            values,
            value_docs,
            terminal,
            case_insensitive,
            inferred,
        });
    }
    Ok(out)
}

/// `setting_up` → `SettingUp`, `IN_PROGRESS` → `InProgress`, `Queuing` → `Queuing`.
fn pascal_case(value: &str) -> String {
    value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower_rest = w.chars().all(|c| !c.is_ascii_lowercase());
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            let rest: String = if lower_rest {
                chars.as_str().to_ascii_lowercase()
            } else {
                chars.as_str().to_owned()
            };
            first.into_iter().collect::<String>() + &rest
        })
        .collect()
}

/// The Rust type of a string enum of the spec: an open enum, or for an `x-case-insensitive` one
/// a newtype that keeps the text plus its `…Kind` open enum. `krate` names the generated crate
/// in doc examples.
fn spec_enum_tokens(e: &OpenEnum, krate: &str) -> Result<TokenStream> {
    if e.case_insensitive {
        case_insensitive_tokens(e, krate)
    } else {
        open_enum_tokens(e)
    }
}

/// An open enum whose values match exactly.
fn open_enum_tokens(e: &OpenEnum) -> Result<TokenStream> {
    let enum_doc = format!(
        " {}\n\n Open enum: a value the spec does not list decodes to `Unknown` with the text \
         as received, and encodes back unchanged.",
        e.description
            .as_deref()
            .unwrap_or("A string enum of the spec.")
    );
    enum_tokens(e, &e.name, &enum_doc, false)
}

/// `x-case-insensitive`: `pub struct Name(String)` keeps the text as received (serde
/// transparent, so it re-encodes byte for byte), and `Name::kind()` gives `NameKind`, the open
/// enum of the spec's values matched ignoring ASCII case.
fn case_insensitive_tokens(e: &OpenEnum, krate: &str) -> Result<TokenStream> {
    let name = format_ident!("{}", e.name);
    let kind_name = format!("{}Kind", e.name);
    let kind = format_ident!("{kind_name}");
    let description = e
        .description
        .as_deref()
        .unwrap_or("A string enum of the spec.");
    let kind_doc = format!(
        " What a [`{}`] means.\n\n {description}\n\n Open enum matched ignoring ASCII case: each \
         value the spec lists is a variant whatever the letter case of the text, and anything \
         else is `Unknown` with the text as received. `as_str` gives the spec's spelling; the \
         text as received stays in the [`{}`].",
        e.name, e.name
    );
    let kind_tokens = enum_tokens(e, &kind_name, &kind_doc, true)?;

    let first = e
        .values
        .first()
        .with_context(|| format!("{}: an enum without values", e.name))?;
    let sample = first.to_ascii_lowercase();
    let first_variant = pascal_case(first);
    let mut other = String::from("SOMETHING_NEW");
    while e.values.iter().any(|v| v.eq_ignore_ascii_case(&other)) {
        other.push('_');
    }
    let doc = format!(
        " {description}\n\n Keeps the text as received and encodes it back unchanged; \
         [`{n}::kind`] tells what it means, matching the spec's values ignoring ASCII case \
         (`x-case-insensitive`).\n\n ```\n use {krate}::types::{{{n}, {kind_name}}};\n\n \
         let state: {n} = serde_json::from_str(\"\\\"{sample}\\\"\").unwrap();\n \
         assert_eq!(state.kind(), {kind_name}::{first_variant});\n \
         assert_eq!(state.as_str(), \"{sample}\");\n \
         assert_eq!(serde_json::to_string(&state).unwrap(), \"\\\"{sample}\\\"\");\n\n \
         let other: {n} = \"{other}\".into();\n \
         assert_eq!(other.kind(), {kind_name}::Unknown(\"{other}\".to_owned()));\n ```",
        n = e.name
    );
    let terminal = e.terminal.as_ref().map(|t| {
        let doc = format!(
            " Whether the value means one the spec marks terminal, in any letter case \
             (`x-terminal`: {}).",
            t.join(", ")
        );
        quote! {
            #[doc = #doc]
            pub fn is_terminal(&self) -> bool {
                self.kind().is_terminal()
            }
        }
    });
    Ok(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(::std::string::String);

        impl #name {
            /// Every value the spec lists, in the spec's order and spelling.
            pub const KNOWN: &'static [&'static str] = #kind::KNOWN;

            /// The text as received (or as given), unchanged.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// What the text means: the spec's value it equals ignoring ASCII case, or
            /// `Unknown` with the text.
            pub fn kind(&self) -> #kind {
                match self.0.parse() {
                    Ok(kind) => kind,
                    Err(never) => match never {},
                }
            }

            /// Whether the text is one of the spec's values, in any letter case.
            pub fn is_known(&self) -> bool {
                self.kind().is_known()
            }

            #terminal
        }

        impl ::std::convert::From<#kind> for #name {
            /// The spec's spelling of a known value; an `Unknown` one's text.
            fn from(kind: #kind) -> Self {
                Self(kind.as_str().to_owned())
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(text: ::std::string::String) -> Self {
                Self(text)
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self(value.to_owned()))
            }
        }

        #kind_tokens
    })
}

/// The open enum `name` of `e`'s values; `ignore_case` matches the text ignoring ASCII case.
fn enum_tokens(e: &OpenEnum, name: &str, enum_doc: &str, ignore_case: bool) -> Result<TokenStream> {
    let name = format_ident!("{name}");
    let idents = e
        .values
        .iter()
        .map(|v| {
            let ident = pascal_case(v);
            if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
                bail!("{}: value {v:?} has no usable Rust variant name", e.name);
            }
            if ident == "Unknown" {
                bail!("{}: value {v:?} collides with the Unknown variant", e.name);
            }
            Ok(format_ident!("{ident}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut seen = std::collections::BTreeSet::new();
    if let Some(dup) = idents.iter().find(|i| !seen.insert(i.to_string())) {
        bail!("{}: two values map to the variant {dup}", e.name);
    }
    let values = &e.values;
    let docs = e.values.iter().map(|v| {
        let inferred = if e.inferred.contains(v) {
            " (inferred: no vendor page lists this value here)"
        } else {
            ""
        };
        match e.value_docs.get(v) {
            Some(d) => format!(" `{v}`: {d}{inferred}"),
            None => format!(" `{v}`{inferred}"),
        }
    });
    let terminal = e.terminal.as_ref().map(|t| {
        let terminal_idents = e
            .values
            .iter()
            .zip(&idents)
            .filter(|(v, _)| t.contains(v))
            .map(|(_, i)| i);
        let doc = format!(
            " Whether the spec marks this value terminal (`x-terminal`: {}).",
            t.join(", ")
        );
        quote! {
            #[doc = #doc]
            pub fn is_terminal(&self) -> bool {
                matches!(self, #(Self::#terminal_idents)|*)
            }
        }
    });
    let (as_str_doc, from_str_body) = if ignore_case {
        (
            " The value in the spec's spelling (an `Unknown` one as received).",
            quote! {
                #( if value.eq_ignore_ascii_case(#values) { return Ok(Self::#idents); } )*
                Ok(Self::Unknown(value.to_owned()))
            },
        )
    } else {
        (
            " The value as it goes on the wire.",
            quote! {
                Ok(match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(other.to_owned()),
                })
            },
        )
    };
    Ok(quote! {
        #[doc = #enum_doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #docs] #idents, )*
            /// A value this client does not know, as received.
            Unknown(::std::string::String),
        }

        impl #name {
            /// Every value the spec lists, in the spec's order.
            pub const KNOWN: &'static [&'static str] = &[#(#values),*];

            #[doc = #as_str_doc]
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            #terminal
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                #from_str_body
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(match text.parse() {
                    Ok(value) => value,
                    Err(never) => match never {},
                })
            }
        }
    })
}

fn insert_into_types(file: &mut syn::File, enums: &[OpenEnum], krate: &str) -> Result<()> {
    let types = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
            _ => None,
        })
        .context("progenitor output has no `types` module")?;
    for e in enums {
        let tokens = spec_enum_tokens(e, krate)?;
        let parsed: syn::File = syn::parse2(tokens).context("open enum tokens")?;
        types.1.extend(parsed.items);
    }
    Ok(())
}

fn snake_case(operation_id: &str) -> String {
    let mut out = String::new();
    for (i, c) in operation_id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

fn lib_rs(
    header: &str,
    crate_name: &str,
    rel_spec: &str,
    spec: &openapiv3::OpenAPI,
    rel_xsd: Option<&str>,
) -> Result<String> {
    let mut ops = Vec::new();
    for (path, item) in spec.paths.iter() {
        let item = item.as_item().context("path $ref is not supported")?;
        for (method, op) in item.iter() {
            let id = op
                .operation_id
                .as_deref()
                .context("operation without operationId")?;
            let summary = op.summary.as_deref().unwrap_or("").trim();
            ops.push(format!(
                "//! | [`Client::{}`] | `{} {path}` | {summary} |",
                snake_case(id),
                method.to_uppercase()
            ));
        }
    }
    let server = spec
        .servers
        .first()
        .map(|s| s.url.as_str())
        .unwrap_or("http://127.0.0.1:8080");
    let krate = crate_name.replace('-', "_");
    let title = spec.info.title.trim();
    let (xml_docs, xml_mod) = match rel_xsd {
        Some(rel_xsd) => (
            format!(
                "//!
//! XML answers come back as bytes: decode them with [`xml::from_xml`], whose types are
//! generated from `{rel_xsd}`.
"
            ),
            "
#[rustfmt::skip]
pub mod xml;
",
        ),
        None => (String::new(), ""),
    };
    Ok(format!(
        "{header}
//! Typed client for the {title}, generated from `{rel_spec}` by `cargo xtask codegen`.
//!
//! One method per operation; credentials come from the [`jobrun_transport::Transport`] the
//! client is built with. Enums of the spec are open (unknown values decode to `Unknown`).
//! For retries, waiting and friendlier inputs use the `jobrun` facade crate.
//!
//! | method | request | summary |
//! |---|---|---|
{ops}
{xml_docs}//!
//! ```no_run
//! let transport = jobrun_transport::Transport::new();
//! let client = {krate}::Client::new({server:?}, transport);
//! # drop(client);
//! ```

#[rustfmt::skip]
mod client;

pub use client::*;

/// Every request goes out through [`jobrun_transport::execute`], which bounds the answer's size.
impl progenitor_client::ClientHooks<::jobrun_transport::Transport> for Client {{
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &progenitor_client::OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {{
        use progenitor_client::ClientInfo as _;
        ::jobrun_transport::execute(self.client(), self.inner(), request).await
    }}
}}
{xml_mod}",
        ops = ops.join("\n"),
    ))
}

fn cargo_toml(
    header: &str,
    crate_name: &str,
    rel_spec: &str,
    spec: &openapiv3::OpenAPI,
    client: &str,
    rel_xsd: Option<&str>,
) -> String {
    let mut deps = vec![
        "jobrun-transport.workspace = true",
        "progenitor-client.workspace = true",
        "reqwest.workspace = true",
        "serde.workspace = true",
        "serde_json.workspace = true",
    ];
    // typify emits these only for some schemas (patterns, dates, streams).
    for (needle, dep) in [
        ("::regress::", "regress.workspace = true"),
        ("::chrono::", "chrono.workspace = true"),
        ("futures::", "futures.workspace = true"),
    ] {
        if client.contains(needle) {
            deps.push(dep);
        }
    }
    if rel_xsd.is_some() {
        deps.push("yaserde.workspace = true");
    }
    deps.sort();
    format!(
        "{}[package]
name = \"{crate_name}\"
version = \"0.1.0\"
description = \"Typed client for the {}, generated from {rel_spec}{}.\"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[dependencies]
{}
",
        header.replace("//", "#"),
        spec.info.title.trim(),
        rel_xsd.map(|x| format!(" and {x}")).unwrap_or_default(),
        deps.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names() {
        assert_eq!(pascal_case("setting_up"), "SettingUp");
        assert_eq!(pascal_case("IN_PROGRESS"), "InProgress");
        assert_eq!(pascal_case("Queuing"), "Queuing");
        assert_eq!(pascal_case("retry_waiting"), "RetryWaiting");
        assert_eq!(snake_case("runPipelineJob"), "run_pipeline_job");
    }
}
