//! Debian's headless Chromium driven through chromedriver's W3C WebDriver HTTP API (reqwest):
//! open a page, find elements, click, read visible text and attributes.
//!
//! Chromium is required, not optional: without `/usr/bin/chromium` and
//! `/usr/bin/chromedriver` the browser tests fail with instructions (`.ci/run` installs
//! them), so a missing browser never passes for a working page.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::process::{Child, Command};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// W3C's key for an element reference in WebDriver answers.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a test waits for the browser before it fails (a bound, not a timing).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// One Chromium at a time per test binary: the tests share few cores, and a browser starved of
/// them is slow to start.
static TURN: LazyLock<Arc<tokio::sync::Mutex<()>>> = LazyLock::new(Default::default);

/// Fails the test unless Chromium and chromedriver are installed.
pub fn require_chromium() {
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        assert!(
            Path::new(path).exists(),
            "{path} is missing: the browser tests need Debian's headless Chromium. Install it \
             with `apt-get install -y chromium chromium-driver` (package {package}; .ci/run does \
             this)."
        );
    }
}

/// A chromedriver process with one Chromium session.
pub struct Browser {
    client: reqwest::Client,
    base: String,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
    ended: bool,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl Browser {
    /// Starts chromedriver on a free port and a fresh headless Chromium profile.
    pub async fn start() -> Browser {
        require_chromium();
        let turn = TURN.clone().lock_owned().await;
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::builder()
            .timeout(PATIENCE)
            .build()
            .expect("HTTP client");
        wait_for_driver(&client, &base).await;

        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-quic".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--window-size=1280,900".to_string(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let answer = post(&client, &format!("{base}/session"), &capabilities).await;
        let session = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver made no session: {answer}"))
            .to_string();
        Browser {
            client,
            base,
            session,
            driver,
            _profile: profile,
            ended: false,
            _turn: turn,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    pub async fn open(&self, url: &str) {
        post(&self.client, &self.url("/url"), &json!({"url": url})).await;
    }

    /// Resizes the browser window (CSS pixels).
    pub async fn resize(&self, width: u32, height: u32) {
        post(
            &self.client,
            &self.url("/window/rect"),
            &json!({"width": width, "height": height}),
        )
        .await;
    }

    /// Runs `script` (a function body) in the page through WebDriver and returns its value.
    pub async fn execute(&self, script: &str) -> Value {
        post(
            &self.client,
            &self.url("/execute/sync"),
            &json!({"script": script, "args": []}),
        )
        .await
    }

    /// The element the CSS selector finds (the test fails if none).
    pub async fn find(&self, css: &str) -> String {
        let answer = post(
            &self.client,
            &self.url("/element"),
            &json!({"using": "css selector", "value": css}),
        )
        .await;
        answer[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {answer}"))
            .to_string()
    }

    pub async fn click(&self, element: &str) {
        post(
            &self.client,
            &self.url(&format!("/element/{element}/click")),
            &json!({}),
        )
        .await;
    }

    /// The element's rendered text (hidden parts excluded).
    pub async fn text(&self, element: &str) -> String {
        get(&self.client, &self.url(&format!("/element/{element}/text")))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn attribute(&self, element: &str, name: &str) -> Option<String> {
        get(
            &self.client,
            &self.url(&format!("/element/{element}/attribute/{name}")),
        )
        .await
        .as_str()
        .map(str::to_string)
    }

    /// Polls the element's `attribute` until `accept` takes its value, which it returns; fails
    /// the test after [`PATIENCE`] with the element's text.
    pub async fn wait_for_attribute(
        &self,
        css: &str,
        attribute: &str,
        accept: impl Fn(&str) -> bool,
    ) -> String {
        let element = self.find(css).await;
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Some(value) = self.attribute(&element, attribute).await
                && accept(&value)
            {
                return value;
            }
            if tokio::time::Instant::now() >= deadline {
                let text = self.text(&element).await;
                panic!("waited for {css}[{attribute}]; it shows: {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Ends the session (Chromium quits) and chromedriver.
    pub async fn quit(mut self) {
        let _ = self
            .client
            .delete(format!("{}/session/{}", self.base, self.session))
            .send()
            .await;
        let _ = self.driver.kill().await;
        self.ended = true;
    }
}

/// A test that fails before [`Browser::quit`] still ends the session, so Chromium does not
/// outlive chromedriver (a blocking request: `Drop` cannot wait on the runtime).
impl Drop for Browser {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        let address = self.base.trim_start_matches("http://").to_string();
        if let Ok(mut stream) = std::net::TcpStream::connect(&address) {
            let _ = stream.set_read_timeout(Some(PATIENCE));
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n",
                self.session
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                let mut answer = Vec::new();
                let _ = stream.read_to_end(&mut answer);
            }
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn wait_for_driver(client: &reqwest::Client, base: &str) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Ok(response) = client.get(format!("{base}/status")).send().await
            && let Ok(status) = response.json::<Value>().await
            && status["value"]["ready"] == true
        {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "chromedriver did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn post(client: &reqwest::Client, url: &str, body: &Value) -> Value {
    let response = client
        .post(url)
        .json(body)
        .send()
        .await
        .expect("chromedriver answers");
    value_of(response).await
}

async fn get(client: &reqwest::Client, url: &str) -> Value {
    let response = client.get(url).send().await.expect("chromedriver answers");
    value_of(response).await
}

/// The `value` of a WebDriver answer; an error answer fails the test with its message.
async fn value_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.expect("WebDriver answers JSON");
    assert!(status.is_success(), "WebDriver error {status}: {body}");
    body["value"].clone()
}
