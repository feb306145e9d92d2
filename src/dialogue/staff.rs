//! Staff commands in the chat: `/broadcast` (write per language, choose the audience, preview,
//! confirm), `/broadcasts` (progress, cancel one in flight) and `/stats`. For anyone without
//! the role they answer exactly like an unknown command, so they cannot be discovered; the
//! role is checked again at every step that changes something.

use serde::{Deserialize, Serialize};

use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::start::unexpected;
use super::{Action, Button, Command, Input, Reply, State};
use crate::domain::Lang;
use crate::i18n::Msg;
use crate::outbox::payload::{BroadcastTexts, RenderedMessage};
use crate::services::staff::{Audience, BroadcastView, CITY_AUDIENCE_MONTHS};
use crate::store::StoreError;
use crate::store::outbox::BroadcastStatus;
use crate::store::staff::Role;

/// The texts written so far, per language (a skipped language falls back to Kazakh).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drafts {
    pub kk: Option<String>,
    pub ru: Option<String>,
    pub en: Option<String>,
}

impl Drafts {
    fn get(&self, lang: Lang) -> Option<&String> {
        match lang {
            Lang::Kk => self.kk.as_ref(),
            Lang::Ru => self.ru.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    fn set(&mut self, lang: Lang, text: String) {
        match lang {
            Lang::Kk => self.kk = Some(text),
            Lang::Ru => self.ru = Some(text),
            Lang::En => self.en = Some(text),
        }
    }

    /// What the broadcast store keeps: plain text, Kazakh as the fallback.
    fn texts(&self) -> BroadcastTexts {
        let message = |text: &Option<String>| text.as_ref().map(RenderedMessage::text);
        BroadcastTexts {
            default_lang: Lang::Kk,
            kk: message(&self.kk),
            ru: message(&self.ru),
            en: message(&self.en),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", content = "v", rename_all = "snake_case")]
pub enum StaffState {
    /// Waiting for the broadcast's text in `lang` (Kazakh first, then Russian, then English).
    Write { lang: Lang, drafts: Drafts },
    /// Choosing who gets it.
    Audience { drafts: Drafts },
    /// Choosing the city of the audience "by city": the ids and names (in the staff member's
    /// language) behind the buttons shown.
    AudienceCity {
        drafts: Drafts,
        cities: Vec<(i64, String)>,
    },
    /// The preview is shown; waiting for the confirmation. `city` names the city of an
    /// audience by city, as shown.
    Preview {
        drafts: Drafts,
        audience: Audience,
        #[serde(default)]
        city: Option<String>,
    },
    /// The list of recent broadcasts; the ids behind the cancel buttons.
    Broadcasts { cancellable: Vec<i64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "s", content = "v")]
pub enum StaffAction {
    /// No text in this language: its readers get the Kazakh one.
    Skip,
    Audience(Audience),
    /// Choose the audience by the city of branch bookings.
    ByCity,
    Send,
    /// Cancel the broadcast at this index of the list.
    Cancel(u32),
}

/// Which roles open which command.
fn allowed(command: &Command, roles: &[Role]) -> bool {
    let needs: &[Role] = match command {
        Command::Broadcast | Command::Broadcasts => &[Role::Admin, Role::Broadcaster],
        Command::Stats => &[Role::Admin, Role::Operator],
        _ => &[],
    };
    roles.iter().any(|r| needs.contains(r))
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Broadcast => "broadcast",
        Command::Broadcasts => "broadcasts",
        _ => "stats",
    }
}

async fn may(ctx: &StepContext<'_>, command: &Command) -> Result<bool, StoreError> {
    Ok(allowed(command, &ctx.staff.roles(ctx.user_id).await?))
}

/// A staff command; refused like an unknown command for anyone without the role.
pub async fn command(ctx: &StepContext<'_>, state: &State, command: Command) -> StepResult {
    if !may(ctx, &command).await? {
        let name = format!("/{}", command_name(&command));
        return Ok(hint(
            ctx,
            state,
            Msg::new("hint-unknown-command").text("command", name),
        ));
    }
    match command {
        Command::Broadcast => Ok(write(Lang::Kk, Drafts::default(), ctx, None)),
        Command::Broadcasts => broadcasts(ctx, None).await,
        _ => stats(ctx).await,
    }
}

pub async fn step(ctx: &StepContext<'_>, s: &StaffState, input: Input) -> StepResult {
    let state = State::Staff(s.clone());
    match (s, input) {
        (StaffState::Write { lang, drafts }, Input::Text(text)) => {
            let text = text.trim().to_string();
            if text.is_empty() {
                return Ok(hint(ctx, &state, Msg::new("staff-broadcast-empty")));
            }
            let mut drafts = drafts.clone();
            drafts.set(*lang, text);
            Ok(after_write(*lang, drafts, ctx))
        }
        (StaffState::Write { lang, drafts }, Input::Action(Action::Staff(StaffAction::Skip)))
            if *lang != Lang::Kk =>
        {
            Ok(after_write(*lang, drafts.clone(), ctx))
        }
        (
            StaffState::Audience { drafts },
            Input::Action(Action::Staff(StaffAction::Audience(a))),
        ) if !matches!(a, Audience::City(_)) => Ok(preview(ctx, drafts.clone(), a, None)),
        (StaffState::Audience { drafts }, Input::Action(Action::Staff(StaffAction::ByCity))) => {
            let mut cities: Vec<(i64, String)> = ctx
                .staff
                .cities()
                .await?
                .into_iter()
                .map(|c| (c.id, c.name.get(ctx.lang).to_string()))
                .collect();
            if cities.is_empty() {
                return Ok(hint(ctx, &state, Msg::new("staff-audience-no-cities")));
            }
            cities.sort_by(|a, b| a.1.cmp(&b.1));
            let s = StaffState::AudienceCity {
                drafts: drafts.clone(),
                cities,
            };
            Ok(StepOutcome::go(
                State::Staff(s.clone()),
                ctx,
                vec![prompt(&s)],
            ))
        }
        (
            StaffState::AudienceCity { drafts, cities },
            Input::Action(Action::Staff(StaffAction::Audience(Audience::City(id)))),
        ) => match cities.iter().find(|(city, _)| *city == id) {
            Some((_, name)) => Ok(preview(
                ctx,
                drafts.clone(),
                Audience::City(id),
                Some(name.clone()),
            )),
            None => Ok(hint(ctx, &state, Msg::new("hint-stale-button"))),
        },
        (
            StaffState::Preview {
                drafts, audience, ..
            },
            Input::Action(Action::Staff(StaffAction::Send)),
        ) => {
            if !may(ctx, &Command::Broadcast).await? {
                return Ok(home(ctx, None));
            }
            let created = ctx
                .staff
                .broadcast(ctx.user_id, drafts.texts(), *audience, ctx.now)
                .await?;
            let mut notice = Msg::new("staff-broadcast-created")
                .number("id", created.broadcast.id)
                .number("total", created.broadcast.total);
            if let Some(held) = created.held_until_ms {
                notice = Msg::new("staff-broadcast-held")
                    .msg("created", notice)
                    .text("time", super::cabinet::local_time(held));
            }
            Ok(home(ctx, Some(notice)))
        }
        (
            StaffState::Broadcasts { cancellable },
            Input::Action(Action::Staff(StaffAction::Cancel(i))),
        ) => {
            let Some(&id) = cancellable.get(i as usize) else {
                return Ok(hint(ctx, &state, Msg::new("hint-stale-button")));
            };
            if !may(ctx, &Command::Broadcasts).await? {
                return Ok(home(ctx, None));
            }
            let cancelled = ctx.staff.cancel(ctx.user_id, id, ctx.now).await?;
            let notice = Msg::new("staff-broadcast-cancelled")
                .number("id", id)
                .number("count", i64::try_from(cancelled).unwrap_or(i64::MAX));
            broadcasts(ctx, Some(notice)).await
        }
        (_, input) => Ok(hint(ctx, &state, unexpected(&input))),
    }
}

/// The next language to write, or the audience question after English.
fn after_write(done: Lang, drafts: Drafts, ctx: &StepContext<'_>) -> StepOutcome {
    match done {
        Lang::Kk => write(Lang::Ru, drafts, ctx, None),
        Lang::Ru => write(Lang::En, drafts, ctx, None),
        Lang::En => StepOutcome::go(
            State::Staff(StaffState::Audience { drafts }),
            ctx,
            vec![audience_prompt()],
        ),
    }
}

fn write(lang: Lang, drafts: Drafts, ctx: &StepContext<'_>, notice: Option<Msg>) -> StepOutcome {
    let s = StaffState::Write { lang, drafts };
    let mut reply = prompt(&s);
    if let Some(msg) = notice {
        reply = reply.prepend(msg);
    }
    StepOutcome::go(State::Staff(s), ctx, vec![reply])
}

fn lang_name(lang: Lang) -> Msg {
    Msg::new(match lang {
        Lang::Kk => "language-name-kk",
        Lang::Ru => "language-name-ru",
        Lang::En => "language-name-en",
    })
}

/// How an audience is named; `city` is the city's name for an audience by city (its id
/// when the name is unknown, e.g. the city was removed since).
fn audience_label(audience: Audience, city: Option<&str>) -> Msg {
    match audience {
        Audience::All => Msg::new("staff-audience-all"),
        Audience::SignedIn => Msg::new("staff-audience-signed-in"),
        Audience::Language(lang) => {
            Msg::new("staff-audience-language").msg("language", lang_name(lang))
        }
        Audience::City(id) => Msg::new("staff-audience-city").text(
            "city",
            city.map(str::to_string).unwrap_or_else(|| format!("#{id}")),
        ),
    }
}

fn audience_prompt() -> Reply {
    let button = |a: Audience| {
        Button::with_label(
            audience_label(a, None),
            Action::Staff(StaffAction::Audience(a)),
        )
    };
    Reply::key("staff-audience-prompt")
        .row(vec![button(Audience::All)])
        .row(vec![button(Audience::SignedIn)])
        .row(
            Lang::ALL
                .into_iter()
                .map(|l| button(Audience::Language(l)))
                .collect(),
        )
        .row(vec![Button::new(
            "staff-audience-by-city",
            Action::Staff(StaffAction::ByCity),
        )])
        .row(vec![Button::new("staff-button-abort", Action::MainMenu)])
}

fn city_prompt(cities: &[(i64, String)]) -> Reply {
    let mut reply = Reply::new(
        Msg::new("staff-audience-city-prompt").number("months", CITY_AUDIENCE_MONTHS.into()),
    );
    // Two cities a row keeps a long list of cities short.
    for pair in cities.chunks(2) {
        reply = reply.row(
            pair.iter()
                .map(|(id, name)| {
                    Button::with_label(
                        Msg::new("staff-verbatim").text("text", name.clone()),
                        Action::Staff(StaffAction::Audience(Audience::City(*id))),
                    )
                })
                .collect(),
        );
    }
    reply.row(vec![Button::new("staff-button-abort", Action::MainMenu)])
}

fn confirm_prompt(drafts: &Drafts, audience: Audience, city: Option<&str>) -> Reply {
    let fallbacks: Vec<Msg> = [Lang::Ru, Lang::En]
        .into_iter()
        .filter(|l| drafts.get(*l).is_none())
        .map(|l| Msg::new("staff-preview-fallback").msg("language", lang_name(l)))
        .collect();
    let mut reply = Reply::new(
        Msg::new("staff-preview-confirm").msg("audience", audience_label(audience, city)),
    );
    if !fallbacks.is_empty() {
        reply = reply.append(Msg::new("staff-preview-fallbacks").list("items", fallbacks));
    }
    reply
        .row(vec![Button::new(
            "staff-button-send",
            Action::Staff(StaffAction::Send),
        )])
        .row(vec![Button::new("staff-button-abort", Action::MainMenu)])
}

/// Each written text exactly as its readers will get it (plain text, nothing added), then
/// the question.
fn preview(
    ctx: &StepContext<'_>,
    drafts: Drafts,
    audience: Audience,
    city: Option<String>,
) -> StepOutcome {
    let mut replies = Vec::new();
    for lang in Lang::ALL {
        if let Some(text) = drafts.get(lang) {
            replies.push(Reply::new(
                Msg::new("staff-preview-for").msg("language", lang_name(lang)),
            ));
            replies.push(Reply::new(
                Msg::new("staff-verbatim").text("text", text.clone()),
            ));
        }
    }
    replies.push(confirm_prompt(&drafts, audience, city.as_deref()));
    StepOutcome::go(
        State::Staff(StaffState::Preview {
            drafts,
            audience,
            city,
        }),
        ctx,
        replies,
    )
}

async fn broadcasts(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepResult {
    let views = ctx.staff.recent(ctx.user_id, ctx.chat_id, ctx.now).await?;
    let cancellable: Vec<i64> = views
        .iter()
        .filter(|v| in_flight(v))
        .map(|v| v.broadcast.id)
        .collect();
    let s = StaffState::Broadcasts { cancellable };
    let mut reply = if views.is_empty() {
        prompt(&s).prepend(Msg::new("staff-broadcasts-none"))
    } else {
        let cities: Vec<(i64, String)> = ctx
            .staff
            .cities()
            .await?
            .into_iter()
            .map(|c| (c.id, c.name.get(ctx.lang).to_string()))
            .collect();
        let items = views.iter().map(|v| broadcast_line(v, &cities)).collect();
        prompt(&s).prepend(Msg::new("staff-broadcasts-list").list("items", items))
    };
    if let Some(msg) = notice {
        reply = reply.prepend(msg);
    }
    Ok(StepOutcome::go(State::Staff(s), ctx, vec![reply]))
}

fn in_flight(view: &BroadcastView) -> bool {
    matches!(
        view.broadcast.status,
        BroadcastStatus::Queued | BroadcastStatus::Running
    )
}

fn broadcast_line(view: &BroadcastView, cities: &[(i64, String)]) -> Msg {
    let b = &view.broadcast;
    let p = &view.progress;
    Msg::new("staff-broadcasts-item")
        .number("id", b.id)
        .text("date", super::cabinet::local_time(b.created_at_ms))
        .msg(
            "status",
            Msg::new(&format!("staff-broadcast-status-{}", b.status.as_str())),
        )
        .msg(
            "audience",
            match Audience::from_label(&b.audience) {
                Some(audience) => {
                    let city = match audience {
                        Audience::City(id) => cities
                            .iter()
                            .find(|(c, _)| *c == id)
                            .map(|(_, name)| name.as_str()),
                        _ => None,
                    };
                    audience_label(audience, city)
                }
                None => Msg::new("staff-verbatim").text("text", b.audience.clone()),
            },
        )
        .number("queued", p.pending)
        .number("sent", p.sent)
        .number("failed", p.failed)
        .number("unreachable", p.unreachable)
        .number("rate", view.rate_per_s)
}

async fn stats(ctx: &StepContext<'_>) -> StepResult {
    let stats = ctx.staff.stats(ctx.user_id, ctx.chat_id, ctx.now).await?;
    let statuses: Vec<Msg> = stats
        .applications
        .iter()
        .map(|(status, n)| {
            Msg::new("staff-stats-status")
                .msg("status", Msg::new(status.message_key()))
                .number("count", *n)
        })
        .collect();
    let applications = if statuses.is_empty() {
        Msg::new("staff-stats-no-applications")
    } else {
        Msg::new("staff-stats-applications").list("items", statuses)
    };
    let text = Msg::new("staff-stats")
        .number("chats", stats.chats)
        .number("logins", stats.active_logins)
        .number("bookings", stats.bookings_today)
        .number("outbox", stats.outbox_pending)
        .msg("applications", applications);
    Ok(home(ctx, None).prepend_notice(text))
}

pub fn prompt(s: &StaffState) -> Reply {
    let cancel = || vec![Button::new("staff-button-abort", Action::MainMenu)];
    match s {
        StaffState::Write { lang, .. } => {
            let reply =
                Reply::new(Msg::new("staff-broadcast-write").msg("language", lang_name(*lang)));
            if *lang == Lang::Kk {
                reply.row(cancel())
            } else {
                reply
                    .append(Msg::new("staff-broadcast-skip-hint"))
                    .row(vec![Button::new(
                        "staff-button-skip",
                        Action::Staff(StaffAction::Skip),
                    )])
                    .row(cancel())
            }
        }
        StaffState::Audience { .. } => audience_prompt(),
        StaffState::AudienceCity { cities, .. } => city_prompt(cities),
        StaffState::Preview {
            drafts,
            audience,
            city,
        } => confirm_prompt(drafts, *audience, city.as_deref()),
        StaffState::Broadcasts { cancellable } => {
            let mut reply = Reply::key("staff-broadcasts-prompt");
            for (i, id) in cancellable.iter().enumerate() {
                reply = reply.row(vec![Button::with_label(
                    Msg::new("staff-button-cancel-broadcast").number("id", *id),
                    Action::Staff(StaffAction::Cancel(i as u32)),
                )]);
            }
            reply.row(vec![Button::new("staff-button-menu", Action::MainMenu)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_command_needs_its_own_roles() {
        assert!(allowed(&Command::Broadcast, &[Role::Broadcaster]));
        assert!(allowed(&Command::Broadcasts, &[Role::Admin]));
        assert!(!allowed(&Command::Broadcast, &[Role::Operator]));
        assert!(allowed(&Command::Stats, &[Role::Operator]));
        assert!(!allowed(&Command::Stats, &[Role::Broadcaster]));
        assert!(!allowed(&Command::Stats, &[]));
    }

    #[test]
    fn skipped_languages_fall_back_to_kazakh() {
        let drafts = Drafts {
            kk: Some("Сәлем".into()),
            ru: None,
            en: Some("Hello".into()),
        };
        let texts = drafts.texts();
        assert_eq!(
            texts.for_lang(Lang::Ru).map(|m| m.text.as_str()),
            Some("Сәлем")
        );
        assert_eq!(
            texts.for_lang(Lang::En).map(|m| m.text.as_str()),
            Some("Hello")
        );
    }
}
