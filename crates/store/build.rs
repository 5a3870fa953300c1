// `sqlx::migrate!` embeds the migration files at compile time; rebuild when any of them changes
// (cargo does not see files a macro reads).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
