//! `specs/<vendor>.xsd` → the `xml` module of `generated/<vendor>-api`: yaserde types for the
//! vendor's XML answers.
//!
//! The generator reads a deliberately small subset of XML Schema and refuses the rest with an
//! error naming the construct and its line, so that the schema cannot say more than the Rust
//! types do:
//! - one global `xs:element`, the root, whose `type` is a named `xs:complexType`;
//! - named `xs:complexType`s holding one `xs:sequence`, `xs:choice` or `xs:all` of local
//!   `xs:element`s with `name`, `type`, `minOccurs`, `maxOccurs` (no attributes, no nesting);
//! - named `xs:simpleType`s restricting `xs:string` to `xs:enumeration`s;
//! - element types `xs:string` or one of the named types; no namespaces.
//!
//! Mapping: a complexType is a struct; an element is a field named in snake_case (plural when
//! it repeats): required → `String`/the struct, `minOccurs="0"` or inside a choice →
//! `Option<_>`, `maxOccurs` above 1 → `Vec<_>`. An element typed by an enumeration stays a
//! `String` field, because yaserde turns an unknown enum value silently into its default
//! variant; the struct gets an accessor of the same name returning an open enum. That enum is
//! the OpenAPI spec's `crate::types::<Name>` when the spec defines the same name (its values
//! must then be the same), else it is generated here with the same code as the spec's enums.
//! `xs:documentation` becomes the docs; `source="x-inferred"` reads "Inferred: …".

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use roxmltree::{Document, Node};

use crate::{OpenEnum, open_enum_tokens};

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// Type names the yaserde derive or the generated code would confuse with its own.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "R", "W", "Self", "String", "Option", "Vec", "Result", "Box", "Some", "None", "Ok", "Err",
];

/// What the generator understood of one XSD.
#[derive(Debug)]
struct Schema {
    docs: Vec<String>,
    root: Root,
    structs: Vec<Struct>,
    enums: Vec<Enum>,
}

#[derive(Debug)]
struct Root {
    element: String,
    type_name: String,
    docs: Vec<String>,
}

#[derive(Debug)]
struct Struct {
    name: String,
    docs: Vec<String>,
    fields: Vec<Field>,
}

#[derive(Debug)]
struct Field {
    element: String,
    /// Where the element is declared, for error messages.
    at: String,
    type_ref: TypeRef,
    occurs: Occurs,
    docs: Vec<String>,
}

