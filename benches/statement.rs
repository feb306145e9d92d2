//! Statement generation: the 25-year, all-accounts statements of demo #30 (25 years of ОПВ)
//! and #25 (all four accounts), issued repeatedly through `DocumentService` — registry reads,
//! figures, PDF with subset fonts, SHA-256 and the registry row — and the PDF rendering alone.
//! Prints median, p99 and max time, pages and size, peak heap per statement (a counting
//! allocator) and the process's peak RSS (VmHWM), as a markdown table for docs/benchmarks.md.
//!
//! Run: `cargo bench --bench statement` (release build; SQLite in a temp dir, demo registry).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use zeinet::clock::FixedClock;
use zeinet::documents::render::Head;
use zeinet::documents::statement::{self, AccountStatement};
use zeinet::documents::statement_pdf::StatementDocument;
use zeinet::domain::Lang;
use zeinet::i18n::I18n;
use zeinet::services::documents::DocumentService;
use zeinet::store::Db;
use zeinet::store::{accounts, depositors};

const WARM_UP: usize = 5;
const ROUNDS: usize = 200;

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Resets the high-water mark to what is live now; returns that baseline.
fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

struct Figures {
    name: String,
    times: Vec<Duration>,
    pages: usize,
    bytes: usize,
    peak_heap: usize,
}

impl Figures {
    fn row(&mut self) -> String {
        self.times.sort();
        format!(
            "| {} | {} | {} | {} | {} | {} KiB | {} |",
            self.name,
            ms(percentile(&self.times, 0.5)),
            ms(percentile(&self.times, 0.99)),
            ms(self.times.last().copied().unwrap_or_default()),
            self.pages,
            self.bytes / 1024,
            mib(self.peak_heap),
        )
    }
}

fn page_count(pdf: &[u8]) -> usize {
    // Each page object carries exactly one `/Type /Page` (the tree says `/Pages`).
    pdf.windows(11).filter(|w| w == b"/Type /Page").count()
        - pdf.windows(12).filter(|w| w == b"/Type /Pages").count()
}

async fn measure<F, Fut>(name: String, mut issue: F) -> Figures
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Vec<u8>>,
{
    for _ in 0..WARM_UP {
        issue().await;
    }
    let mut times = Vec::with_capacity(ROUNDS);
    let mut peak_heap = 0;
    let mut last = Vec::new();
    for _ in 0..ROUNDS {
        let baseline = reset_peak();
        let started = Instant::now();
        last = issue().await;
        times.push(started.elapsed());
        peak_heap = peak_heap.max(PEAK.load(Ordering::Relaxed).saturating_sub(baseline));
    }
    Figures {
        name,
        times,
        pages: page_count(&last),
        bytes: last.len(),
        peak_heap,
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url).await.expect("sqlite");
    db.migrate().await.expect("migrate");
    let now = Utc.with_ymd_and_hms(2026, 3, 15, 9, 30, 0).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 3, 15).expect("date");
    zeinet::demo::seed(&db, today, now.timestamp_millis())
        .await
        .expect("seed");
    let hwm_after_seed = vm_hwm_kib();
    let i18n = Arc::new(I18n::load().expect("locales"));
    let service = DocumentService::new(db.clone(), Arc::new(FixedClock::new(now)), i18n.clone());
    let people = zeinet::demo::people();
    let from = NaiveDate::from_ymd_opt(2001, 1, 1).expect("date");

    // The first statement of a process also parses the two embedded fonts.
    let demo_30 = people
        .iter()
        .find(|p| p.number == 30)
        .expect("demo person #30");
    let first_id = depositors::find_by_iin(&db, &demo_30.iin)
        .await
        .expect("lookup")
        .expect("seeded")
        .id;
    let started = Instant::now();
    service
        .issue_statement(first_id, None, from, today, Lang::Kk)
        .await
        .expect("statement");
    let cold = started.elapsed();

    let mut rows = Vec::new();
    for (number, lang) in [(30usize, Lang::Kk), (25, Lang::Ru)] {
        let person = people
            .iter()
            .find(|p| p.number == number)
            .expect("demo person");
        let id = depositors::find_by_iin(&db, &person.iin)
            .await
            .expect("lookup")
            .expect("seeded")
            .id;

        let operations: usize = {
            let mut n = 0;
            for account in accounts::accounts_of(&db, id).await.expect("accounts") {
                n += accounts::operations(&db, account.id, Some(from), Some(today))
                    .await
                    .expect("operations")
                    .len();
            }
            n
        };
        let label = format!("#{number} ({}), {operations} operations", lang.code());

        let service = service.clone();
        rows.push(
            measure(format!("{label}: issue_statement, end to end"), || {
                let service = service.clone();
                async move {
                    service
                        .issue_statement(id, None, from, today, lang)
                        .await
                        .expect("statement")
                        .pdf
                }
            })
            .await,
        );

        // The rendering alone, from figures gathered once.
        let mut statements: Vec<AccountStatement> = Vec::new();
        for account in accounts::accounts_of(&db, id).await.expect("accounts") {
            let ops = accounts::operations(&db, account.id, None, Some(today))
                .await
                .expect("operations");
            statements.push(
                statement::build(account.kind, account.opened_on, &ops, from, today)
                    .expect("figures"),
            );
        }
        let name = person.full_name();
        let iin = person.iin.masked();
        let i18n = i18n.clone();
        rows.push(
            measure(format!("{label}: PDF rendering only"), || {
                let pdf = zeinet::documents::statement_pdf(
                    &i18n,
                    &StatementDocument {
                        head: Head {
                            lang,
                            number: "ZS-0000000000B",
                            depositor_name: &name,
                            iin_masked: &iin,
                            generated_at: now,
                        },
                        scope: None,
                        from,
                        to: today,
                        accounts: &statements,
                    },
                )
                .expect("pdf");
                async move { pdf }
            })
            .await,
        );
    }

    println!();
    println!(
        "Statements from 01.01.2001 to 15.03.2026, {ROUNDS} rounds each after {WARM_UP} warm-up, release build, SQLite."
    );
    println!();
    println!("| case | median | p99 | max | pages | size | peak heap per statement |");
    println!("|---|---|---|---|---|---|---|");
    for row in &mut rows {
        println!("{}", row.row());
    }
    println!();
    println!(
        "The first statement of a process (#30, which also parses the embedded fonts): {}.",
        ms(cold)
    );
    let kib = |v: Option<u64>| {
        v.map_or("n/a".to_owned(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "Process peak RSS (VmHWM): {} after seeding the demo registry, {} after all rounds.",
        kib(hwm_after_seed),
        kib(vm_hwm_kib())
    );
    db.close().await;
}
