//! One-stop services: the catalogue (`services`), requests (`service_requests`) with the steps
//! copied from their service (`service_request_steps`), and each provider's statistics.
//!
//! Every step of a request is a conditional update on the status it expects, so two people
//! answering at once end in one success and a conflict on `status`; a rating is a conditional
//! update on a completed request not yet rated, so a second rating (however concurrent) is a
//! conflict on `rating`. Each write keeps its audit entry (entity `service` or
//! `service_request`) in the same transaction.

use fruition_domain::attachment::AttachmentKind;
use fruition_domain::audit::AuditAction;
use fruition_domain::service::{ServiceAudience, ServiceCategory, ServiceRequestStatus};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A service with its provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Service {
    pub id: i64,
    pub provider_org_id: i64,
    pub provider_name: String,
    /// The provider's organisation kind (`bureau`, `carrier_operator`, `service_agency`).
    pub provider_kind: String,
    #[sqlx(try_from = "String")]
    pub category: ServiceCategory,
    pub title: String,
    pub description: String,
    #[sqlx(try_from = "String")]
    pub audience: ServiceAudience,
    /// Chain codes, comma-separated (for `chains`).
    pub audience_chains: String,
    /// One item a line.
    pub materials: String,
    pub response_hours: i64,
    /// One step a line, in order.
    pub steps: String,
    pub price_fen: i64,
    pub voucher_payable: bool,
    pub active: bool,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! service_select {
    () => {
        "SELECT s.id, s.provider_org_id, o.name AS provider_name, o.kind AS provider_kind, \
         s.category, s.title, s.description, s.audience, s.audience_chains, s.materials, \
         s.response_hours, s.steps, s.price_fen, s.voucher_payable, s.active, s.created_by, \
         s.created_at, s.updated_at \
         FROM services s JOIN organisations o ON o.id = s.provider_org_id"
    };
}

pub async fn get_service(db: &Db, id: i64) -> Result<Option<Service>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Service>(concat!(service_select!(), " WHERE s.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

async fn service_in(tx: &mut Tx, id: i64) -> Result<Service> {
    on_tx!(tx, c => sqlx::query_as::<_, Service>(concat!(service_select!(), " WHERE s.id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

/// Which services to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    pub category: Option<ServiceCategory>,
    pub provider_org_id: Option<i64>,
    /// Only free services.
    pub free: bool,
    /// Only services innovation vouchers may pay for.
    pub voucher_payable: bool,
    /// Words in the title or description.
    pub text: Option<String>,
    /// Inactive services too (a provider's own list, the bureau's).
    pub include_inactive: bool,
    pub limit: i64,
    pub offset: i64,
}

/// Services by category and title.
pub async fn list_services(db: &Db, f: &ServiceFilter) -> Result<Vec<Service>> {
    let like = f.text.as_deref().map(|t| {
        format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Service>(concat!(service_select!(),
        " WHERE ($1 IS NULL OR s.category = $1) AND ($2 IS NULL OR s.provider_org_id = $2) \
         AND ($3 = FALSE OR s.price_fen = 0) AND ($4 = FALSE OR s.voucher_payable) \
         AND ($5 IS NULL OR s.title LIKE $5 ESCAPE '\\' OR s.description LIKE $5 ESCAPE '\\') \
         AND ($6 = TRUE OR s.active) \
         ORDER BY s.category, s.title, s.id LIMIT $7 OFFSET $8"))
        .bind(f.category.map(|c| c.code()))
        .bind(f.provider_org_id)
        .bind(f.free)
        .bind(f.voucher_payable)
        .bind(&like)
        .bind(f.include_inactive)
        .bind(if f.limit > 0 { f.limit.min(10_000) } else { 200 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?,
    )
}

/// A service's terms as its provider writes them.
#[derive(Debug, Clone)]
pub struct ServiceTerms {
    pub category: ServiceCategory,
    pub title: String,
    pub description: String,
    pub audience: ServiceAudience,
    pub audience_chains: String,
    pub materials: String,
    pub response_hours: i64,
    pub steps: String,
    pub price_fen: i64,
    pub voucher_payable: bool,
}

pub async fn create_service(
    tx: &mut Tx,
    ctx: &AuditCtx,
    provider_org_id: i64,
    t: &ServiceTerms,
) -> Result<Service> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO services (provider_org_id, category, title, description, audience, audience_chains, \
         materials, response_hours, steps, price_fen, voucher_payable, active, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, TRUE, $12, $13, $13) RETURNING id")
        .bind(provider_org_id)
        .bind(t.category.code())
        .bind(&t.title)
        .bind(&t.description)
        .bind(t.audience.code())
        .bind(&t.audience_chains)
        .bind(&t.materials)
        .bind(t.response_hours)
        .bind(&t.steps)
        .bind(t.price_fen)
        .bind(t.voucher_payable)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let after = service_in(tx, id).await?;
    record_service(tx, ctx, None, &after, AuditAction::Create).await?;
    Ok(after)
}

pub async fn update_service(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    t: &ServiceTerms,
) -> Result<Service> {
    let before = service_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query(
        "UPDATE services SET category = $2, title = $3, description = $4, audience = $5, \
         audience_chains = $6, materials = $7, response_hours = $8, steps = $9, price_fen = $10, \
         voucher_payable = $11, updated_at = $12 WHERE id = $1")
        .bind(id)
        .bind(t.category.code())
        .bind(&t.title)
        .bind(&t.description)
        .bind(t.audience.code())
        .bind(&t.audience_chains)
        .bind(&t.materials)
        .bind(t.response_hours)
        .bind(&t.steps)
        .bind(t.price_fen)
        .bind(t.voucher_payable)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|_| ()))?;
    let after = service_in(tx, id).await?;
    record_service(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

pub async fn set_service_active(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    active: bool,
) -> Result<Service> {
    let before = service_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query("UPDATE services SET active = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(active)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|_| ()))?;
    let after = service_in(tx, id).await?;
    record_service(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

async fn record_service(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Service>,
    after: &Service,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "service",
            entity_id: after.id,
            org_id: Some(after.provider_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// A request with its service, its parties and its times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Request {
    pub id: i64,
    pub service_id: Option<i64>,
    pub service_title: Option<String>,
    pub provider_org_id: i64,
    pub provider_name: String,
    pub requester_org_id: i64,
    pub requester_name: String,
    pub enterprise_id: Option<i64>,
    pub carrier_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub category: ServiceCategory,
    pub need: String,
    #[sqlx(try_from = "String")]
    pub status: ServiceRequestStatus,
    pub requested_at: i64,
    pub due_at: i64,
    pub answered_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub decline_reason: Option<String>,
    pub charge_fen: Option<i64>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<i64>,
    pub created_by: Option<i64>,
    pub updated_at: i64,
}

macro_rules! request_select {
    () => {
        "SELECT r.id, r.service_id, s.title AS service_title, r.provider_org_id, \
         p.name AS provider_name, r.requester_org_id, q.name AS requester_name, r.enterprise_id, \
         r.carrier_id, r.category, r.need, r.status, r.requested_at, r.due_at, r.answered_at, \
         r.completed_at, r.decline_reason, r.charge_fen, r.rating, r.rating_comment, r.rated_at, \
         r.created_by, r.updated_at \
         FROM service_requests r JOIN organisations p ON p.id = r.provider_org_id \
         JOIN organisations q ON q.id = r.requester_org_id \
         LEFT JOIN services s ON s.id = r.service_id"
    };
}

pub async fn get_request(db: &Db, id: i64) -> Result<Option<Request>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Request>(concat!(request_select!(), " WHERE r.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

async fn request_in(tx: &mut Tx, id: i64) -> Result<Request> {
    on_tx!(tx, c => sqlx::query_as::<_, Request>(concat!(request_select!(), " WHERE r.id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

/// Claims up to `limit` requests waiting past their promised answer that nobody has been told
/// of yet, the longest waiting first: marks them told at `now` and returns them. Each mark is
/// conditional, so two servers sweeping at once never tell of the same request twice.
pub async fn claim_overdue(db: &Db, now: i64, limit: i64) -> Result<Vec<Request>> {
    let mut tx = db.begin().await?;
    let ids: Vec<i64> = on_tx!(&mut tx, c => sqlx::query_scalar(
        "SELECT id FROM service_requests WHERE status = 'requested' AND due_at < $1 \
         AND overdue_told_at IS NULL ORDER BY due_at, id LIMIT $2")
        .bind(now)
        .bind(limit)
        .fetch_all(c)
        .await)?;
    let mut claimed = Vec::with_capacity(ids.len());
    for id in ids {
        let marked = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE service_requests SET overdue_told_at = $2 WHERE id = $1 AND overdue_told_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if marked == 1 {
            claimed.push(request_in(&mut tx, id).await?);
        }
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Which requests to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// Only requests this organisation is party to (asked or answers).
    pub visible_to: Option<i64>,
    pub provider_org_id: Option<i64>,
    pub requester_org_id: Option<i64>,
    pub service_id: Option<i64>,
    pub status: Option<ServiceRequestStatus>,
    pub category: Option<ServiceCategory>,
    /// Only requests still waiting past their promised answer at this time.
    pub overdue_at: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Requests, the newest first.
pub async fn list_requests(db: &Db, f: &RequestFilter) -> Result<Vec<Request>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Request>(concat!(request_select!(),
        " WHERE ($1 IS NULL OR r.requester_org_id = $1 OR r.provider_org_id = $1) \
         AND ($2 IS NULL OR r.provider_org_id = $2) AND ($3 IS NULL OR r.requester_org_id = $3) \
         AND ($4 IS NULL OR r.service_id = $4) AND ($5 IS NULL OR r.status = $5) \
         AND ($6 IS NULL OR r.category = $6) \
         AND ($7 IS NULL OR (r.status = 'requested' AND r.due_at < $7)) \
         ORDER BY r.id DESC LIMIT $8 OFFSET $9"))
        .bind(f.visible_to)
        .bind(f.provider_org_id)
        .bind(f.requester_org_id)
        .bind(f.service_id)
        .bind(f.status.map(|s| s.code()))
        .bind(f.category.map(|c| c.code()))
        .bind(f.overdue_at)
        .bind(if f.limit > 0 { f.limit.min(100_000) } else { 200 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?,
    )
}

/// A request as the enterprise makes it (routed by the caller).
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub service_id: Option<i64>,
    pub provider_org_id: i64,
    pub requester_org_id: i64,
    pub enterprise_id: Option<i64>,
    pub carrier_id: Option<i64>,
    pub category: ServiceCategory,
    pub need: String,
    pub response_hours: i64,
    /// The service's steps, in order, copied so later changes to the service leave it as asked.
    pub steps: Vec<String>,
    /// When it was asked (the clock's now, or a demo's past time).
    pub requested_at: i64,
}

pub async fn create_request(tx: &mut Tx, ctx: &AuditCtx, n: &NewRequest) -> Result<Request> {
    let due = n.requested_at + n.response_hours * fruition_domain::service::HOUR_MS;
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO service_requests (service_id, provider_org_id, requester_org_id, enterprise_id, \
         carrier_id, category, need, status, requested_at, due_at, created_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9, $10, $8) RETURNING id")
        .bind(n.service_id)
        .bind(n.provider_org_id)
        .bind(n.requester_org_id)
        .bind(n.enterprise_id)
        .bind(n.carrier_id)
        .bind(n.category.code())
        .bind(&n.need)
        .bind(n.requested_at)
        .bind(due)
        .bind(ctx.actor_user_id)
        .fetch_one(c)
        .await)?;
    for (i, name) in n.steps.iter().enumerate() {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO service_request_steps (request_id, position, name) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(i as i64 + 1)
            .bind(name)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    let after = request_in(tx, id).await?;
    bump(tx, after.provider_org_id, [1, 0, 0, 0, 0, 0, 0, 0]).await?;
    record_request(tx, ctx, None, &after, AuditAction::Create).await?;
    Ok(after)
}

/// Adds to a provider's running totals (creating its row the first time), inside the caller's
/// transaction: [volume, answered, accepted, completed, response ms, rated, rating, answered late].
async fn bump(tx: &mut Tx, provider: i64, d: [i64; 8]) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO service_provider_totals (provider_org_id, volume, answered, accepted, completed, \
         response_ms_sum, rated, rating_sum, answered_late) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (provider_org_id) DO UPDATE SET \
         volume = service_provider_totals.volume + excluded.volume, \
         answered = service_provider_totals.answered + excluded.answered, \
         accepted = service_provider_totals.accepted + excluded.accepted, \
         completed = service_provider_totals.completed + excluded.completed, \
         response_ms_sum = service_provider_totals.response_ms_sum + excluded.response_ms_sum, \
         rated = service_provider_totals.rated + excluded.rated, \
         rating_sum = service_provider_totals.rating_sum + excluded.rating_sum, \
         answered_late = service_provider_totals.answered_late + excluded.answered_late")
        .bind(provider)
        .bind(d[0])
        .bind(d[1])
        .bind(d[2])
        .bind(d[3])
        .bind(d[4])
        .bind(d[5])
        .bind(d[6])
        .bind(d[7])
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// What a step written adds to the provider's totals.
fn step_totals(before: &Request, after: &Request) -> [i64; 8] {
    let mut d = [0; 8];
    if let (None, Some(at)) = (before.answered_at, after.answered_at) {
        d[1] = 1;
        d[4] = at - after.requested_at;
        d[7] = i64::from(at > after.due_at);
    }
    if before.status == ServiceRequestStatus::Requested
        && after.status == ServiceRequestStatus::Accepted
    {
        d[2] = 1;
    }
    if before.status != ServiceRequestStatus::Completed
        && after.status == ServiceRequestStatus::Completed
    {
        d[3] = 1;
    }
    if let (None, Some(stars)) = (before.rating, after.rating) {
        d[5] = 1;
        d[6] = stars;
    }
    d
}

async fn record_request(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Request>,
    after: &Request,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "service_request",
            entity_id: after.id,
            org_id: Some(after.requester_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// A file recorded with a step (without its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StepFile {
    pub id: i64,
    pub request_id: i64,
    pub position: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: AttachmentKind,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: i64,
}

/// The most files one request keeps (checked in the inserting statement).
pub const MAX_FILES_PER_REQUEST: i64 = 30;

macro_rules! step_file_columns {
    () => {
        "id, request_id, position, name, kind, size_bytes, sha256, uploaded_by, uploaded_at"
    };
}

/// A file to keep with step `position` of a request.
#[derive(Debug, Clone)]
pub struct NewStepFile<'a> {
    pub request_id: i64,
    pub position: i64,
    pub name: &'a str,
    pub kind: AttachmentKind,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub now: i64,
}

/// Keeps a file with a step of a request that is being worked or is done (accepted, in progress,
/// completed). A step the request lacks is not found; a request declined or withdrawn is a
/// conflict on `status`; one that holds [`MAX_FILES_PER_REQUEST`] files already, on `file` —
/// all checked in the inserting statement.
pub async fn add_step_file(tx: &mut Tx, ctx: &AuditCtx, f: &NewStepFile<'_>) -> Result<StepFile> {
    const SQL: &str = concat!(
        "INSERT INTO service_step_files (request_id, position, name, kind, size_bytes, sha256, content, uploaded_by, uploaded_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM service_request_steps t \
           JOIN service_requests r ON r.id = t.request_id WHERE t.request_id = $1 AND t.position = $2 \
           AND r.status IN ('accepted', 'in_progress', 'completed')) \
         AND (SELECT COUNT(*) FROM service_step_files WHERE request_id = $1) < $10 \
         RETURNING ",
        step_file_columns!()
    );
    let row = on_tx!(tx, c => sqlx::query_as::<_, StepFile>(SQL)
        .bind(f.request_id)
        .bind(f.position)
        .bind(f.name)
        .bind(f.kind.code())
        .bind(f.content.len() as i64)
        .bind(f.sha256)
        .bind(f.content)
        .bind(ctx.actor_user_id)
        .bind(f.now)
        .bind(MAX_FILES_PER_REQUEST)
        .fetch_optional(c)
        .await)?;
    let Some(file) = row else {
        let step: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
            "SELECT r.status FROM service_request_steps t JOIN service_requests r ON r.id = t.request_id \
             WHERE t.request_id = $1 AND t.position = $2")
            .bind(f.request_id)
            .bind(f.position)
            .fetch_optional(c)
            .await)?;
        return Err(match step.as_deref() {
            None => StoreError::NotFound,
            Some("accepted" | "in_progress" | "completed") => StoreError::Conflict {
                field: "file".into(),
            },
            Some(_) => StoreError::Conflict {
                field: "status".into(),
            },
        });
    };
    audit::record(
        tx,
        ctx,
        Change {
            entity: "service_step_file",
            entity_id: file.id,
            org_id: None,
            action: AuditAction::Create,
            before: None::<&StepFile>,
            after: Some(&file),
        },
    )
    .await?;
    Ok(file)
}

/// The files of a request, by step and in the order they came.
pub async fn step_files(db: &Db, request_id: i64) -> Result<Vec<StepFile>> {
    const SQL: &str = concat!(
        "SELECT ",
        step_file_columns!(),
        " FROM service_step_files WHERE request_id = $1 ORDER BY position, id"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, StepFile>(SQL).bind(request_id).fetch_all(p).await)?)
}

/// One file of a request with its content.
pub async fn step_file_content(
    db: &Db,
    request_id: i64,
    file_id: i64,
) -> Result<Option<(StepFile, Vec<u8>)>> {
    /// A file's row with its content, read together.
    #[derive(sqlx::FromRow)]
    struct WithContent {
        #[sqlx(flatten)]
        file: StepFile,
        content: Vec<u8>,
    }
    const SQL: &str = concat!(
        "SELECT ",
        step_file_columns!(),
        ", content FROM service_step_files WHERE request_id = $1 AND id = $2"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, WithContent>(SQL)
        .bind(request_id)
        .bind(file_id)
        .fetch_optional(p)
        .await)?
    .map(|r| (r.file, r.content)))
}

/// What a step writes besides the status (`None` keeps the value).
#[derive(Debug, Clone, Default)]
pub struct StepFields {
    pub answered_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub decline_reason: Option<String>,
    pub charge_fen: Option<i64>,
}

/// Moves a request from `from` to `to`, writing `f`, at `now`. A conflict on `status` when the
/// request is no longer in `from`. Completing also needs every step done (else a conflict on
/// `steps`), checked by the same statement.
pub async fn step(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: ServiceRequestStatus,
    to: ServiceRequestStatus,
    f: &StepFields,
    now: i64,
) -> Result<Request> {
    let before = request_in(tx, id).await?;
    let completing = to == ServiceRequestStatus::Completed;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE service_requests SET status = $3, answered_at = COALESCE($4, answered_at), \
         completed_at = COALESCE($5, completed_at), decline_reason = COALESCE($6, decline_reason), \
         charge_fen = COALESCE($7, charge_fen), updated_at = $8 \
         WHERE id = $1 AND status = $2 AND ($9 = FALSE OR NOT EXISTS \
         (SELECT 1 FROM service_request_steps t WHERE t.request_id = $1 AND t.done_at IS NULL))")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(f.answered_at)
        .bind(f.completed_at)
        .bind(&f.decline_reason)
        .bind(f.charge_fen)
        .bind(now)
        .bind(completing)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        let field = if completing && before.status == from {
            "steps"
        } else {
            "status"
        };
        return Err(StoreError::Conflict {
            field: field.into(),
        });
    }
    let after = request_in(tx, id).await?;
    bump(tx, after.provider_org_id, step_totals(&before, &after)).await?;
    record_request(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// A step of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RequestStepRow {
    pub position: i64,
    pub name: String,
    pub done_at: Option<i64>,
    pub note: Option<String>,
    pub done_by: Option<i64>,
}

pub async fn steps(db: &Db, request_id: i64) -> Result<Vec<RequestStepRow>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, RequestStepRow>(
        "SELECT position, name, done_at, note, done_by FROM service_request_steps \
         WHERE request_id = $1 ORDER BY position")
        .bind(request_id)
        .fetch_all(p)
        .await)?)
}

/// Marks step `position` done with `note` at `now`, while the request is accepted or in
/// progress (then in progress). A step already done is a conflict on `position`; a request no
/// longer being worked, on `status`; a position the request lacks is not found.
pub async fn record_step(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    position: i64,
    note: &str,
    now: i64,
) -> Result<Request> {
    let before = request_in(tx, id).await?;
    let done = on_tx!(tx, c => sqlx::query(
        "UPDATE service_request_steps SET done_at = $3, note = $4, done_by = $5 \
         WHERE request_id = $1 AND position = $2 AND done_at IS NULL \
         AND EXISTS (SELECT 1 FROM service_requests r WHERE r.id = $1 \
         AND r.status IN ('accepted', 'in_progress'))")
        .bind(id)
        .bind(position)
        .bind(now)
        .bind(note)
        .bind(ctx.actor_user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if done == 0 {
        let exists: Option<Option<i64>> = on_tx!(tx, c => sqlx::query_scalar(
            "SELECT done_at FROM service_request_steps WHERE request_id = $1 AND position = $2")
            .bind(id)
            .bind(position)
            .fetch_optional(c)
            .await)?;
        return Err(match exists {
            None => StoreError::NotFound,
            Some(Some(_)) => StoreError::Conflict {
                field: "position".into(),
            },
            Some(None) => StoreError::Conflict {
                field: "status".into(),
            },
        });
    }
    on_tx!(tx, c => sqlx::query(
        "UPDATE service_requests SET status = 'in_progress', updated_at = $2 \
         WHERE id = $1 AND status IN ('accepted', 'in_progress')")
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ()))?;
    let after = request_in(tx, id).await?;
    bump(tx, after.provider_org_id, step_totals(&before, &after)).await?;
    record_request(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// Rates a completed request once: the statement that writes refuses a request already rated
/// (a conflict on `rating`) or not completed (on `status`).
pub async fn rate(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    stars: i64,
    comment: &str,
    now: i64,
) -> Result<Request> {
    let before = request_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE service_requests SET rating = $2, rating_comment = $3, rated_at = $4, updated_at = $4 \
         WHERE id = $1 AND status = 'completed' AND rating IS NULL")
        .bind(id)
        .bind(stars)
        .bind(comment)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        let field = if before.rating.is_some() || before.status == ServiceRequestStatus::Completed {
            "rating"
        } else {
            "status"
        };
        return Err(StoreError::Conflict {
            field: field.into(),
        });
    }
    let after = request_in(tx, id).await?;
    bump(tx, after.provider_org_id, step_totals(&before, &after)).await?;
    record_request(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// One provider's figures over all its requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ProviderStats {
    pub provider_org_id: i64,
    pub provider_name: String,
    pub volume: i64,
    pub answered: i64,
    pub accepted: i64,
    pub completed: i64,
    /// Sum of (answered − requested) over answered requests, ms.
    pub response_ms_sum: Option<i64>,
    /// The middle one or two response times: their sum and count (median = sum / count).
    pub response_mid_sum: Option<i64>,
    pub response_mid_count: Option<i64>,
    pub completion_mid_sum: Option<i64>,
    pub completion_mid_count: Option<i64>,
    pub rated: i64,
    pub rating_sum: Option<i64>,
    /// Answered after the promise, or still waiting past it.
    pub overdue: i64,
    /// Still waiting past the promise now.
    pub overdue_now: i64,
}

/// The providers' figures statement, over the requests `$filter` picks (`$1` the provider, or
/// NULL for every provider; `$2` now). One text per filter, so each engine plans the one-provider
/// statement on the covering index (`$1 IS NULL OR provider_org_id = $1` would make SQLite scan).
macro_rules! provider_stats_sql {
    ($filter:literal) => {
        concat!(
            "WITH base AS (\
               SELECT provider_org_id, COUNT(*) AS volume, \
                 CAST(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS answered, \
                 CAST(SUM(CASE WHEN status IN ('accepted', 'in_progress', 'completed') THEN 1 ELSE 0 END) AS BIGINT) AS accepted, \
                 CAST(SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS BIGINT) AS completed, \
                 CAST(SUM(answered_at - requested_at) AS BIGINT) AS response_ms_sum, \
                 CAST(SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS rated, \
                 CAST(SUM(rating) AS BIGINT) AS rating_sum, \
                 CAST(SUM(CASE WHEN answered_at > due_at OR (status = 'requested' AND due_at < $2) THEN 1 ELSE 0 END) AS BIGINT) AS overdue, \
                 CAST(SUM(CASE WHEN status = 'requested' AND due_at < $2 THEN 1 ELSE 0 END) AS BIGINT) AS overdue_now \
               FROM service_requests WHERE ", $filter, " GROUP BY provider_org_id), \
             resp AS (\
               SELECT provider_org_id, answered_at - requested_at AS ms, \
                 ROW_NUMBER() OVER (PARTITION BY provider_org_id ORDER BY answered_at - requested_at) AS rn, \
                 COUNT(*) OVER (PARTITION BY provider_org_id) AS n \
               FROM service_requests WHERE answered_at IS NOT NULL AND ", $filter, "), \
             rmid AS (SELECT provider_org_id, CAST(SUM(ms) AS BIGINT) AS s, COUNT(*) AS c FROM resp \
               WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2 GROUP BY provider_org_id), \
             comp AS (\
               SELECT provider_org_id, completed_at - requested_at AS ms, \
                 ROW_NUMBER() OVER (PARTITION BY provider_org_id ORDER BY completed_at - requested_at) AS rn, \
                 COUNT(*) OVER (PARTITION BY provider_org_id) AS n \
               FROM service_requests WHERE completed_at IS NOT NULL AND ", $filter, "), \
             cmid AS (SELECT provider_org_id, CAST(SUM(ms) AS BIGINT) AS s, COUNT(*) AS c FROM comp \
               WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2 GROUP BY provider_org_id) \
             SELECT b.provider_org_id, o.name AS provider_name, b.volume, b.answered, b.accepted, \
               b.completed, b.response_ms_sum, rmid.s AS response_mid_sum, rmid.c AS response_mid_count, \
               cmid.s AS completion_mid_sum, cmid.c AS completion_mid_count, b.rated, b.rating_sum, \
               b.overdue, b.overdue_now \
             FROM base b JOIN organisations o ON o.id = b.provider_org_id \
             LEFT JOIN rmid ON rmid.provider_org_id = b.provider_org_id \
             LEFT JOIN cmid ON cmid.provider_org_id = b.provider_org_id \
             ORDER BY b.volume DESC, o.name"
        )
    };
}

/// One provider's figures in one statement: the counts and sums over the covering index, and the
/// medians from the middle rows of its sorted response and completion times (window functions
/// both engines have). Every provider's (`None`): the running totals kept with each write, one
/// row per provider, without the medians.
pub async fn provider_stats(
    db: &Db,
    provider: Option<i64>,
    now: i64,
) -> Result<Vec<ProviderStats>> {
    let sql = if provider.is_some() {
        provider_stats_sql!("provider_org_id = $1")
    } else {
        // Every provider: the running totals, one row each, and the requests waiting past
        // their promise now (through `service_requests_waiting_idx`); no medians.
        "SELECT t.provider_org_id, o.name AS provider_name, t.volume, t.answered, t.accepted, \
         t.completed, t.response_ms_sum, CAST(NULL AS BIGINT) AS response_mid_sum, \
         CAST(NULL AS BIGINT) AS response_mid_count, CAST(NULL AS BIGINT) AS completion_mid_sum, \
         CAST(NULL AS BIGINT) AS completion_mid_count, t.rated, t.rating_sum, \
         t.answered_late + COALESCE(w.n, 0) AS overdue, COALESCE(w.n, 0) AS overdue_now \
         FROM service_provider_totals t JOIN organisations o ON o.id = t.provider_org_id \
         LEFT JOIN (SELECT provider_org_id, COUNT(*) AS n FROM service_requests \
           WHERE status = 'requested' AND due_at < $2 GROUP BY provider_org_id) w \
           ON w.provider_org_id = t.provider_org_id \
         WHERE $1 IS NULL AND t.volume > 0 ORDER BY t.volume DESC, o.name"
    };
    Ok(on_db!(db, p => sqlx::query_as::<_, ProviderStats>(sql)
        .bind(provider)
        .bind(now)
        .fetch_all(p)
        .await)?)
}

/// The carrier incubating the enterprise now (its open spell), with its operator.
pub async fn incubating_carrier(db: &Db, enterprise_id: i64) -> Result<Option<(i64, i64)>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, i64)>(
        "SELECT c.id, c.operator_org_id FROM incubations i JOIN carriers c ON c.id = i.carrier_id \
         WHERE i.enterprise_id = $1 AND i.exited_on IS NULL")
        .bind(enterprise_id)
        .fetch_optional(p)
        .await)?)
}

/// The enterprise record of an organisation (id and chain), if it has one.
pub async fn enterprise_of(db: &Db, org_id: i64) -> Result<Option<(i64, Option<String>)>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, Option<String>)>(
        "SELECT id, chain_code FROM enterprises WHERE org_id = $1 ORDER BY id LIMIT 1")
        .bind(org_id)
        .fetch_optional(p)
        .await)?)
}