#[derive(Debug)]
enum TypeRef {
    Text,
    Named(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occurs {
    One,
    Optional,
    Many,
}

#[derive(Debug)]
struct Enum {
    name: String,
    docs: Vec<String>,
    values: Vec<String>,
    value_docs: BTreeMap<String, String>,
}

/// Renders the XSD text into the contents of `src/xml.rs`. `spec_enums` are the open enums of
/// the same vendor's OpenAPI spec, reused by name.
pub(crate) fn render_xml(rel_xsd: &str, text: &str, spec_enums: &[OpenEnum]) -> Result<String> {
    let schema = parse(text)?;
    check(&schema)?;
    let tokens = tokens(&schema, rel_xsd, spec_enums)?;
    let file: syn::File = syn::parse2(tokens).context("the XML types are not Rust")?;
    Ok(format!(
        "// generated from {rel_xsd} by `cargo xtask codegen`; do not edit.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

// ---------------------------------------------------------------------------------------------
// Reading

/// `line 12: <xs:element name="status">`, to say where a problem is.
fn at(node: Node) -> String {
    let pos = node.document().text_pos_at(node.range().start);
    let prefix = node
        .lookup_prefix(node.tag_name().namespace().unwrap_or_default())
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p}:"))
        .unwrap_or_default();
    match node.attribute("name") {
        Some(name) => format!(
            "line {}: <{prefix}{} name=\"{name}\">",
            pos.row,
            node.tag_name().name()
        ),
        None => format!("line {}: <{prefix}{}>", pos.row, node.tag_name().name()),
    }
}

fn is_xs(node: Node, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XS) && node.tag_name().name() == local
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// Refuses attributes the generator would otherwise ignore. Namespace declarations are not
/// attributes in roxmltree.
fn only_attributes(node: Node, allowed: &[&str]) -> Result<()> {
    for attr in node.attributes() {
        if attr.namespace().is_some() || !allowed.contains(&attr.name()) {
            bail!(
                "{}: attribute `{}` is not supported (allowed: {})",
                at(node),
                attr.name(),
                if allowed.is_empty() {
                    "none".to_owned()
                } else {
                    allowed.join(", ")
                }
            );
        }
    }
    Ok(())
}

fn required_attribute<'a>(node: Node<'a, '_>, name: &str) -> Result<&'a str> {
    node.attribute(name)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| anyhow!("{}: attribute `{name}` is missing", at(node)))
}

/// The paragraphs of a node's `xs:annotation/xs:documentation`, whitespace collapsed;
/// `source="x-inferred"` ones start with "Inferred:".
fn docs(node: Node) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for annotation in elements(node).filter(|n| is_xs(*n, "annotation")) {
        for child in elements(annotation) {
            if is_xs(child, "appinfo") {
                continue;
            }
            if !is_xs(child, "documentation") {
                bail!(
                    "{}: only xs:documentation and xs:appinfo belong here",
                    at(child)
                );
            }
            let text: String = child
                .descendants()
                .filter(Node::is_text)
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join(" ");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                bail!("{}: empty documentation", at(child));
            }
            match child.attribute("source") {
                Some("x-inferred") => out.push(format!("Inferred: {text}")),
                _ => out.push(text),
            }
        }
    }
    Ok(out)
}

/// A `type` attribute: `xs:string`, or the name of a type of this schema.
fn type_ref(node: Node) -> Result<TypeRef> {
    let qname = required_attribute(node, "type")?;
    let (prefix, local) = match qname.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, qname),
    };
    let namespace = node.lookup_namespace_uri(prefix);
    match namespace {
        Some(XS) if local == "string" => Ok(TypeRef::Text),
        Some(XS) => bail!(
            "{}: built-in type {qname} is not supported (use xs:string, or an enumeration of it)",
            at(node)
        ),
        None if prefix.is_none() => Ok(TypeRef::Named(local.to_owned())),
        None => bail!("{}: type {qname} has an undeclared prefix", at(node)),
        Some(other) => bail!(
            "{}: type {qname} is in namespace {other}; namespaces are not supported",
            at(node)
        ),
    }
}

fn occurs_attribute(node: Node, name: &str) -> Result<Option<u32>> {
    match node.attribute(name) {
        None => Ok(Some(1)),
        Some("unbounded") if name == "maxOccurs" => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow!("{}: {name}=\"{v}\" is not a count", at(node))),
    }
}

/// How often an element occurs: (minOccurs, maxOccurs, None meaning unbounded).
fn occurs(node: Node) -> Result<(u32, Option<u32>)> {
    let min = occurs_attribute(node, "minOccurs")?.unwrap_or(1);
    let max = occurs_attribute(node, "maxOccurs")?;
    match max {
        Some(0) => bail!("{}: maxOccurs=\"0\" declares nothing", at(node)),
        Some(max) if min > max => bail!("{}: minOccurs is above maxOccurs", at(node)),
        _ => Ok((min, max)),
    }
}

