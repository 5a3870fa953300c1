//! The alliance's members and their roles (the bureau admits, sets roles and removes), notices
//! to the members (the bureau or the chair posts; the members' users read, and their carrier
//! managers get an inbox notice), and what members offer each other (场地、设备、导师、课程) with
//! the interest others show, which tells the offerer.

use fruition_domain::alliance::{MemberRole, OfferKind};
use fruition_domain::authz::Action;
use fruition_domain::date::IsoDate;
use fruition_domain::echo;
use fruition_domain::lang::Lang;
use fruition_store::alliance::members::{self as store, Member, NewOffer, Notice, Offer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{optional_text, problems_or, refused, text};
use crate::clock::{local_time, rfc3339, today};
use crate::error::{AppError, Problem};
use crate::inbox::{self, Notice as InboxNotice};
use crate::{App, Ctx};

/// A member carrier.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    pub operator_name: String,
    pub role: MemberRole,
    pub role_label: String,
    pub joined_on: String,
}

impl MemberView {
    fn new(m: Member) -> MemberView {
        MemberView {
            role_label: m.role.label(Lang::ZhCn).into(),
            carrier_id: m.carrier_id,
            carrier_name: m.carrier_name,
            operator_org_id: m.operator_org_id,
            operator_name: m.operator_name,
            role: m.role,
            joined_on: m.joined_on,
        }
    }
}

/// A notice to the members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllianceNoticeView {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Who posted it (the bureau or the chair's operator).
    pub org_name: String,
    pub posted_at: String,
    /// China time, `2024-05-18 14:30`.
    pub posted_local: String,
}

impl AllianceNoticeView {
    fn new(n: Notice) -> AllianceNoticeView {
        AllianceNoticeView {
            posted_at: rfc3339(n.created_at),
            posted_local: local_time(n.created_at),
            id: n.id,
            title: n.title,
            body: n.body,
            org_name: n.org_name,
        }
    }
}

/// What a member offers the others.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferView {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub kind: OfferKind,
    pub kind_label: String,
    pub title: String,
    pub description: String,
    pub contact: String,
    /// How many members have shown interest.
    pub interest: i64,
    /// Whether the caller may show interest in it.
    pub can_show_interest: bool,
}

/// The alliance as the caller sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllianceHome {
    pub members: Vec<MemberView>,
    /// The latest notices (empty for those who may not read them).
    pub notices: Vec<AllianceNoticeView>,
    pub offers: Vec<OfferView>,
    /// Whether the caller's organisation operates a member carrier.
    pub is_member: bool,
    pub can_read_notices: bool,
    pub can_post_notice: bool,
    /// Whether the caller admits members and sets their roles (the bureau).
    pub can_manage: bool,
    /// The member carriers the caller may act for (offer, organise events).
    pub acts_for: Vec<MemberView>,
}

/// A carrier admitted to the alliance.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    pub carrier_id: i64,
    #[schema(value_type = MemberRole)]
    pub role: String,
    /// Default today.
    #[serde(default)]
    pub joined_on: Option<String>,
}

/// A member's new role.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRoleInput {
    #[schema(value_type = MemberRole)]
    pub role: String,
}

/// A notice to the members.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllianceNoticeInput {
    pub title: String,
    pub body: String,
}

/// A member's offer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// The member carrier offering it.
    pub carrier_id: i64,
    #[schema(value_type = OfferKind)]
    pub kind: String,
    pub title: String,
    pub description: String,
    /// Whom to call or write to.
    pub contact: String,
}

/// Interest in an offer, with an optional word to the offerer.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestInput {
    #[serde(default)]
    pub note: Option<String>,
}

fn may_read(ctx: &Ctx<'_>, member: bool) -> bool {
    ctx.require(Action::ReadAllianceNotices { member }).is_ok()
}

/// Members, notices (for members and the bureau) and offers.
pub async fn home(state: &App, ctx: &Ctx<'_>) -> Result<AllianceHome, AppError> {
    let org = ctx.principal.user.org_id;
    let members = store::list(&state.db).await?;
    let is_member = members.iter().any(|m| m.operator_org_id == org);
    let can_read_notices = may_read(ctx, is_member);
    let notices = if can_read_notices {
        store::notices(&state.db, 20).await?
    } else {
        Vec::new()
    };
    let chair = store::chair_operator(&state.db).await?;
    let can_post_notice = ctx
        .require(Action::PostAllianceNotice {
            chair_operator_org_id: chair,
        })
        .is_ok();
    let offers = store::offers(&state.db).await?;
    let offers = offers
        .into_iter()
        .map(|o| offer_view(ctx, o, is_member))
        .collect();
    let acts_for = members
        .iter()
        .filter(|m| {
            ctx.require(Action::ActForMember {
                operator_org_id: m.operator_org_id,
            })
            .is_ok()
        })
        .cloned()
        .map(MemberView::new)
        .collect();
    Ok(AllianceHome {
        members: members.into_iter().map(MemberView::new).collect(),
        notices: notices.into_iter().map(AllianceNoticeView::new).collect(),
        offers,
        is_member,
        can_read_notices,
        can_post_notice,
        can_manage: ctx.require(Action::ManageAlliance).is_ok(),
        acts_for,
    })
}

