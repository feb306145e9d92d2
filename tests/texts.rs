//! Every text key the code names exists in all three languages (the locale parity test in
//! `i18n` checks that the languages agree with each other).

use std::path::Path;

use zeinet::domain::Lang;
use zeinet::i18n::I18n;

/// String literals that name message keys: in the dialogue every `word-word` literal; elsewhere
/// those handed to `Msg::new`, `Reply::key`, `Button::new` or `I18n::get`, and the `cmd-`
/// descriptions of the bot's commands.
fn keys_named_in(dir: &Path, everything_is_a_key: bool, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("source dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            keys_named_in(&path, everything_is_a_key, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("source file");
        let pieces: Vec<&str> = source.split('"').collect();
        for (i, piece) in pieces.iter().enumerate() {
            let is_literal = i % 2 == 1;
            let looks_like_key = piece.len() > 3
                && piece.contains('-')
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !piece.starts_with('-')
                && !piece.ends_with('-');
            if !is_literal || !looks_like_key {
                continue;
            }
            let before = pieces[i - 1].trim_end();
            let handed_to_texts = ["Msg::new(", "Reply::key(", "Button::new(", "get(lang,"]
                .iter()
                .any(|call| before.ends_with(call));
            if everything_is_a_key || handed_to_texts || piece.starts_with("cmd-") {
                out.push((piece.to_string(), path.display().to_string()));
            }
        }
    }
}

#[test]
fn every_key_the_dialogue_uses_exists_in_every_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut keys = Vec::new();
    keys_named_in(&root.join("dialogue"), true, &mut keys);
    for dir in ["services", "channels", "documents"] {
        let path = root.join(dir);
        if path.exists() {
            keys_named_in(&path, false, &mut keys);
        }
    }
    assert!(
        keys.len() > 50,
        "found only {} keys; is the scan broken?",
        keys.len()
    );
    let i18n = I18n::load().expect("locales load");
    let missing: Vec<String> = keys
        .iter()
        .filter(|(key, _)| !Lang::ALL.iter().all(|lang| i18n.has(*lang, key)))
        .map(|(key, file)| format!("{key} (named in {file})"))
        .collect();
    assert!(
        missing.is_empty(),
        "keys missing from locales: {missing:#?}"
    );
}