fn parse(text: &str) -> Result<Schema> {
    let doc = Document::parse(text).context("the XSD is not well-formed XML")?;
    let schema = doc.root_element();
    if !is_xs(schema, "schema") {
        bail!("{}: the root element must be xs:schema", at(schema));
    }
    if schema.attribute("targetNamespace").is_some() {
        bail!(
            "{}: targetNamespace is not supported (the answers have no namespace)",
            at(schema)
        );
    }
    let mut roots = Vec::new();
    let mut structs = Vec::new();
    let mut enums = Vec::new();
    for node in elements(schema) {
        if node.tag_name().namespace() != Some(XS) {
            bail!("{}: not an XML Schema element", at(node));
        }
        match node.tag_name().name() {
            "annotation" => {}
            "element" => {
                only_attributes(node, &["name", "type"])?;
                if elements(node).any(|n| !is_xs(n, "annotation")) {
                    bail!(
                        "{}: inline types are not supported; name the complexType",
                        at(node)
                    );
                }
                let element = required_attribute(node, "name")?.to_owned();
                let TypeRef::Named(type_name) = type_ref(node)? else {
                    bail!("{}: the root element must have a complexType", at(node));
                };
                roots.push(Root {
                    element,
                    type_name,
                    docs: docs(node)?,
                });
            }
            "complexType" => structs.push(parse_complex(node)?),
            "simpleType" => enums.push(parse_simple(node)?),
            other => bail!("{}: xs:{other} is not supported at the top level", at(node)),
        }
    }
    let root = match roots.len() {
        1 => roots.remove(0),
        0 => bail!("the schema declares no global xs:element (the root of the answers)"),
        n => bail!(
            "the schema declares {n} global xs:elements ({}); exactly one root is supported",
            roots
                .iter()
                .map(|r| r.element.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Ok(Schema {
        docs: docs(schema)?,
        root,
        structs,
        enums,
    })
}

fn parse_complex(node: Node) -> Result<Struct> {
    only_attributes(node, &["name"])?;
    let name = required_attribute(node, "name")?.to_owned();
    let mut fields = Vec::new();
    let mut groups = 0;
    for child in elements(node) {
        let (kind, optional_group) = match child.tag_name().name() {
            "annotation" if is_xs(child, "annotation") => continue,
            "sequence" | "all" if child.tag_name().namespace() == Some(XS) => ("sequence", false),
            "choice" if child.tag_name().namespace() == Some(XS) => ("choice", true),
            _ => bail!(
                "{}: not supported in a complexType (one xs:sequence, xs:choice or xs:all of \
                 elements; no attributes)",
                at(child)
            ),
        };
        groups += 1;
        if groups > 1 {
            bail!("{}: a complexType holds one group of elements", at(child));
        }
        only_attributes(child, &["minOccurs", "maxOccurs"])?;
        let (min, max) = occurs(child)?;
        if max != Some(1) {
            bail!("{}: a repeated xs:{kind} is not supported", at(child));
        }
        let optional_group = optional_group || min == 0;
        for item in elements(child) {
            if is_xs(item, "annotation") {
                continue;
            }
            if !is_xs(item, "element") {
                bail!(
                    "{}: only xs:element belongs in an xs:{kind} here{}",
                    at(item),
                    if is_xs(item, "any") {
                        " (unknown elements are always skipped; leave xs:any out)"
                    } else {
                        ""
                    }
                );
            }
            fields.push(parse_field(item, optional_group)?);
        }
    }
    Ok(Struct {
        docs: docs(node)?,
        name,
        fields,
    })
}

fn parse_field(node: Node, optional_group: bool) -> Result<Field> {
    only_attributes(node, &["name", "type", "minOccurs", "maxOccurs"])?;
    if elements(node).any(|n| !is_xs(n, "annotation")) {
        bail!(
            "{}: inline types are not supported; name the type",
            at(node)
        );
    }
    let element = required_attribute(node, "name")?.to_owned();
    let (min, max) = occurs(node)?;
    let occurs = if max != Some(1) {
        Occurs::Many
    } else if min == 0 || optional_group {
        Occurs::Optional
    } else {
        Occurs::One
    };
    Ok(Field {
        at: at(node),
        type_ref: type_ref(node)?,
        occurs,
        docs: docs(node)?,
        element,
    })
}

fn parse_simple(node: Node) -> Result<Enum> {
    only_attributes(node, &["name"])?;
    let name = required_attribute(node, "name")?.to_owned();
    let mut restriction = None;
    for child in elements(node) {
        if is_xs(child, "annotation") {
            continue;
        }
        if !is_xs(child, "restriction") || restriction.is_some() {
            bail!(
                "{}: a simpleType must be one xs:restriction of xs:string to enumerations",
                at(child)
            );
        }
        restriction = Some(child);
    }
    let restriction = restriction.ok_or_else(|| anyhow!("{}: no xs:restriction", at(node)))?;
    only_attributes(restriction, &["base"])?;
    let base = required_attribute(restriction, "base")?;
    let base_ns = base
        .split_once(':')
        .and_then(|(p, _)| restriction.lookup_namespace_uri(Some(p)));
    if base_ns != Some(XS) || !base.ends_with(":string") {
        bail!(
            "{}: only restrictions of xs:string are supported, not {base}",
            at(restriction)
        );
    }
    let mut values = Vec::new();
    let mut value_docs = BTreeMap::new();
    for facet in elements(restriction) {
        if is_xs(facet, "annotation") {
            continue;
        }
        if !is_xs(facet, "enumeration") {
            bail!("{}: only xs:enumeration facets are supported", at(facet));
        }
        only_attributes(facet, &["value"])?;
        let value = facet
            .attribute("value")
            .ok_or_else(|| anyhow!("{}: attribute `value` is missing", at(facet)))?
            .to_owned();
        if values.contains(&value) {
            bail!("{}: value {value:?} is listed twice", at(facet));
        }
        let doc = docs(facet)?;
        if !doc.is_empty() {
            value_docs.insert(value.clone(), doc.join(" "));
        }
        values.push(value);
    }
    if values.is_empty() {
        bail!(
            "{}: the restriction lists no xs:enumeration",
            at(restriction)
        );
    }
    Ok(Enum {
        docs: docs(node)?,
        name,
        values,
        value_docs,
    })
}

// ---------------------------------------------------------------------------------------------
// Checking

fn check(schema: &Schema) -> Result<()> {
    let mut names = BTreeSet::new();
    for name in schema
        .structs
        .iter()
        .map(|s| &s.name)
        .chain(schema.enums.iter().map(|e| &e.name))
    {
        if !names.insert(name.as_str()) {
            bail!("type {name} is defined twice");
        }
        if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            bail!("type name {name} would clash with the generated code; rename it");
        }
        if syn::parse_str::<syn::Ident>(name).is_err()
            || !name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            bail!("type name {name:?} is not a Rust type name (PascalCase, ASCII)");
        }
    }
    let kind = |name: &str| {
        if schema.structs.iter().any(|s| s.name == name) {
            Some(true)
        } else if schema.enums.iter().any(|e| e.name == name) {
            Some(false)
        } else {
            None
        }
    };
    if kind(&schema.root.type_name) != Some(true) {
        bail!(
            "root element <{}>: type {} is not a complexType of the schema",
            schema.root.element,
            schema.root.type_name
        );
    }
    for s in &schema.structs {
        let mut seen = BTreeMap::new();
        for f in &s.fields {
            if let TypeRef::Named(t) = &f.type_ref
                && kind(t).is_none()
            {
                bail!("{}: type {t} is not defined in the schema", f.at);
            }
            let ident = field_name(f)?.to_string();
            if let Some(other) = seen.insert(ident.clone(), &f.element) {
                bail!(
                    "{}: the field name `{ident}` is taken by element <{other}> of {}",
                    f.at,
                    s.name
                );
            }
        }
    }
    // A struct that holds itself without a Vec in between would have an infinite size.
    fn visit<'a>(schema: &'a Schema, name: &'a str, path: &mut Vec<&'a str>) -> Result<()> {
        if let Some(start) = path.iter().position(|p| *p == name) {
            bail!(
                "type {name} contains itself ({} -> {name}); only a repeated element (a Vec) \
                 may hold its own type",
                path[start..].join(" -> ")
            );
        }
        let Some(s) = schema.structs.iter().find(|s| s.name == name) else {
            return Ok(());
        };
        path.push(name);
        for f in s.fields.iter().filter(|f| f.occurs != Occurs::Many) {
            if let TypeRef::Named(t) = &f.type_ref {
                visit(schema, t, path)
                    .with_context(|| format!("{}: {name} holds <{}>", f.at, f.element))?;
            }
        }
        path.pop();
        Ok(())
    }
    for s in &schema.structs {
        visit(schema, &s.name, &mut Vec::new())?;
    }
    Ok(())
}