fn offer_view(ctx: &Ctx<'_>, o: Offer, is_member: bool) -> OfferView {
    OfferView {
        kind_label: o.kind.label(Lang::ZhCn).into(),
        can_show_interest: ctx
            .require(Action::ShowInterest {
                offerer_org_id: o.operator_org_id,
                member: is_member,
            })
            .is_ok(),
        id: o.id,
        carrier_id: o.carrier_id,
        carrier_name: o.carrier_name,
        kind: o.kind,
        title: o.title,
        description: o.description,
        contact: o.contact,
        interest: o.interest,
    }
}

fn role_of(problems: &mut Vec<Problem>, input: &str) -> Option<MemberRole> {
    let r = MemberRole::parse(input.trim());
    if r.is_none() {
        problems.push(Problem {
            field: "role".into(),
            zh: format!(
                "未知的成员角色“{}”，应为 chair、vice_chair 或 member",
                echo(input)
            ),
            en: format!(
                "Unknown member role “{}”: chair, vice_chair or member",
                echo(input)
            ),
        });
    }
    r
}

/// Admits a carrier (the bureau).
pub async fn admit(
    state: &App,
    ctx: &Ctx<'_>,
    input: &MemberInput,
) -> Result<MemberView, AppError> {
    ctx.require(Action::ManageAlliance)?;
    let mut problems = Vec::new();
    let role = role_of(&mut problems, &input.role);
    let joined_on = match input
        .joined_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Some(today()),
        Some(s) => match IsoDate::parse_field(s, "joined_on") {
            Ok(d) => Some(d.to_string()),
            Err(e) => {
                problems.push(e.into());
                None
            }
        },
    };
    if fruition_store::carriers::get(&state.db, input.carrier_id)
        .await?
        .is_none()
    {
        problems.push(Problem {
            field: "carrier_id".into(),
            zh: "没有这个载体".into(),
            en: "There is no such carrier".into(),
        });
    }
    let (role, joined_on) = problems_or(problems, role.zip(joined_on))?;
    let mut tx = state.db.begin().await?;
    let m = store::admit(&mut tx, &ctx.audit(), input.carrier_id, role, &joined_on)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    Ok(MemberView::new(m))
}

