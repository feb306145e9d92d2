//! The document's fields as the signing page lists them: the canonical JSON read in its own
//! order (serde_json's `Value` would sort the keys), each field labelled and formatted in the
//! reader's language.
//!
//! Labels: `doc-field-<name>` (the application's author adds those), else the page's own
//! `sign-page-field-<name>` for the fields every application starts with, else the field name
//! itself, made readable. A missing label never hides a field: the user signs every byte, so
//! every field is shown.

use std::fmt;

use chrono::DateTime;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::documents::format::kazakhstan_time;
use crate::domain::application::ApplicationKind;
use crate::domain::{Lang, Money};
use crate::i18n::I18n;

/// A JSON value with object members kept in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Integer(i64),
    /// Any other number, as written.
    Number(String),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v)
            .map(Node::Integer)
            .unwrap_or_else(|_| Node::Number(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}

/// One line of the list: a label and either a value or nested lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub label: String,
    pub value: Shown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Text(String),
    Nested(Vec<Line>),
}

/// The document's members in order, or `None` when it is not a JSON object (then the page
/// shows the text itself).
pub fn document_members(document: &str) -> Option<Vec<(String, Node)>> {
    match serde_json::from_str::<Node>(document) {
        Ok(Node::Object(members)) => Some(members),
        _ => None,
    }
}

/// The labelled lines of a document's members.
pub fn lines(i18n: &I18n, lang: Lang, members: &[(String, Node)]) -> Vec<Line> {
    // Amounts are integer tiyn when the document says its currency is tenge (signing-api.md).
    let in_tenge = members
        .iter()
        .any(|(name, value)| name == "currency" && *value == Node::Text("KZT".into()));
    members
        .iter()
        .map(|(name, value)| line(i18n, lang, name, value, in_tenge))
        .collect()
}

fn line(i18n: &I18n, lang: Lang, name: &str, value: &Node, in_tenge: bool) -> Line {
    let value = match value {
        Node::Object(members) => Shown::Nested(
            members
                .iter()
                .map(|(name, value)| line(i18n, lang, name, value, in_tenge))
                .collect(),
        ),
        Node::List(items) if items.iter().any(|i| matches!(i, Node::Object(_))) => Shown::Nested(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let Line { value, .. } = line(i18n, lang, name, item, in_tenge);
                    Line {
                        label: format!("{}", index + 1),
                        value,
                    }
                })
                .collect(),
        ),
        other => Shown::Text(scalar(i18n, lang, name, other, in_tenge)),
    };
    Line {
        label: label(i18n, lang, name),
        value,
    }
}

/// `doc-field-<name>`, else `sign-page-field-<name>`, else the name made readable.
pub fn label(i18n: &I18n, lang: Lang, name: &str) -> String {
    let slug = name.replace('_', "-");
    for key in [
        format!("doc-field-{slug}"),
        format!("sign-page-field-{slug}"),
    ] {
        if i18n.has(lang, &key) {
            return i18n.get(lang, &key);
        }
    }
    readable(name)
}

/// `bank_account_iban` → `Bank account iban`.
fn readable(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "—".to_string(),
    }
}

fn is_amount(name: &str) -> bool {
    name == "amount"
        || name.ends_with("_amount")
        || name.ends_with("_tiyn")
        || name.ends_with("_balance")
}

fn scalar(i18n: &I18n, lang: Lang, name: &str, value: &Node, in_tenge: bool) -> String {
    match value {
        Node::Null => i18n.get(lang, "sign-page-empty"),
        Node::Bool(true) => i18n.get(lang, "sign-page-yes"),
        Node::Bool(false) => i18n.get(lang, "sign-page-no"),
        Node::Integer(tiyn) if in_tenge && is_amount(name) => Money::from_tiyn(*tiyn).format(lang),
        Node::Integer(n) => n.to_string(),
        Node::Number(n) => n.clone(),
        Node::Text(text) => text_value(i18n, lang, name, text),
        Node::List(items) => items
            .iter()
            .map(|item| scalar(i18n, lang, name, item, in_tenge))
            .collect::<Vec<_>>()
            .join(", "),
        Node::Object(_) => String::new(),
    }
}

fn text_value(i18n: &I18n, lang: Lang, name: &str, text: &str) -> String {
    if name == "kind"
        && let Some(kind) = ApplicationKind::from_code(text)
    {
        return i18n.get(lang, kind.message_key());
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return kazakhstan_time(at.to_utc());
    }
    if text.is_empty() {
        return i18n.get(lang, "sign-page-empty");
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n() -> I18n {
        I18n::load().expect("locales")
    }

    #[test]
    fn members_keep_the_document_order() {
        let members = document_members(r#"{"kind":"x","b":1,"a":{"z":true,"y":null}}"#).unwrap();
        let names: Vec<_> = members.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["kind", "b", "a"]);
        assert_eq!(
            members[2].1,
            Node::Object(vec![
                ("z".into(), Node::Bool(true)),
                ("y".into(), Node::Null)
            ])
        );
        assert!(document_members("a nonce, not JSON").is_none());
        assert!(document_members("[1,2]").is_none());
    }

    #[test]
    fn labels_fall_back_from_the_document_key_to_the_page_key_to_the_name() {
        let i18n = i18n();
        assert_eq!(label(&i18n, Lang::Ru, "iin"), "ИИН");
        assert_eq!(label(&i18n, Lang::En, "full_name"), "Full name");
        assert_eq!(
            label(&i18n, Lang::En, "no_such_field_ever"),
            "No such field ever"
        );
    }

    #[test]
    fn values_are_shown_in_the_readers_language() {
        let i18n = i18n();
        let members = document_members(
            r#"{"kind":"bank_details_change","created_at":"2026-03-01T10:15:00+05:00",
                "amount":12345678,"currency":"KZT","agree":true,"note":null,"count":3,
                "bank":{"bic":"HSBKKZKX"},"tags":["a","b"]}"#,
        )
        .unwrap();
        let shown = lines(&i18n, Lang::Kk, &members);
        let text = |i: usize| match &shown[i].value {
            Shown::Text(t) => t.clone(),
            Shown::Nested(_) => panic!("nested"),
        };
        assert_eq!(
            text(0),
            i18n.get(Lang::Kk, "application-kind-bank-details-change")
        );
        assert_eq!(text(1), "01.03.2026 10:15");
        assert_eq!(text(2), Money::from_tiyn(12_345_678).format(Lang::Kk));
        assert_eq!(text(4), "иә");
        assert_eq!(text(5), "—");
        assert_eq!(text(6), "3");
        assert_eq!(
            shown[7].value,
            Shown::Nested(vec![Line {
                label: "Bic".into(),
                value: Shown::Text("HSBKKZKX".into())
            }])
        );
        assert_eq!(text(8), "a, b");
    }

    #[test]
    fn amounts_are_plain_numbers_without_a_tenge_currency() {
        let i18n = i18n();
        let members = document_members(r#"{"amount":500}"#).unwrap();
        assert_eq!(
            lines(&i18n, Lang::En, &members)[0].value,
            Shown::Text("500".into())
        );
    }
}
