//! The command line. Every subcommand takes the same `--data`, `--database` and `--config`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use fruition_app::Settings;
use fruition_domain::region::RegionCode;

use crate::config::{Config, DatabaseUrl, FileConfig, LogFormat};
use crate::{bootstrap, server};

#[derive(Debug, Parser)]
#[command(
    name = "fruition",
    version,
    about = "株洲科技成果转化平台 Fruition — the city's platform for turning research into industry"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The data folder (SQLite database, backups). Default ./fruition-data.
    #[arg(long, global = true, env = "FRUITION_DATA")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://user:password@host/db) instead of the embedded SQLite database.
    #[arg(
        long,
        global = true,
        env = "FRUITION_DATABASE_URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
    /// The configuration file. Default ./fruition.toml, else <data>/fruition.toml, when present.
    #[arg(long, global = true, env = "FRUITION_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log format: text or json.
    #[arg(long, global = true, env = "FRUITION_LOG_FORMAT")]
    pub log_format: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web pages and the API.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users from the command line.
    #[command(subcommand)]
    User(UserCommand),
    /// Print a report.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Write a consistent copy of the SQLite database to FILE while the server runs.
    Backup {
        /// Where to write the copy (must not exist yet).
        file: PathBuf,
    },
    /// Load the synthetic demo data set (2020–2024, one account per role) into an empty database.
    Demo,
    /// Import a carrier's incubatees and their yearly figures from an .xlsx or CSV file: every
    /// row is checked first, then all are written, or none (the problems are listed on stderr).
    Import(ImportArgs),
    /// Rebuild this server's market search index from the database (run it with the server on
    /// this data folder stopped; a server also rebuilds a missing or unreadable index by itself).
    Reindex,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The carrier's id (as on its page and in the API).
    #[arg(long)]
    pub carrier: i64,
    /// The year whose report receives the figures.
    #[arg(long)]
    pub year: i64,
    /// The file: .xlsx from the template (also .xls, .ods), or CSV in UTF-8 or GB18030.
    pub file: PathBuf,
}

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on. Default 127.0.0.1:8080.
    #[arg(long, env = "FRUITION_LISTEN")]
    pub listen: Option<String>,
    /// Mark cookies Secure (serving over TLS or behind a TLS-terminating proxy).
    #[arg(long, env = "FRUITION_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The public origin users reach, e.g. https://kj.example.gov.cn (for the cross-site check).
    #[arg(long, env = "FRUITION_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// Trust X-Forwarded-For for the client address (only behind your own proxy).
    #[arg(long, env = "FRUITION_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Load the synthetic demo data set first when the database holds no carriers or enterprises.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The annual summary (§一 of the bureau's reply) for a year, from approved reports, as text.
    Annual {
        /// The year (default: last year).
        #[arg(long)]
        year: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a bureau administrator with a one-time password, printed once.
    CreateAdmin {
        /// The new administrator's login.
        login: String,
    },
    /// Print a new personal API token for LOGIN (for scripts); it works at once.
    Token {
        login: String,
        /// What the token is for.
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

/// Resolves the configuration: flags and environment (through clap) over the file over defaults.
pub fn resolve(global: &GlobalArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Config> {
    let default_data = PathBuf::from("fruition-data");
    let file_path = match &global.config {
        Some(p) => Some(p.clone()),
        None => {
            let here = PathBuf::from("fruition.toml");
            let in_data = global
                .data
                .clone()
                .unwrap_or_else(|| default_data.clone())
                .join("fruition.toml");
            [here, in_data].into_iter().find(|p| p.exists())
        }
    };
    let file = match &file_path {
        Some(p) => FileConfig::load(p)?,
        None => FileConfig::default(),
    };
    let data = global.data.clone().or(file.data).unwrap_or(default_data);
    let database = global
        .database
        .clone()
        .or(file.database)
        .filter(|s| !s.trim().is_empty())
        .map(DatabaseUrl::new);
    if let Some(url) = &database
        && !url.is_postgres()
    {
        anyhow::bail!(
            "--database takes a postgres:// URL ({url}); without it Fruition uses SQLite in the data folder"
        );
    }
    let log_format = match global.log_format.clone().or(file.log_format).as_deref() {
        None | Some("text") => LogFormat::Text,
        Some("json") => LogFormat::Json,
        Some(other) => anyhow::bail!("log format must be text or json, not {other}"),
    };
    let defaults = Settings::default();
    let city_code = file.city.code.unwrap_or(defaults.city_code);
    RegionCode::parse(&city_code).map_err(|e| anyhow::anyhow!("city.code: {}", e.en))?;
    let serve = serve.cloned_args();
    let app = Settings {
        city_name: file.city.name.unwrap_or(defaults.city_name),
        city_code,
        session_minutes: file
            .web
            .session_minutes
            .unwrap_or(defaults.session_minutes)
            .clamp(5, 7 * 24 * 60),
        demo: false,
    };
    let web = fruition_web::WebSettings {
        secure_cookies: serve.secure_cookies || file.web.secure_cookies.unwrap_or(false),
        public_origin: serve.public_origin.or(file.web.public_origin),
        trust_proxy: serve.trust_proxy || file.web.trust_proxy.unwrap_or(false),
    };
    Ok(Config {
        data,
        database,
        listen: serve
            .listen
            .or(file.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into()),
        log_format,
        max_connections: file.max_connections.unwrap_or(16),
        app,
        web,
    })
}

trait ClonedArgs {
    fn cloned_args(self) -> ServeArgs;
}

impl ClonedArgs for Option<&ServeArgs> {
    fn cloned_args(self) -> ServeArgs {
        match self {
            Some(a) => ServeArgs {
                listen: a.listen.clone(),
                secure_cookies: a.secure_cookies,
                public_origin: a.public_origin.clone(),
                trust_proxy: a.trust_proxy,
                demo: a.demo,
            },
            None => ServeArgs::default(),
        }
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let serve_args = match &cli.command {
        Command::Serve(a) => Some(a),
        _ => None,
    };
    let config = resolve(&cli.global, serve_args)?;
    init_logging(config.log_format);
    match cli.command {
        Command::Serve(args) => server::serve(config, args.demo).await,
        Command::Migrate => {
            let db = server::open_database(&config).await?;
            let status = db.migrate().await?;
            println!(
                "数据库结构已是最新（版本 {}）。Schema is current (version {}).",
                status.db_version, status.db_version
            );
            Ok(())
        }
        Command::User(UserCommand::CreateAdmin { login }) => {
            let db = server::open_database(&config).await?;
            db.migrate().await?;
            let created = bootstrap::create_admin(&db, &config.app, &login).await?;
            println!(
                "已创建管理员 {}。一次性密码（首次登录须修改）：{}",
                created.login, created.password
            );
            println!(
                "Created administrator {}. One-time password (must be changed at first sign-in): {}",
                created.login, created.password
            );
            Ok(())
        }
        Command::User(UserCommand::Token { login, name }) => {
            let db = server::open_database(&config).await?;
            db.migrate().await?;
            let token = bootstrap::create_token(&db, &login, &name).await?;
            println!("{token}");
            Ok(())
        }
        Command::Report(ReportCommand::Annual { year }) => {
            let db = server::open_database(&config).await?;
            db.migrate().await?;
            bootstrap::seed_reference(&db, &config.app).await?;
            let year = year.unwrap_or_else(|| fruition_app::clock::this_year() - 1);
            let state = fruition_app::App::new(db, config.app.clone());
            let annual = fruition_app::statistics::annual(&state, year)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            print!("{}", annual.report.text());
            Ok(())
        }
        Command::Demo => {
            let db = server::open_database(&config).await?;
            db.migrate().await?;
            bootstrap::seed_reference(&db, &config.app).await?;
            let summary = crate::demo::load(&db, &config.app).await?;
            println!("{}", summary.text());
            Ok(())
        }
        Command::Import(args) => {
            let db = server::open_database(&config).await?;
            db.migrate().await?;
            bootstrap::seed_reference(&db, &config.app).await?;
            crate::import::run(db, config.app.clone(), args.carrier, args.year, &args.file).await
        }
        Command::Reindex => {
            let started = std::time::Instant::now();
            let db = server::open_database(&config).await?;
            db.migrate().await?;
            let dir = config.search_dir();
            let index = fruition_search::SearchIndex::recreate(&dir)
                .with_context(|| format!("creating the search index in {}", dir.display()))?;
            let sync = fruition_app::search_sync::SearchSync::with_index(index);
            let n = sync.rebuild(&db).await?;
            println!(
                "已重建检索索引：{n} 条已发布信息，用时 {:.1} 秒。Rebuilt the search index: {n} published listings in {:.1} s.",
                started.elapsed().as_secs_f64(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Backup { file } => {
            if file.exists() {
                anyhow::bail!("{} already exists; choose a new file", file.display());
            }
            let db = server::open_database(&config).await?;
            db.backup_sqlite(&file)
                .await
                .with_context(|| format!("backing up to {}", file.display()))?;
            println!(
                "已备份到 {}。Backed up to {}.",
                file.display(),
                file.display()
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(args).expect("arguments")
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = std::env::temp_dir().join(format!("fruition-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("fruition.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\n[city]\nname = \"湘潭市\"\ncode = \"430300\"\n[web]\nsession_minutes = 60\n").expect("write");
        let path = file.to_str().expect("path");

        let cli = parse(&["fruition", "--config", path, "serve"]);
        let Command::Serve(args) = &cli.command else {
            panic!("serve")
        };
        let config = resolve(&cli.global, Some(args)).expect("config");
        assert_eq!(config.listen, "127.0.0.1:9000", "the file over the default");
        assert_eq!(config.app.city_name, "湘潭市");
        assert_eq!(config.app.city_code, "430300");
        assert_eq!(config.app.session_minutes, 60);

        let cli = parse(&[
            "fruition",
            "--config",
            path,
            "serve",
            "--listen",
            "127.0.0.1:9100",
            "--secure-cookies",
        ]);
        let Command::Serve(args) = &cli.command else {
            panic!("serve")
        };
        let config = resolve(&cli.global, Some(args)).expect("config");
        assert_eq!(config.listen, "127.0.0.1:9100", "the flag over the file");
        assert!(config.web.secure_cookies);

        let cli = parse(&[
            "fruition",
            "--config",
            "/nonexistent/fruition.toml",
            "migrate",
        ]);
        let err = resolve(&cli.global, None).expect_err("a missing named file is an error");
        assert!(format!("{err:#}").contains("/nonexistent/fruition.toml"));

        std::fs::write(&file, "[city]\ncode = \"999999\"\n").expect("write");
        let cli = parse(&["fruition", "--config", path, "migrate"]);
        let err = resolve(&cli.global, None).expect_err("a bad city code is refused");
        assert!(format!("{err:#}").contains("city.code"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_postgres_urls_are_databases() {
        let cli = parse(&["fruition", "--database", "mysql://x", "migrate"]);
        let err = resolve(&cli.global, None).expect_err("refused");
        assert!(err.to_string().contains("postgres://"));
        let cli = parse(&["fruition", "--database", "postgres://u:pw@h/db", "migrate"]);
        let config = resolve(&cli.global, None).expect("config");
        assert!(
            !format!("{config:?}").contains(":pw@"),
            "the password never prints: {config:?}"
        );
    }
}
