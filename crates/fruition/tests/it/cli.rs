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
