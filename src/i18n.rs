//! Texts in Kazakh, Russian and English: Fluent bundles built from `locales/{kk,ru,en}/*.ftl`.
//!
//! The files are embedded in the binary so it runs from any directory. Every user-visible
//! string is a key; a test checks that all three languages have the same keys and the same
//! placeholders, and that every key the code uses exists.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

use crate::domain::Lang;

/// The locale files, per language, in a fixed order (name, kk, ru, en).
const FILES: &[(&str, &str, &str, &str)] = &[
    (
        "main.ftl",
        include_str!("../locales/kk/main.ftl"),
        include_str!("../locales/ru/main.ftl"),
        include_str!("../locales/en/main.ftl"),
    ),
    (
        "codes.ftl",
        include_str!("../locales/kk/codes.ftl"),
        include_str!("../locales/ru/codes.ftl"),
        include_str!("../locales/en/codes.ftl"),
    ),
    (
        "auth.ftl",
        include_str!("../locales/kk/auth.ftl"),
        include_str!("../locales/ru/auth.ftl"),
        include_str!("../locales/en/auth.ftl"),
    ),
    (
        "cabinet.ftl",
        include_str!("../locales/kk/cabinet.ftl"),
        include_str!("../locales/ru/cabinet.ftl"),
        include_str!("../locales/en/cabinet.ftl"),
    ),
    (
        "documents.ftl",
        include_str!("../locales/kk/documents.ftl"),
        include_str!("../locales/ru/documents.ftl"),
        include_str!("../locales/en/documents.ftl"),
    ),
    (
        "booking.ftl",
        include_str!("../locales/kk/booking.ftl"),
        include_str!("../locales/ru/booking.ftl"),
        include_str!("../locales/en/booking.ftl"),
    ),
    (
        "staff.ftl",
        include_str!("../locales/kk/staff.ftl"),
        include_str!("../locales/ru/staff.ftl"),
        include_str!("../locales/en/staff.ftl"),
    ),
    (
        "notices.ftl",
        include_str!("../locales/kk/notices.ftl"),
        include_str!("../locales/ru/notices.ftl"),
        include_str!("../locales/en/notices.ftl"),
    ),
    (
        "filing.ftl",
        include_str!("../locales/kk/filing.ftl"),
        include_str!("../locales/ru/filing.ftl"),
        include_str!("../locales/en/filing.ftl"),
    ),
    (
        "signing.ftl",
        include_str!("../locales/kk/signing.ftl"),
        include_str!("../locales/ru/signing.ftl"),
        include_str!("../locales/en/signing.ftl"),
    ),
    (
        "signing_page.ftl",
        include_str!("../locales/kk/signing_page.ftl"),
        include_str!("../locales/ru/signing_page.ftl"),
        include_str!("../locales/en/signing_page.ftl"),
    ),
    (
        "managers.ftl",
        include_str!("../locales/kk/managers.ftl"),
        include_str!("../locales/ru/managers.ftl"),
        include_str!("../locales/en/managers.ftl"),
    ),
];

/// An argument of a message: plain text, or a number (numbers drive plural forms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arg {
    Text(String),
    Number(i64),
    /// An amount in tiyn, formatted for the language it is rendered in.
    Money(i64),
    /// Another message, rendered in the same language.
    Msg(Box<Msg>),
    /// Messages rendered one a line.
    List(Vec<Msg>),
}

/// A message to render: a key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    pub key: String,
    pub args: Vec<(String, Arg)>,
}

impl Msg {
    pub fn new(key: &str) -> Msg {
        Msg {
            key: key.to_string(),
            args: Vec::new(),
        }
    }

    pub fn text(mut self, name: &str, value: impl Into<String>) -> Msg {
        self.args.push((name.to_string(), Arg::Text(value.into())));
        self
    }

    pub fn number(mut self, name: &str, value: i64) -> Msg {
        self.args.push((name.to_string(), Arg::Number(value)));
        self
    }

    pub fn money(mut self, name: &str, value: crate::domain::Money) -> Msg {
        self.args.push((name.to_string(), Arg::Money(value.tiyn())));
        self
    }

    pub fn msg(mut self, name: &str, value: Msg) -> Msg {
        self.args
            .push((name.to_string(), Arg::Msg(Box::new(value))));
        self
    }

    pub fn list(mut self, name: &str, items: Vec<Msg>) -> Msg {
        self.args.push((name.to_string(), Arg::List(items)));
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("locale {lang}/{file} does not parse: {detail}")]
    Parse {
        lang: &'static str,
        file: &'static str,
        detail: String,
    },
    #[error("locale {lang}/{file} defines a key twice: {detail}")]
    Duplicate {
        lang: &'static str,
        file: &'static str,
        detail: String,
    },
}

pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl I18n {
    /// Builds the bundles from the embedded files.
    pub fn load() -> Result<I18n, I18nError> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let langid = lang.code().parse().map_err(|_| I18nError::Parse {
                lang: lang.code(),
                file: "-",
                detail: "bad language id".into(),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Telegram shows the isolation marks as stray characters; our arguments are
            // short and single-direction, so we render without them.
            bundle.set_use_isolating(false);
            for (file, source) in sources(lang) {
                let resource =
                    FluentResource::try_new(source.to_string()).map_err(|(_, errors)| {
                        I18nError::Parse {
                            lang: lang.code(),
                            file,
                            detail: format!("{errors:?}"),
                        }
                    })?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| I18nError::Duplicate {
                        lang: lang.code(),
                        file,
                        detail: format!("{errors:?}"),
                    })?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(I18n { bundles })
    }

    /// Renders a message. A missing key renders as the key itself and is logged, so a
    /// mistake shows up in the transcripts rather than as an empty message.
    pub fn render(&self, lang: Lang, msg: &Msg) -> String {
        let Some(bundle) = self.bundles.get(&lang) else {
            return msg.key.clone();
        };
        let Some(pattern) = bundle.get_message(&msg.key).and_then(|m| m.value()) else {
            tracing::error!(key = %msg.key, lang = lang.code(), "missing text key");
            return msg.key.clone();
        };
        let mut args = FluentArgs::new();
        for (name, value) in &msg.args {
            let value: FluentValue = match value {
                Arg::Text(text) => FluentValue::from(text.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Money(tiyn) => {
                    FluentValue::from(crate::domain::Money::from_tiyn(*tiyn).format(lang))
                }
                Arg::Msg(inner) => FluentValue::from(self.render(lang, inner)),
                Arg::List(items) => FluentValue::from(
                    items
                        .iter()
                        .map(|item| self.render(lang, item))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            };
            args.set(name.as_str(), value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(key = %msg.key, lang = lang.code(), ?errors, "text rendered with errors");
        }
        text.into_owned()
    }

    /// Shorthand for a message without arguments.
    pub fn get(&self, lang: Lang, key: &str) -> String {
        self.render(lang, &Msg::new(key))
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles.get(&lang).is_some_and(|b| b.has_message(key))
    }
}

fn sources(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES.iter().map(move |(name, kk, ru, en)| {
        let source = match lang {
            Lang::Kk => *kk,
            Lang::Ru => *ru,
            Lang::En => *en,
        };
        (*name, source)
    })
}

/// Every key of a language with the set of variables its value uses (for the parity test).
pub fn keys_and_placeholders(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    use fluent_syntax::ast;
    let mut out = BTreeMap::new();
    for (_, source) in sources(lang) {
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    collect_vars(pattern, &mut vars);
                }
                out.insert(message.id.name.to_string(), vars);
            }
        }
    }
    out
}

fn collect_vars(pattern: &fluent_syntax::ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(expr: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match expr {
            InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_string());
            }
            InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            InlineExpression::FunctionReference { arguments, .. } => {
                for arg in &arguments.positional {
                    inline(arg, vars);
                }
            }
            _ => {}
        }
    }
    fn expression_vars(expr: &Expression<&str>, vars: &mut BTreeSet<String>) {
        match expr {
            Expression::Inline(e) => inline(e, vars),
            Expression::Select { selector, variants } => {
                inline(selector, vars);
                for variant in variants {
                    collect_vars(&variant.value, vars);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_locales_parse() {
        I18n::load().expect("locales parse");
    }

    #[test]
    fn every_language_has_the_same_keys_and_placeholders() {
        let kk = keys_and_placeholders(Lang::Kk);
        assert!(kk.len() > 20, "the Kazakh file looks empty");
        for lang in [Lang::Ru, Lang::En] {
            let other = keys_and_placeholders(lang);
            let missing: Vec<_> = kk.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !kk.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(
                extra.is_empty(),
                "{} has keys kk lacks: {extra:?}",
                lang.code()
            );
            for (key, vars) in &kk {
                assert_eq!(
                    vars,
                    &other[key],
                    "placeholders of {key} differ between kk and {}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn arguments_are_substituted_without_isolation_marks() {
        let i18n = I18n::load().unwrap();
        let text = i18n.render(Lang::En, &Msg::new("hint-too-long").number("max", 4096));
        assert!(text.contains("4096") || text.contains("4,096"), "{text}");
        assert!(!text.contains('\u{2068}'));
    }

    #[test]
    fn a_missing_key_renders_as_itself() {
        let i18n = I18n::load().unwrap();
        assert_eq!(i18n.get(Lang::Kk, "no-such-key"), "no-such-key");
    }
}
