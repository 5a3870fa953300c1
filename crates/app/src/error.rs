//! What an action answers when it refuses or fails. The web layer turns these into status codes
//! and the API's error shape (the web layer's `error` module), and the pages into forms with their errors
//! or error pages; here they only say what went wrong, in Chinese and English.

use fruition_domain::FieldError;
use std::collections::BTreeMap;

use fruition_domain::authz::Denied;
use fruition_domain::lang::Lang;
use fruition_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request could not be read at all (malformed JSON, wrong content type).
    #[error("bad request: {code}")]
    BadRequest {
        code: &'static str,
        zh: String,
        en: String,
    },
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    #[error("conflict on {field}")]
    Conflict {
        field: String,
        zh: String,
        en: String,
    },
    /// More than a stated limit (a request body, a file, what a file unpacks to), naming the
    /// field and the limit.
    #[error("too large: {field}")]
    TooLarge {
        field: String,
        zh: String,
        en: String,
    },
    /// Values that fail the rules, each naming its field.
    #[error("invalid input")]
    Invalid(Vec<Problem>),
    /// The sign-in throttle refused the attempt (too many failures for the login or the address).
    #[error("too many attempts (retry after {retry_after_secs} s)")]
    TooManyRequests { retry_after_secs: u64 },
    /// Every password computation is taken and the queue for one is full, or the wait was too long.
    #[error("busy (retry after {retry_after_secs} s)")]
    Busy { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

/// One field's problem: which field, and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl Problem {
    pub fn new(field: &str, zh: &str, en: &str) -> Problem {
        Problem {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl From<FieldError> for Problem {
    fn from(e: FieldError) -> Self {
        Problem {
            field: e.field.to_string(),
            zh: e.zh,
            en: e.en,
        }
    }
}

impl AppError {
    pub fn invalid(err: FieldError) -> AppError {
        AppError::Invalid(vec![err.into()])
    }

    /// A rule about the record's state (not the input) refuses the change: 409 naming the field.
    pub fn conflict(err: FieldError) -> AppError {
        AppError::Conflict {
            field: err.field.into(),
            zh: err.zh,
            en: err.en,
        }
    }

    /// A stable machine-readable code, e.g. `invalid_input`, `forbidden`, `not_found`.
    pub fn code(&self) -> &str {
        self.words().0
    }

    /// A sentence for people in `lang`: what went wrong (for input, the first field's reason).
    pub fn message(&self, lang: Lang) -> String {
        let (_, zh, en) = self.words();
        lang.pick(&zh, &en).to_string()
    }

    /// Each offending field and why, in `lang` (input and conflicts; empty otherwise).
    pub fn fields(&self, lang: Lang) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::new();
        match self {
            AppError::Invalid(errs) => {
                for e in errs {
                    fields
                        .entry(e.field.clone())
                        .or_insert_with(|| lang.pick(&e.zh, &e.en).to_string());
                }
            }
            AppError::Conflict { field, zh, en } | AppError::TooLarge { field, zh, en } => {
                fields.insert(field.clone(), lang.pick(zh, en).to_string());
            }
            _ => {}
        }
        fields
    }

    /// The words of this error: a stable code and a sentence in Chinese and English.
    fn words(&self) -> (&str, String, String) {
        match self {
            AppError::BadRequest { code, zh, en } => (code, zh.clone(), en.clone()),
            AppError::Unauthorized => {
                ("unauthorized", "请先登录。".into(), "Sign in first.".into())
            }
            AppError::Forbidden("password_change_required") => (
                "password_change_required",
                "请先修改一次性密码。".into(),
                "Change your one-time password first.".into(),
            ),
            AppError::Forbidden(code) => (
                code,
                "您无权进行此操作。".into(),
                "You are not allowed to do this.".into(),
            ),
            AppError::NotFound => ("not_found", "未找到该记录。".into(), "Not found.".into()),
            AppError::Conflict { zh, en, .. } => ("conflict", zh.clone(), en.clone()),
            AppError::TooLarge { zh, en, .. } => ("payload_too_large", zh.clone(), en.clone()),
            AppError::Invalid(errs) => {
                let first = errs.first();
                (
                    "invalid_input",
                    first
                        .map(|e| format!("输入有误：{}", e.zh))
                        .unwrap_or_else(|| "输入有误。".into()),
                    first
                        .map(|e| format!("Invalid input: {}", e.en))
                        .unwrap_or_else(|| "Invalid input.".into()),
                )
            }
            AppError::TooManyRequests { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1);
                (
                    "too_many_attempts",
                    format!("尝试次数过多，请 {minutes} 分钟后再试。"),
                    if minutes == 1 {
                        "Too many attempts; try again in a minute.".into()
                    } else {
                        format!("Too many attempts; try again in {minutes} minutes.")
                    },
                )
            }
            AppError::Busy { .. } => (
                "busy",
                "服务器繁忙，请稍后再试。".into(),
                "The server is busy; try again in a moment.".into(),
            ),
            AppError::Internal(_) => (
                "internal",
                "服务器内部错误，已记录。".into(),
                "Internal error; it has been logged.".into(),
            ),
        }
    }

    /// A request body over `limit_bytes`.
    pub fn body_too_large(limit_bytes: u64) -> AppError {
        let limit = size_words(limit_bytes);
        AppError::TooLarge {
            field: "body".into(),
            zh: format!("请求内容过大，上限为 {limit}。"),
            en: format!("The request body is too large; the limit is {limit}."),
        }
    }

    /// A file over `limit_bytes`, or one that would unpack past a limit (`zh`/`en` say which).
    pub fn file_too_large(field: &str, zh: String, en: String) -> AppError {
        AppError::TooLarge {
            field: field.into(),
            zh,
            en,
        }
    }

    /// How long to wait before trying again (`Retry-After`), for a refusal that passes.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests { retry_after_secs }
            | AppError::Busy { retry_after_secs } => Some((*retry_after_secs).max(1)),
            _ => None,
        }
    }

    /// An authorisation refusal (403, or 404 where the resource's existence is itself private).
    pub fn denied(_reason: Denied) -> AppError {
        AppError::Forbidden("forbidden")
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { field } => {
                let (zh, en) = match field.as_str() {
                    "login" => (
                        "该登录名已被使用".to_string(),
                        "This login is already taken".to_string(),
                    ),
                    "uscc" => (
                        "该统一社会信用代码已登记".to_string(),
                        "This unified social credit code is already registered".to_string(),
                    ),
                    "name" => (
                        "该名称已登记".to_string(),
                        "This name is already registered".to_string(),
                    ),
                    "status" => (
                        "该记录的状态已变化，请刷新后重试".to_string(),
                        "The record's status has changed; reload and retry".to_string(),
                    ),
                    _ => (
                        "该值已存在".to_string(),
                        "This value already exists".to_string(),
                    ),
                };
                AppError::Conflict { field, zh, en }
            }
            // A write that waited too long for its turn: the client may try again shortly.
            StoreError::Busy => AppError::Busy {
                retry_after_secs: 2,
            },
            other => AppError::Internal(other.into()),
        }
    }
}

/// A size in the words a person reads: "1 MB", "512 KB".
pub fn size_words(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
