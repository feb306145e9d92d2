//! Replays every transcript under `dialogues/` against the real engine.
//! A mismatch names the file and line; `BLESS=1 cargo test --test dialogues` rewrites them.

mod support;

use support::transcript::{all_transcripts, replay};

#[tokio::test]
async fn every_transcript_replays() {
    let mut files = all_transcripts();
    // `TRANSCRIPT=part-of-a-name` replays only the matching files (for working on one flow).
    let only = std::env::var("TRANSCRIPT").unwrap_or_default();
    assert!(
        files.len() >= 10,
        "expected the transcripts under dialogues/, found {}",
        files.len()
    );
    files.retain(|f| f.display().to_string().contains(&only));
    let bless = std::env::var("BLESS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    for path in &files {
        match replay(path).await {
            Ok((rewritten, mismatch)) => {
                if bless {
                    std::fs::write(path, rewritten).expect("rewrite transcript");
                } else if let Some(m) = mismatch {
                    failures.push(m);
                }
            }
            Err(e) => failures.push(e),
        }
    }
    println!("{} transcripts replayed", files.len());
    assert!(
        failures.is_empty(),
        "{} transcript(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
