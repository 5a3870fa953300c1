//! The binary's subcommands, run as a user would run them.

use std::process::Command;

fn fruition() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fruition"))
}

#[test]
fn create_admin_token_and_backup_from_the_command_line() {
    let dir = crate::support::tempfile_dir::TempDir::new();
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        let out = fruition()
            .arg("--data")
            .arg(&data)
            .args(args)
            .env_remove("FRUITION_DATABASE_URL")
            .output()
            .expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, out, err) = run(&["migrate"]);
    assert!(ok, "{out}{err}");
    let (ok, out, _) = run(&["user", "create-admin", "second.admin"]);
    assert!(ok);
    assert!(out.contains("second.admin"));
    let (ok, _, err) = run(&["user", "create-admin", "second.admin"]);
    assert!(!ok, "the same login twice is refused");
    assert!(err.contains("second.admin"), "{err}");
    let (ok, _, err) = run(&["user", "create-admin", "Bad Login!"]);
    assert!(!ok);
    assert!(err.contains("登录名"), "{err}");
    let (ok, token, _) = run(&["user", "token", "second.admin"]);
    assert!(ok);
    assert_eq!(token.trim().len(), 64);
    let (ok, _, err) = run(&["user", "token", "nobody"]);
    assert!(!ok && err.contains("nobody"));
    let backup = dir.path().join("copy.db");
    let (ok, out, err) = run(&["backup", backup.to_str().expect("path")]);
    assert!(ok, "{out}{err}");
    assert!(std::fs::metadata(&backup).expect("backup written").len() > 0);
    let (ok, _, err) = run(&["backup", backup.to_str().expect("path")]);
    assert!(
        !ok && err.contains("exists"),
        "an existing file is not overwritten: {err}"
    );
    // The copy is a working database holding the same users.
    let (ok, out, err) = fruition_with_data(&backup, &["user", "token", "second.admin"]);
    assert!(ok, "{out}{err}");
    // A bad configuration file is named in the error.
    std::fs::write(data.join("fruition.toml"), "lisen = 1\n").expect("write");
    let (ok, _, err) = run(&["migrate"]);
    assert!(!ok && err.contains("fruition.toml"), "{err}");
}

/// Runs with a data folder holding the given database file as its `fruition.db`.
fn fruition_with_data(db_file: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let dir = crate::support::tempfile_dir::TempDir::new();
    std::fs::copy(db_file, dir.path().join("fruition.db")).expect("copy");
    let out = fruition()
        .arg("--data")
        .arg(dir.path())
        .args(args)
        .env_remove("FRUITION_DATABASE_URL")
        .output()
        .expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn serve_prints_the_address_and_the_first_password() {
    use std::io::{BufRead, BufReader};
    let dir = crate::support::tempfile_dir::TempDir::new();
    let mut child = fruition()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env_remove("FRUITION_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let done = line.contains("http://");
        seen.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = seen.join("\n");
    assert!(
        text.contains("一次性密码") && text.contains("admin"),
        "{text}"
    );
    assert!(text.contains("http://127.0.0.1:"), "{text}");
    assert!(
        dir.path().join("fruition.db").exists(),
        "the data folder holds the SQLite database"
    );
}

/// A `serve` process on a data folder, killed when dropped.
struct Served {
    child: std::process::Child,
    base: String,
}

impl Served {
    fn start(data: &std::path::Path) -> Served {
        use std::io::{BufRead, BufReader};
        let mut child = fruition()
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .env_remove("FRUITION_DATABASE_URL")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let mut base = None;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(at) = line.find("http://") {
                let addr: String = line[at..]
                    .chars()
                    .take_while(|c| !c.is_whitespace())
                    .collect();
                base = Some(addr);
                break;
            }
        }
        let base = base.expect("serve printed its address");
        Served { child, base }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `fruition user token LOGIN` works at once, even for an administrator made on the command line
/// who has not yet replaced the one-time password; signing in with that password still leads only
/// to the page that changes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_line_token_of_a_new_administrator_works_at_once() {
    let dir = crate::support::tempfile_dir::TempDir::new();
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        let out = fruition()
            .arg("--data")
            .arg(&data)
            .args(args)
            .env_remove("FRUITION_DATABASE_URL")
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let created = run(&["user", "create-admin", "ops.admin"]);
    let marker = "must be changed at first sign-in): ";
    let one_time = created[created.find(marker).expect("password printed") + marker.len()..]
        .trim()
        .to_string();
    let token = run(&["user", "token", "ops.admin"]).trim().to_string();
    let served = Served::start(&data);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    let url = |path: &str| format!("{}{path}", served.base);
    // The token works at once, on everything the administrator may do.
    let res = client
        .get(url("/api/v1/organisations"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let res = client
        .post(url("/api/v1/organisations"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "kind": "enterprise", "name": "命令行企业", "uscc": crate::support::test_uscc(5150)
        }))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    let me: serde_json::Value = client
        .get(url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(me["user"]["must_change_password"], true, "{me}");
    // Signing in with the one-time password still only leads to changing it.
    let page = client
        .get(url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let form_token = crate::pages::form_token(&page);
    let res = client
        .post(url("/sign-in"))
        .form(&[
            ("login", "ops.admin"),
            ("password", one_time.as_str()),
            ("csrf_token", form_token.as_str()),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account/password");
    let res = client.get(url("/account")).send().await.expect("get");
    assert_eq!(res.headers()["location"], "/account/password");
    let res = client
        .get(url("/api/v1/organisations"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN);
    let v: serde_json::Value = res.json().await.expect("json");
    assert_eq!(v["error"]["code"], "password_change_required", "{v}");
}
