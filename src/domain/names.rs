//! Comparing a name as a person typed it with the name the registry holds: an account holder's
//! name must be the depositor's own.
//!
//! Typed names differ from the registry's in harmless ways: letter case, Ё for Е, extra
//! spaces, and Kazakh letters typed with their Russian look-alikes on a Russian keyboard
//! (Нурланов for Нұрланов). Those are normalised away; anything else is a different name.

/// Longer typed names are refused outright (the longest registry names are far shorter).
pub const MAX_NAME_CHARS: usize = 200;

/// The comparable form of a name: lower case, Kazakh letters and Ё folded to the Russian
/// letters typed in their place, dashes and dots as spaces, single spaces between words.
pub fn normalise(name: &str) -> String {
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            '-' | '.' | ',' | '\u{2010}'..='\u{2015}' => ' ',
            other => other,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `typed` names the person with this registry name: the same words after
/// [`normalise`], in any order (banks print "Имя Фамилия" as often as "Фамилия Имя"); the
/// patronymic may be left out, since some banks do not print it.
pub fn same_person(typed: &str, last: &str, first: &str, patronymic: Option<&str>) -> bool {
    let words = |s: &str| {
        let mut w: Vec<String> = normalise(s)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        w.sort();
        w
    };
    let typed = words(typed);
    if typed.is_empty() {
        return false;
    }
    let short = words(&format!("{last} {first}"));
    let full = match patronymic {
        Some(p) => words(&format!("{last} {first} {p}")),
        None => short.clone(),
    };
    typed == full || typed == short
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn harmless_differences_are_normalised() {
        assert_eq!(
            normalise("  НҰРЛАНОВ   Әлихан  Бауыржанұлы "),
            "нурланов алихан бауыржанулы"
        );
        assert_eq!(normalise("Пётр"), normalise("Петр"));
        assert_eq!(normalise("Ғабдуллина Әсел"), normalise("габдуллина асел"));
        assert_eq!(normalise("Қасымов-Ли"), "касымов ли");
    }

    #[test]
    fn the_holder_must_be_the_depositor() {
        let same = |typed| same_person(typed, "Нұрланов", "Әлихан", Some("Бауыржанұлы"));
        assert!(same("Нұрланов Әлихан Бауыржанұлы"));
        assert!(same("нурланов алихан бауыржанулы"));
        assert!(same("Әлихан Нұрланов"));
        assert!(same("НУРЛАНОВ  АЛИХАН"));
        assert!(!same("Нұрланов Әлихан Серікұлы"));
        assert!(!same("Нұрланова Әлия"));
        assert!(!same("Нұрланов"));
        assert!(!same(""));
        assert!(!same("Нұрланов Әлихан Бауыржанұлы Нұрланов"));
        assert!(same_person("ли дина", "Ли", "Дина", None));
        assert!(!same_person("Ли Динара", "Ли", "Дина", None));
    }

    proptest! {
        #[test]
        fn normalise_is_idempotent(text in "\\PC{0,40}") {
            let once = normalise(&text);
            prop_assert_eq!(normalise(&once), once.clone());
        }
    }
}
