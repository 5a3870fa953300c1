//! One error type for the API, turned into one JSON shape in one place:
//! `{"error": {"code": "…", "message": "…", "fields": {"name": "reason"}}}`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fruition_domain::lang::Lang;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use fruition_app::error::{AppError, Problem};

tokio::task_local! {
    /// The language the current request's messages are written in.
    pub static REQUEST_LANG: Lang;
}

/// The language of the request being served (Chinese outside a request).
pub fn request_lang() -> Lang {
    REQUEST_LANG.try_with(|l| *l).unwrap_or_default()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code, e.g. `invalid_input`, `forbidden`, `not_found`.
    pub code: String,
    /// A sentence for people, in the request's language.
    pub message: String,
    /// For input errors: each offending field and why.
    pub fields: BTreeMap<String, String>,
}

/// How an application error reads over HTTP: its status code and the API's error shape.
pub trait HttpError {
    fn status(&self) -> StatusCode;
    /// The body for this error in `lang`.
    fn body(&self, lang: Lang) -> ErrorBody;
    /// The response in the API's error shape, in the request's language.
    fn into_response(self) -> Response;
}

impl HttpError for AppError {
    fn into_response(self) -> Response {
        IntoResponse::into_response(ApiError(self))
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } | AppError::Busy { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code().into(),
                message: self.message(lang),
                fields: self.fields(lang),
            },
        }
    }
}

/// An application error on its way out as an HTTP response (the API's error shape). Handlers
/// return it; `?` on an action's result converts.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(err) = self;
        if let AppError::Internal(err) = &err {
            tracing::error!(error = %err, "request failed");
        }
        let status = err.status();
        let mut response = (status, Json(err.body(request_lang()))).into_response();
        with_retry_after(&mut response, &err);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"fruition\""),
            );
        }
        response
    }
}

/// Adds `Retry-After` (seconds) to the answer to a refusal that passes (429).
pub fn with_retry_after(response: &mut Response, err: &AppError) {
    if let Some(secs) = err.retry_after_secs() {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(secs),
        );
    }
}

/// A JSON body that, when it cannot be read, answers with the error shape and names the field:
/// 400 for malformed JSON or a wrong content type, 413 for an oversized body, 422 for wrong types,
/// unknown or missing fields.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(AppError::BadRequest {
                code: "unsupported_media_type",
                zh: "请求须为 JSON（Content-Type: application/json）。".into(),
                en: "The request body must be JSON (Content-Type: application/json).".into(),
            }
            .into());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::body_too_large(crate::MAX_BODY_BYTES as u64)
                } else {
                    AppError::BadRequest {
                        code: "unreadable_body",
                        zh: "无法读取请求内容。".into(),
                        en: "The request body could not be read.".into(),
                    }
                }
            })?;
        // Every body the API takes is a JSON object; serde would read an array into a struct's
        // fields by position (and `[]` into one whose fields all have defaults).
        if bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b != b'{')
        {
            return Err(ApiError(AppError::Invalid(vec![Problem {
                field: "body".into(),
                zh: "请求体应为 JSON 对象（{…}）".into(),
                en: "The body must be a JSON object ({…})".into(),
            }])));
        }
        Ok(ApiJson(parse_json(&bytes)?))
    }
}

/// Parses JSON, reporting where and why it does not fit `T`. The body is one value: anything but
/// whitespace after it (`{…}{…}`) is malformed.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => {
            de.end().map_err(|e| malformed(&e))?;
            Ok(v)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(malformed(&inner));
            }
            let msg = inner.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let (field, zh, en) = if let Some(name) = quoted_after(&msg, "unknown field") {
                (
                    join_path(&path, &name),
                    "不允许的字段".to_string(),
                    "unknown field".to_string(),
                )
            } else if let Some(name) = quoted_after(&msg, "missing field") {
                (
                    join_path(&path, &name),
                    "必填".to_string(),
                    "is required".to_string(),
                )
            } else if msg.starts_with("invalid type")
                || msg.starts_with("invalid value")
                || msg.starts_with("invalid length")
            {
                (path.clone(), format!("类型不正确：{msg}"), msg.clone())
            } else {
                // A value type refused it (e.g. a USCC with a wrong check character): its message says why.
                (path.clone(), msg.clone(), msg.clone())
            };
            let field = if field == "." || field.is_empty() {
                "body".to_string()
            } else {
                field
            };
            Err(AppError::Invalid(vec![Problem { field, zh, en }]))
        }
    }
}

/// JSON that is not one well-formed value: 400 naming where it broke.
fn malformed(err: &serde_json::Error) -> AppError {
    AppError::BadRequest {
        code: "malformed_json",
        zh: format!(
            "JSON 格式错误（第 {} 行第 {} 列）。",
            err.line(),
            err.column()
        ),
        en: format!(
            "Malformed JSON at line {}, column {}.",
            err.line(),
            err.column()
        ),
    }
}

fn quoted_after(msg: &str, prefix: &str) -> Option<String> {
    let rest = msg.strip_prefix(prefix)?.trim_start();
    let rest = rest.strip_prefix('`')?;
    rest.split('`').next().map(str::to_string)
}

/// The path to a named field; serde_path_to_error already ends the path with an unknown field's name.
fn join_path(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_string()
    } else if path == name || path.ends_with(&format!(".{name}")) {
        path.to_string()
    } else {
        format!("{path}.{name}")
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A query string that, when it does not fit, answers 422 in the error shape.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => {
                let text = rejection.body_text();
                let detail = text.split(": ").last().unwrap_or(&text).to_string();
                let field = quoted_after(&detail, "unknown field")
                    .or_else(|| quoted_after(&detail, "missing field"))
                    .unwrap_or_else(|| "query".to_string());
                Err(AppError::Invalid(vec![Problem {
                    field,
                    zh: format!("查询参数有误：{detail}"),
                    en: detail,
                }])
                .into())
            }
        }
    }
}

/// A numeric id in the path; anything else is a resource that does not exist (404).
pub struct Id(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| Id(id))
            .map_err(|_| ApiError(AppError::NotFound))
    }
}

/// Two numeric ids in the path (`/reports/{id}/indicators/{enterprise_id}`); anything else is 404.
pub struct Ids(pub i64, pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<(i64, i64)>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path((a, b))| Ids(a, b))
            .map_err(|_| ApiError(AppError::NotFound))
    }
}
