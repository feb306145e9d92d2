//! One depositor's data never reaches another chat: every read of the cabinet goes through
//! the depositor of the chat's own login. Here depositor B (signed in) tries A's application
//! number, forged buttons, statements and certificates; and a second chat without a login
//! tries the same paths.

mod support;

use support::transcript::{Harness, preset_password};
use zeinet::conversation::{Incoming, Outgoing};
use zeinet::domain::{Iin, NewPassword};

const A_IIN: &str = "890307466587"; // demo #31: seven applications
const A_NAME: &str = "Исмаилова";
const B_IIN: &str = "681102376067"; // demo #2: none
const B_NAME: &str = "Иванов";
const PASSWORD: &str = "Qarlygash-2024";

fn text(out: &Outgoing) -> String {
    out.messages
        .iter()
        .map(|m| m.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

fn pdf_text(out: &Outgoing) -> String {
    let document = out
        .messages
        .iter()
        .find_map(|m| m.document.as_ref())
        .expect("a document was sent");
    pdf_extract::extract_text_from_mem(&document.bytes).expect("the PDF reads")
}

async fn press(h: &mut Harness, label: &str) -> Outgoing {
    let data = h.button(label, false).expect("the button is on screen");
    h.send(Incoming::Callback(data)).await
}

async fn say(h: &mut Harness, words: &str) -> Outgoing {
    h.send(Incoming::Text(words.into())).await
}

async fn signed_in_as_b() -> Harness {
    let mut h = Harness::new(Some("ru")).await;
    for iin in [A_IIN, B_IIN] {
        let iin = Iin::parse(iin).unwrap();
        let password = NewPassword::parse(PASSWORD, &iin).unwrap();
        preset_password(&mut h, &iin, &password).await.unwrap();
    }
    say(&mut h, "/start").await;
    say(&mut h, "русский").await;
    press(&mut h, "Войти").await;
    say(&mut h, B_IIN).await;
    let card = say(&mut h, PASSWORD).await;
    assert!(text(&card).contains(B_NAME), "signed in as B");
    h
}

#[tokio::test]
async fn another_depositors_application_number_is_not_found() {
    let mut h = signed_in_as_b().await;
    let list = press(&mut h, "Мои заявления").await;
    assert!(text(&list).contains("нет заявлений"), "{}", text(&list));
    for number in ["Z-2026-000003", "Z-2025-000001", "Z-2021-000001"] {
        let out = say(&mut h, number).await;
        let shown = text(&out);
        assert!(
            shown.contains("нет заявления с таким номером"),
            "{number}: {shown}"
        );
        assert!(!shown.contains("История"), "{number}: {shown}");
    }
}

#[tokio::test]
async fn forged_buttons_do_nothing_but_say_so() {
    let mut h = signed_in_as_b().await;
    for data in ["0:0", "ffffffff:3", "1:999", "x", "", "00000001:0", "🙂"] {
        let out = h.send(Incoming::Callback(data.into())).await;
        assert!(
            text(&out).contains("кнопка устарела"),
            "{data:?}: {}",
            text(&out)
        );
        assert!(!text(&out).contains(A_NAME));
    }
}

#[tokio::test]
async fn statements_and_certificates_are_the_signed_in_depositors_own() {
    let mut h = signed_in_as_b().await;
    press(&mut h, "Выписка со счёта").await;
    press(&mut h, "Все счета").await;
    let statement = press(&mut h, "Вся история").await;
    let pdf = pdf_text(&statement);
    assert!(pdf.contains(B_NAME), "B's own statement");
    assert!(
        !pdf.contains(A_NAME) && !pdf.contains(A_IIN),
        "nothing of A"
    );
    assert!(
        !pdf.contains(B_IIN),
        "the IIN is masked in the document too"
    );

    press(&mut h, "Справки").await;
    let certificate = press(&mut h, "Справка о наличии счетов").await;
    let pdf = pdf_text(&certificate);
    assert!(pdf.contains(B_NAME) && !pdf.contains(A_NAME));
}

#[tokio::test]
async fn a_chat_without_a_login_reaches_no_cabinet_data() {
    let mut h = Harness::new(Some("ru")).await;
    say(&mut h, "/start").await;
    say(&mut h, "русский").await;
    // Commands that need a login answer without data.
    for command in ["/sessions", "/logout"] {
        let out = say(&mut h, command).await;
        assert!(text(&out).contains("не вошли"), "{command}: {}", text(&out));
    }
    // Typed numbers and forged buttons at the signed-out menu show nothing either.
    for typed in ["Z-2026-000003", A_IIN] {
        let out = say(&mut h, typed).await;
        assert!(!text(&out).contains(A_NAME), "{typed}");
        assert!(
            text(&out).contains("Выберите одну из кнопок"),
            "{typed}: {}",
            text(&out)
        );
    }
}