/// `checkPointStatus` → `check_point_status`; a repeated `request` → `requests`; a Rust
/// keyword becomes a raw identifier.
fn field_name(field: &Field) -> Result<syn::Ident> {
    let mut name = String::new();
    let mut previous_lower = false;
    for c in field.element.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                name.push('_');
            }
            name.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c == '-' || c == '.' {
            name.push('_');
            previous_lower = false;
        } else {
            name.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    if field.occurs == Occurs::Many {
        name = plural(&name);
    }
    if syn::parse_str::<syn::Ident>(&name).is_ok() {
        return Ok(format_ident!("{name}"));
    }
    let raw = format!("r#{name}");
    if syn::parse_str::<syn::Ident>(&raw).is_ok() {
        return Ok(syn::Ident::new_raw(&name, proc_macro2::Span::call_site()));
    }
    bail!(
        "{}: element <{}> has no usable Rust field name ({name:?})",
        field.at,
        field.element
    )
}

fn plural(name: &str) -> String {
    let consonant_y =
        name.ends_with('y') && !name[..name.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &name[..name.len() - 1])
    } else if name.ends_with(['s', 'x', 'z']) || name.ends_with("ch") || name.ends_with("sh") {
        format!("{name}es")
    } else {
        format!("{name}s")
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Doc lines, paragraphs wrapped, each with the leading space of a `///` comment.
fn doc_lines(paragraphs: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 88 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// One `#[doc]` per line, so that prettyplease prints `///` comments.
fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

fn tokens(schema: &Schema, rel_xsd: &str, spec_enums: &[OpenEnum]) -> Result<TokenStream> {
    let root_name = format_ident!("{}", schema.root.type_name);
    let root_element = &schema.root.element;

    let mut module_docs = schema.docs.clone();
    module_docs.push(format!(
        "Generated from `{rel_xsd}`: [`from_xml`] decodes an answer's body into [`{root}`] \
         (the `<{root_element}>` element), [`to_xml`] encodes one. Elements the schema does not \
         declare are skipped. Status-like elements stay text as received; an accessor of the \
         same name reads them as an open enum, whose `Unknown` variant keeps a value the schema \
         does not list.",
        root = schema.root.type_name
    ));
    let module_docs = doc_lines(&module_docs);
    let module_docs = quote! { #( #![doc = #module_docs] )* };

    let mut items = Vec::new();
    // An enum the OpenAPI spec defines too is re-exported from `crate::types` (its values must
    // be the same); the others are generated after the structs.
    for e in &schema.enums {
        match spec_enums.iter().find(|s| s.name == e.name) {
            Some(spec) if spec.values == e.values => {
                let name = format_ident!("{}", e.name);
                let doc = format!(
                    " The OpenAPI spec's [`crate::types::{}`]: the schema lists the same values.",
                    e.name
                );
                items.push(quote! {
                    #[doc = #doc]
                    pub use crate::types::#name;
                });
            }
            Some(spec) => bail!(
                "simpleType {}: the XSD lists {:?} but the OpenAPI spec's {} lists {:?}; \
                 make them the same",
                e.name,
                e.values,
                e.name,
                spec.values
            ),
            None => {}
        }
    }

    for s in &schema.structs {
        let name = format_ident!("{}", s.name);
        let mut docs = s.docs.clone();
        let is_root = s.name == schema.root.type_name;
        if is_root {
            docs.extend(schema.root.docs.iter().cloned());
            docs.push(format!(
                "The root element `<{root_element}>`: decode it with [`from_xml`]."
            ));
        }
        let doc = doc_attrs(&docs);
        let struct_rename = is_root.then(|| quote!(#[yaserde(rename = #root_element)]));
        let mut fields = Vec::new();
        let mut accessors = Vec::new();
        for f in &s.fields {
            let ident = field_name(f)?;
            let element = &f.element;
            let (inner, enum_name) = match &f.type_ref {
                TypeRef::Text => (quote!(String), None),
                TypeRef::Named(t) if schema.enums.iter().any(|e| &e.name == t) => {
                    (quote!(String), Some(format_ident!("{t}")))
                }
                TypeRef::Named(t) => {
                    let t = format_ident!("{t}");
                    (quote!(#t), None)
                }
            };
            let ty = match f.occurs {
                Occurs::One => inner,
                Occurs::Optional => quote!(Option<#inner>),
                Occurs::Many => quote!(Vec<#inner>),
            };
            let mut docs = f.docs.clone();
            docs.push(match f.occurs {
                Occurs::One => format!("Element `<{element}>`, required."),
                Occurs::Optional => format!("Element `<{element}>`, optional."),
                Occurs::Many => format!("Element `<{element}>`, any number, in order."),
            });
            if let Some(e) = &enum_name {
                docs.push(format!(
                    "The text as received; [`Self::{ident}()`] reads it as a [`{e}`]."
                ));
            }
            let doc = doc_attrs(&docs);
            fields.push(quote! {
                #doc
                #[yaserde(rename = #element)]
                pub #ident: #ty,
            });
            if let Some(e) = enum_name {
                let doc = doc_attrs(&[format!(
                    "`<{element}>` as a [`{e}`]: a value the schema does not list is \
                     `{e}::Unknown` with the text as received."
                )]);
                let body = match f.occurs {
                    Occurs::One => quote! {
                        self.#ident.parse().unwrap_or_else(|never| match never {})
                    },
                    Occurs::Optional => quote! {
                        self.#ident
                            .as_deref()
                            .map(|text| text.parse().unwrap_or_else(|never| match never {}))
                    },
                    Occurs::Many => quote! {
                        self.#ident
                            .iter()
                            .map(|text| text.parse().unwrap_or_else(|never| match never {}))
                            .collect()
                    },
                };
                let ret = match f.occurs {
                    Occurs::One => quote!(#e),
                    Occurs::Optional => quote!(Option<#e>),
                    Occurs::Many => quote!(Vec<#e>),
                };
                accessors.push(quote! {
                    #doc
                    pub fn #ident(&self) -> #ret {
                        #body
                    }
                });
            }
        }
        items.push(quote! {
            #doc
            #[derive(Clone, Debug, Default, PartialEq, Eq, ::yaserde::YaDeserialize, ::yaserde::YaSerialize)]
            #struct_rename
            pub struct #name {
                #(#fields)*
            }
        });
        if !accessors.is_empty() {
            items.push(quote! {
                impl #name {
                    #(#accessors)*
                }
            });
        }
    }

    for e in &schema.enums {
        if spec_enums.iter().any(|s| s.name == e.name) {
            continue;
        }
        let open = OpenEnum {
            name: e.name.clone(),
            description: (!e.docs.is_empty()).then(|| e.docs.join("\n\n ")),
            values: e.values.clone(),
            value_docs: e.value_docs.clone(),
            terminal: None,
            case_insensitive: false,
            inferred: Vec::new(),
        };
        items.push(open_enum_tokens(&open).with_context(|| format!("simpleType {}", e.name))?);
    }

    let from_doc = doc_attrs(&[
        format!(
            "Decodes an answer's body: the `<{root_element}>` element, with or without an XML \
             declaration."
        ),
        "Elements the schema does not declare are skipped. Malformed or truncated XML, \
         another root element, content after it or a missing required element is an error \
         that says what; nothing panics. An answer nesting deeper than [`MAX_DEPTH`] is \
         refused before it is read: the XML reader's cost grows with the square of the depth."
            .to_owned(),
    ]);
    let to_doc = doc_attrs(
        &["Encodes an answer as the vendor's samples show it: no XML \
                              declaration, one element per line, indented with tabs. Empty \
                              text stays an empty element, not an absent one."
            .to_owned()],
    );
    let root_mismatch = format!("the root element is <{{}}>, not <{root_element}>");
    let no_root = format!("expected the <{root_element}> element, found {{:?}}");
    let trailing = format!("content after </{root_element}>: {{:?}}");
    items.push(quote! {
        /// The deepest element nesting [`from_xml`] reads; the schema's documents nest a few
        /// levels, so a deeper answer is not one of them.
        pub const MAX_DEPTH: usize = 32;

        /// Whether elements open more than `limit` deep. One pass: the scan jumps from each
        /// tag's `<` to its `>`, so no byte is looked at twice; comments and CDATA are counted
        /// loosely, which can only make a document look deeper, never shallower.
        fn too_deep(bytes: &[u8], limit: usize) -> bool {
            let mut depth = 0usize;
            let mut i = 0;
            while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
                let tag = &bytes[i + offset + 1..];
                let Some(end) = tag.iter().position(|&b| b == b'>') else {
                    return false;
                };
                match tag.first() {
                    Some(b'/') => depth = depth.saturating_sub(1),
                    Some(b'?' | b'!') => {}
                    _ if end > 0 && tag[end - 1] == b'/' => {}
                    _ => {
                        depth += 1;
                        if depth > limit {
                            return true;
                        }
                    }
                }
                i += offset + 1 + end + 1;
            }
            false
        }

        #from_doc
        pub fn from_xml(text: &str) -> ::std::result::Result<#root_name, ::std::string::String> {
            if too_deep(text.as_bytes(), MAX_DEPTH) {
                return Err(format!("elements nest deeper than {MAX_DEPTH} levels"));
            }
            let mut reader = ::yaserde::de::Deserializer::new_from_reader(text.as_bytes());
            match reader.peek().map_err(|e| e.to_string())? {
                ::yaserde::__xml::reader::XmlEvent::StartElement { name, .. } => {
                    if name.local_name != #root_element {
                        return Err(format!(#root_mismatch, name.local_name));
                    }
                }
                other => return Err(format!(#no_root, other)),
            }
            let answer = <#root_name as ::yaserde::YaDeserialize>::deserialize(&mut reader)
                .map_err(|e| e.to_string())?;
            // The derive leaves the root's end tag unread; after it, only the end of the text.
            let mut event = reader.next_event().map_err(|e| e.to_string())?;
            if matches!(
                &event,
                ::yaserde::__xml::reader::XmlEvent::EndElement { name } if name.local_name == #root_element
            ) {
                event = reader.next_event().map_err(|e| e.to_string())?;
            }
            match event {
                ::yaserde::__xml::reader::XmlEvent::EndDocument => Ok(answer),
                other => Err(format!(#trailing, other)),
            }
        }

        #to_doc
        pub fn to_xml(answer: &#root_name) -> ::std::result::Result<::std::string::String, ::std::string::String> {
            let config = ::yaserde::ser::Config {
                perform_indent: true,
                write_document_declaration: false,
                indent_string: Some("\t".to_owned()),
            };
            ::yaserde::ser::to_string_with_config(answer, &config).map_err(|e| e.to_string())
        }
    });

    Ok(quote! {
        #module_docs
        #(#items)*
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(element: &str, occurs: Occurs) -> Field {
        Field {
            element: element.to_owned(),
            at: String::new(),
            type_ref: TypeRef::Text,
            occurs,
            docs: Vec::new(),
        }
    }

    #[test]
    fn field_names() {
        let name = |e, o| field_name(&field(e, o)).expect("a name").to_string();
        assert_eq!(
            name("checkPointStatus", Occurs::Optional),
            "check_point_status"
        );
        assert_eq!(name("requestId", Occurs::One), "request_id");
        assert_eq!(name("request", Occurs::Many), "requests");
        assert_eq!(name("entry", Occurs::Many), "entries");
        assert_eq!(name("status", Occurs::Many), "statuses");
        assert_eq!(name("type", Occurs::One), "r#type");
        assert!(field_name(&field("self", Occurs::One)).is_err());
    }
}