/// Sets a member's role (the bureau).
pub async fn set_role(
    state: &App,
    ctx: &Ctx<'_>,
    carrier_id: i64,
    input: &MemberRoleInput,
) -> Result<MemberView, AppError> {
    ctx.require(Action::ManageAlliance)?;
    store::get(&state.db, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut problems = Vec::new();
    let role = role_of(&mut problems, &input.role);
    let role = problems_or(problems, role)?;
    let mut tx = state.db.begin().await?;
    let m = store::set_role(&mut tx, &ctx.audit(), carrier_id, role)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    Ok(MemberView::new(m))
}

/// Removes a member (the bureau).
pub async fn remove(state: &App, ctx: &Ctx<'_>, carrier_id: i64) -> Result<MemberView, AppError> {
    ctx.require(Action::ManageAlliance)?;
    store::get(&state.db, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let m = store::remove(&mut tx, &ctx.audit(), carrier_id).await?;
    tx.commit().await?;
    Ok(MemberView::new(m))
}

/// Posts a notice (the bureau or the chair's operator); every member's carrier managers get it
/// in their inbox.
pub async fn post_notice(
    state: &App,
    ctx: &Ctx<'_>,
    input: &AllianceNoticeInput,
) -> Result<AllianceNoticeView, AppError> {
    let chair = store::chair_operator(&state.db).await?;
    ctx.require(Action::PostAllianceNotice {
        chair_operator_org_id: chair,
    })?;
    let mut problems = Vec::new();
    let title = text(
        &mut problems,
        "title",
        &input.title,
        100,
        "标题",
        "The title",
    );
    let body = text(&mut problems, "body", &input.body, 5000, "正文", "The text");
    problems_or(problems, Some(()))?;
    let mut tx = state.db.begin().await?;
    let n = store::post_notice(
        &mut tx,
        &ctx.audit(),
        &title,
        &body,
        ctx.principal.user.org_id,
    )
    .await?;
    tx.commit().await?;
    let orgs = store::member_orgs(&state.db).await?;
    inbox::tell(
        state,
        &orgs,
        InboxNotice {
            kind: crate::inbox::InboxKind::Alliance,
            title: format!("联盟通知：{}", n.title),
            body: format!("{}发布", n.org_name),
            link: Some("/alliance".into()),
            ref_key: format!("alliance-notice:{}", n.id),
        },
    )
    .await;
    Ok(AllianceNoticeView::new(n))
}

/// Offers something to the other members, for a member carrier the caller acts for.
pub async fn offer(state: &App, ctx: &Ctx<'_>, input: &OfferInput) -> Result<OfferView, AppError> {
    let member = store::get(&state.db, input.carrier_id).await?;
    let Some(member) = member else {
        return Err(AppError::Invalid(vec![Problem {
            field: "carrier_id".into(),
            zh: "该载体不是联盟成员单位".into(),
            en: "This carrier is not a member of the alliance".into(),
        }]));
    };
    ctx.require(Action::ActForMember {
        operator_org_id: member.operator_org_id,
    })?;
    let mut problems = Vec::new();
    let kind = OfferKind::parse(input.kind.trim());
    if kind.is_none() {
        problems.push(Problem {
            field: "kind".into(),
            zh: format!(
                "未知的资源类型“{}”，应为场地、设备、导师、课程或其他",
                echo(&input.kind)
            ),
            en: format!("Unknown kind of offer “{}”", echo(&input.kind)),
        });
    }
    let title = text(
        &mut problems,
        "title",
        &input.title,
        100,
        "名称",
        "The title",
    );
    let description = text(
        &mut problems,
        "description",
        &input.description,
        2000,
        "说明",
        "The description",
    );
    let contact = text(
        &mut problems,
        "contact",
        &input.contact,
        100,
        "联系方式",
        "The contact",
    );
    let kind = problems_or(problems, kind)?;
    let mut tx = state.db.begin().await?;
    let o = store::insert_offer(
        &mut tx,
        &ctx.audit(),
        &NewOffer {
            carrier_id: input.carrier_id,
            kind,
            title,
            description,
            contact,
        },
    )
    .await?;
    tx.commit().await?;
    let is_member = store::is_member_org(&state.db, ctx.principal.user.org_id).await?;
    Ok(offer_view(ctx, o, is_member))
}

/// Shows the caller's organisation's interest in another member's offer; the offerer's users
/// are told.
pub async fn show_interest(
    state: &App,
    ctx: &Ctx<'_>,
    offer_id: i64,
    input: &InterestInput,
) -> Result<OfferView, AppError> {
    let o = store::offer(&state.db, offer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_member = store::is_member_org(&state.db, ctx.principal.user.org_id).await?;
    ctx.require(Action::ShowInterest {
        offerer_org_id: o.operator_org_id,
        member: is_member,
    })?;
    let mut problems = Vec::new();
    let note = optional_text(&mut problems, "note", input.note.as_deref(), 500);
    problems_or(problems, Some(()))?;
    let mut tx = state.db.begin().await?;
    store::show_interest(
        &mut tx,
        &ctx.audit(),
        offer_id,
        ctx.principal.user.org_id,
        &note,
    )
    .await
    .map_err(|e| match e {
        fruition_store::StoreError::Conflict { .. } => AppError::Conflict {
            field: "offer_id".into(),
            zh: "贵单位已对该资源表示过意向".into(),
            en: "Your organisation has shown interest in this offer already".into(),
        },
        e => e.into(),
    })?;
    tx.commit().await?;
    inbox::tell(
        state,
        &[o.operator_org_id],
        InboxNotice {
            kind: crate::inbox::InboxKind::Alliance,
            title: format!("{}对“{}”有意向", ctx.principal.org_name, o.title),
            body: if note.is_empty() {
                format!("联系人：{}", ctx.principal.user.display_name)
            } else {
                format!("{}（{}）", note, ctx.principal.user.display_name)
            },
            link: Some("/alliance".into()),
            ref_key: format!(
                "alliance-interest:{}:{}",
                offer_id, ctx.principal.user.org_id
            ),
        },
    )
    .await;
    let o = store::offer(&state.db, offer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(offer_view(ctx, o, is_member))
}
