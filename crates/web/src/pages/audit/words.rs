//! The audit log in words: "将创新券 CXQ2026-000003 的余额由 1,000.00 元改为 800.00 元", in the
//! reader's language, with China time and the record's business number or name, instead of the
//! JSON the log keeps. Total: any entry (any JSON, or none) reads as a sentence.

use fruition_domain::audit::AuditAction;
use fruition_domain::lang::Lang;
use fruition_domain::money::yuan;
use fruition_store::audit::AuditEntry;
use serde_json::{Map, Value};

use crate::i18n;

/// What each kind of record is called: (code, Chinese, English, the prefix of its business
/// number, if it has one).
const ENTITIES: &[(&str, &str, &str, Option<&str>)] = &[
    ("alliance_event", "联盟活动", "alliance event", None),
    ("alliance_member", "联盟成员", "alliance member", None),
    ("alliance_notice", "联盟通知", "alliance notice", None),
    ("alliance_offer", "联盟共享资源", "alliance offer", None),
    (
        "alliance_offer_interest",
        "共享资源意向",
        "interest in an offer",
        None,
    ),
    (
        "alliance_registration",
        "活动报名",
        "event registration",
        None,
    ),
    ("api_token", "API 令牌", "API token", None),
    ("bill", "账单", "bill", Some("ZS")),
    ("bill_payment", "账单付款", "bill payment", None),
    ("booking", "预约", "booking", None),
    ("campaign_contact", "需求征集走访", "campaign visit", None),
    ("campaign_need", "征集的需求", "collected need", None),
    ("carrier", "载体", "carrier", None),
    ("carrier_rating", "载体认定", "carrier rating", None),
    ("carrier_report", "载体年报", "carrier yearly report", None),
    ("chain", "产业链", "industrial chain", None),
    (
        "contract_submission",
        "技术合同登记申请",
        "contract submission",
        None,
    ),
    (
        "credit_bank_risk",
        "合作银行风险状态",
        "bank risk status",
        None,
    ),
    ("credit_claim", "风险补偿申请", "compensation claim", None),
    ("credit_exclusion", "负面清单事项", "exclusion", None),
    (
        "credit_innovation_points",
        "创新积分",
        "innovation points",
        None,
    ),
    ("credit_policy", "风险补偿政策", "risk-pool policy", None),
    ("credit_rescore", "信用重新评分", "credit rescoring", None),
    ("credit_scorecard", "信用评分卡", "scorecard", None),
    ("deal", "交易", "deal", None),
    ("deal_message", "交易留言", "deal message", None),
    ("deal_terms", "交易条款", "deal terms", None),
    ("enterprise", "企业", "enterprise", None),
    (
        "enterprise_indicators",
        "企业年度指标",
        "enterprise's yearly figures",
        None,
    ),
    (
        "equity_grant",
        "先投后股项目",
        "invest-then-equity project",
        None,
    ),
    (
        "equity_grant_milestone",
        "先投后股节点",
        "project milestone",
        None,
    ),
    (
        "evaluation_results",
        "载体评价结果",
        "evaluation result",
        None,
    ),
    ("evaluation_rounds", "载体评价", "evaluation round", None),
    ("fund", "基金", "fund", None),
    ("incubation", "在孵记录", "incubation", None),
    ("investment", "投资", "investment", None),
    ("investment_exit", "投资退出", "exit", None),
    ("listing", "成果或需求", "listing", None),
    (
        "loan",
        "知识价值信用贷款",
        "knowledge-value loan",
        Some("ZSD"),
    ),
    ("maintenance_block", "停用时段", "maintenance block", None),
    ("match_feedback", "推荐反馈", "suggestion verdict", None),
    ("mentor", "创业导师", "mentor", None),
    ("mentoring_session", "辅导记录", "mentoring session", None),
    ("mentorship", "导师结对", "mentorship", None),
    ("need_campaign", "需求征集活动", "need campaign", None),
    ("org_application", "入驻申请", "application to join", None),
    ("organisation", "机构", "organisation", None),
    ("pool_funder", "风险池出资方", "pool funder", None),
    (
        "report_deadline",
        "年度年报报送截止日期",
        "reports' deadline",
        None,
    ),
    ("resource", "中试与仪器资源", "resource", None),
    ("saved_search", "订阅的检索", "saved search", None),
    ("service", "服务项目", "service", None),
    ("service_request", "服务申请", "service request", None),
    ("service_step_file", "服务环节附件", "step file", None),
    ("sign_in", "账号", "account", None),
    ("spinoff_path", "裂变路径", "spin-off path", None),
    ("spinoff_project", "裂变项目", "spin-off project", None),
    (
        "staff_certificate",
        "从业人员证书",
        "staff certificate",
        None,
    ),
    ("tech_contract", "技术合同", "technology contract", None),
    ("training_course", "培训课程", "training course", None),
    ("training_record", "培训记录", "training record", None),
    ("user", "用户", "user", None),
    ("voucher", "创新券", "voucher", Some("CXQ")),
    ("voucher_claim", "创新券兑付申请", "voucher claim", None),
    ("zone", "园区", "zone", None),
];

/// A kind of record by its code: its name in `lang` and its number's prefix (an unknown kind
/// reads as its code).
fn entity(code: &str, lang: Lang) -> (String, Option<&'static str>) {
    ENTITIES.iter().find(|(c, ..)| *c == code).map_or_else(
        || (code.to_string(), None),
        |(_, zh, en, prefix)| (lang.pick(zh, en).to_string(), *prefix),
    )
}

/// Every kind of record the log names, for the page's filter: (code, name).
pub fn entities(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = ENTITIES
        .iter()
        .filter(|(c, ..)| *c != "sign_in")
        .map(|(c, zh, en, _)| (*c, lang.pick(zh, en)))
        .collect();
    v.sort_by_key(|(_, name)| *name);
    v
}

/// Fields no reader needs in a sentence (they change with every write).
const QUIET: &[&str] = &["id", "updated_at", "version", "search_text"];

/// What a field is called: the interface's word for it where there is one, else a word of the
/// log's own (`audit_field_<name>`), else its code.
fn field_label(field: &str, lang: Lang) -> String {
    let own = format!("audit_field_{field}");
    i18n::lookup(&own)
        .or_else(|| i18n::lookup(field))
        .or_else(|| field.strip_suffix("_fen").and_then(i18n::lookup))
        .map_or_else(
            || field.to_string(),
            |(zh, en)| lang.pick(zh, en).to_string(),
        )
}

/// A status or kind code in words, where the record's vocabulary knows it.
fn code_label(entity: &str, field: &str, code: &str, lang: Lang) -> Option<&'static str> {
    use fruition_domain as d;
    match (entity, field) {
        ("carrier_report", "status") => d::report::ReportStatus::parse(code).map(|s| s.label(lang)),
        ("listing", "status") => d::market::ListingStatus::parse(code).map(|s| s.label(lang)),
        ("deal", "status") => d::deal::DealStatus::parse(code).map(|s| s.label(lang)),
        ("booking", "status") => d::pilot::BookingStatus::parse(code).map(|s| s.label(lang)),
        ("loan", "status") => d::loan::LoanStatus::parse(code).map(|s| s.label(lang)),
        ("service_request", "status") => {
            d::service::ServiceRequestStatus::parse(code).map(|s| s.label(lang))
        }
        ("contract_submission", "status") => {
            d::contract::SubmissionStatus::parse(code).map(|s| s.label(lang))
        }
        ("voucher_claim", "status") => d::voucher::ClaimStatus::parse(code).map(|s| s.label(lang)),
        ("carrier", "status") => d::carrier::CarrierStatus::parse(code).map(|s| s.label(lang)),
        ("carrier", "kind") => d::carrier::CarrierKind::parse(code).map(|s| s.label(lang)),
        ("equity_grant", "status") => {
            d::equity_grant::GrantStatus::parse(code).map(|s| s.label(lang))
        }
        ("fund", "status") => d::fund::FundStatus::parse(code).map(|s| s.label(lang)),
        ("need_campaign", "status") => {
            d::campaign::CampaignStatus::parse(code).map(|s| s.label(lang))
        }
        ("alliance_event", "status") => {
            d::alliance::EventStatus::parse(code).map(|s| s.label(lang))
        }
        ("alliance_registration", "status") => {
            d::alliance::RegistrationStatus::parse(code).map(|s| s.label(lang))
        }
        ("evaluation_rounds", "status") => {
            d::evaluation::RoundStatus::parse(code).map(|s| s.label(lang))
        }
        ("credit_claim", "status") => {
            d::pool::CompensationStatus::parse(code).map(|s| s.label(lang))
        }
        (_, "role") => d::org::Role::parse(code).map(|s| s.label(lang)),
        ("organisation" | "org_application", "kind") => {
            d::org::OrgKind::parse(code).map(|s| s.label(lang))
        }
        _ => None,
    }
}

/// A value as a person reads it: money in 元, times in China time, codes in words, long texts cut.
fn value_words(entity: &str, field: &str, v: &Value, lang: Lang) -> String {
    const LONG: usize = 60;
    match v {
        Value::Null => lang.pick("空", "empty").to_string(),
        Value::Bool(true) => lang.pick("是", "yes").to_string(),
        Value::Bool(false) => lang.pick("否", "no").to_string(),
        Value::Number(n) => {
            let Some(i) = n.as_i64() else {
                return n.to_string();
            };
            if field.ends_with("_fen") {
                format!("{} {}", yuan(i), lang.pick("元", "yuan"))
            } else if field.ends_with("_k") {
                format!("{i} {}", lang.pick("千元", "thousand yuan"))
            } else if field.ends_with("_at") && i > 100_000_000_000 {
                fruition_app::clock::local_time(i)
            } else {
                i.to_string()
            }
        }
        Value::String(s) => {
            if let Some(label) = code_label(entity, field, s, lang) {
                return label.to_string();
            }
            cut(s, LONG)
        }
        Value::Array(items) => {
            let words: Vec<String> = items
                .iter()
                .map(|x| value_words(entity, field, x, lang))
                .collect();
            cut(&words.join(lang.pick("、", ", ")), LONG)
        }
        Value::Object(m) => cut(&Value::Object(m.clone()).to_string(), LONG),
    }
}

/// At most `max` characters, with "…" where cut.
fn cut(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

fn object(json: Option<&str>) -> Option<Map<String, Value>> {
    json.and_then(|s| serde_json::from_str::<Value>(s).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
}

/// How the record is named: its business number, else its name or title, else its id.
fn made_numbered(entity: &str) -> Option<fruition_domain::numbers::Numbered> {
    use fruition_domain::numbers::Numbered;
    match entity {
        "booking" => Some(Numbered::Booking),
        "deal" => Some(Numbered::Deal),
        "voucher_claim" => Some(Numbered::VoucherClaim),
        "credit_claim" => Some(Numbered::CompensationClaim),
        "service_request" => Some(Numbered::ServiceRequest),
        _ => None,
    }
}

fn subject(
    entity: &str,
    prefix: Option<&str>,
    id: &str,
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
    lang: Lang,
) -> String {
    let read = |k: &str| {
        after
            .and_then(|m| m.get(k))
            .or_else(|| before.and_then(|m| m.get(k)))
    };
    if let Some(n) = read("number").and_then(Value::as_str) {
        return n.to_string();
    }
    if entity == "report_deadline"
        && let Some(year) = read("year").and_then(Value::as_i64)
    {
        return match lang {
            Lang::ZhCn => format!("{year} 年度"),
            Lang::En => format!("year {year}"),
        };
    }
    if let (Some(p), Some(year), Ok(id)) = (
        prefix,
        read("year").and_then(Value::as_i64),
        id.parse::<i64>(),
    ) {
        return format!("{p}{year}-{id:06}");
    }
    // Records numbered by the year they were made in (预约 YY…, 交易 JY…, 兑付 DF…, 补偿 BC…,
    // 服务申请 FW…).
    if let (Some(k), Some(at), Ok(id)) = (
        made_numbered(entity),
        read("created_at").and_then(Value::as_i64),
        id.parse::<i64>(),
    ) {
        return k.number_at(at, id);
    }
    for k in [
        "registration_no",
        "name",
        "title",
        "display_name",
        "login",
        "service_title",
    ] {
        if let Some(s) = read(k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
        {
            let s = cut(s, 40);
            return match lang {
                Lang::ZhCn => format!("「{s}」"),
                Lang::En => format!("“{s}”"),
            };
        }
    }
    format!("#{id}")
}

/// An entry as one sentence in `lang`.
pub fn sentence(e: &AuditEntry, lang: Lang) -> String {
    let (what, prefix) = entity(&e.entity, lang);
    let before = object(e.before_json.as_deref());
    let after = object(e.after_json.as_deref());
    let name = subject(
        &e.entity,
        prefix,
        &e.entity_id,
        before.as_ref(),
        after.as_ref(),
        lang,
    );
    let zh = lang == Lang::ZhCn;
    match e.action {
        AuditAction::Create => {
            if zh {
                format!("新增{what} {name}")
            } else {
                format!("Created {what} {name}")
            }
        }
        AuditAction::Delete => {
            if zh {
                format!("删除{what} {name}")
            } else {
                format!("Deleted {what} {name}")
            }
        }
        AuditAction::Remind => {
            if zh {
                format!("就{what} {name}发出提醒")
            } else {
                format!("Sent a reminder about {what} {name}")
            }
        }
        AuditAction::SignIn => lang.pick("登录成功", "Signed in").to_string(),
        AuditAction::SignInFailed => {
            format!(
                "{}（{}）",
                lang.pick("登录失败", "Failed sign-in"),
                e.entity_id
            )
        }
        AuditAction::SignInThrottled => {
            format!(
                "{}（{}）",
                lang.pick("登录尝试过多，已暂停", "Sign-in throttled"),
                e.entity_id
            )
        }
        AuditAction::Update => {
            let changes = changes(&e.entity, before.as_ref(), after.as_ref(), lang);
            match (zh, changes.is_empty()) {
                (true, true) => format!("修改{what} {name}"),
                (false, true) => format!("Changed {what} {name}"),
                (true, false) => format!(
                    "将{what} {name} 的{}",
                    changes
                        .iter()
                        .map(|(f, b, a)| format!("{f}由 {b} 改为 {a}"))
                        .collect::<Vec<_>>()
                        .join("，")
                ),
                (false, false) => format!(
                    "Changed {what} {name}: {}",
                    changes
                        .iter()
                        .map(|(f, b, a)| format!("{f} from {b} to {a}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            }
        }
    }
}

/// The fields an update changed: (field's name, before, after), in the record's field order.
fn changes(
    entity: &str,
    before: Option<&Map<String, Value>>,
    after: Option<&Map<String, Value>>,
    lang: Lang,
) -> Vec<(String, String, String)> {
    let (Some(before), Some(after)) = (before, after) else {
        return Vec::new();
    };
    let null = Value::Null;
    let mut keys: Vec<&String> = after.keys().collect();
    keys.extend(before.keys().filter(|k| !after.contains_key(*k)));
    keys.into_iter()
        .filter(|k| !QUIET.contains(&k.as_str()))
        .filter_map(|k| {
            let b = before.get(k).unwrap_or(&null);
            let a = after.get(k).unwrap_or(&null);
            (b != a).then(|| {
                (
                    field_label(k, lang),
                    value_words(entity, k, b, lang),
                    value_words(entity, k, a, lang),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(
        entity: &str,
        id: &str,
        action: AuditAction,
        before: Option<&str>,
        after: Option<&str>,
    ) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: 1_733_000_000_000,
            actor_user_id: Some(1),
            actor_login: "admin".into(),
            actor_org_id: Some(1),
            entity: entity.into(),
            entity_id: id.into(),
            action,
            org_id: None,
            before_json: before.map(str::to_string),
            after_json: after.map(str::to_string),
            ip: None,
        }
    }

    #[test]
    fn a_voucher_balance_change_reads_as_the_bureau_would_write_it() {
        let e = entry(
            "voucher",
            "3",
            AuditAction::Update,
            Some(r#"{"id":3,"year":2026,"balance_fen":100000,"updated_at":1}"#),
            Some(r#"{"id":3,"year":2026,"balance_fen":80000,"updated_at":2}"#),
        );
        let s = sentence(&e, Lang::ZhCn);
        assert!(s.starts_with("将创新券 CXQ2026-000003 的"), "{s}");
        assert!(s.contains("由 1,000.00 元 改为 800.00 元"), "{s}");
        assert!(!s.contains("updated_at") && !s.contains('{'), "{s}");
        let en = sentence(&e, Lang::En);
        assert!(en.starts_with("Changed voucher CXQ2026-000003: "), "{en}");
    }

    #[test]
    fn statuses_names_and_times_read_in_words() {
        let e = entry(
            "carrier_report",
            "7",
            AuditAction::Update,
            Some(r#"{"status":"submitted","submitted_at":1733000000000}"#),
            Some(r#"{"status":"approved","submitted_at":1733000000000}"#),
        );
        let s = sentence(&e, Lang::ZhCn);
        assert!(s.starts_with("将载体年报 #7 的"), "{s}");
        assert!(!s.contains("approved") && !s.contains("submitted"), "{s}");
        let c = entry(
            "carrier",
            "2",
            AuditAction::Create,
            None,
            Some(r#"{"name":"荷塘区新材料众创空间"}"#),
        );
        assert_eq!(
            sentence(&c, Lang::ZhCn),
            "新增载体 「荷塘区新材料众创空间」"
        );
        let t = entry(
            "booking",
            "9",
            AuditAction::Update,
            Some(r#"{"confirmed_at":null}"#),
            Some(r#"{"confirmed_at":1733000000000}"#),
        );
        assert!(
            sentence(&t, Lang::ZhCn).contains("2024-12-01 04:53"),
            "{}",
            sentence(&t, Lang::ZhCn)
        );
    }

    proptest! {
        /// Any JSON, any text: a sentence, never a panic.
        #[test]
        fn any_entry_reads_as_a_sentence(
            entity in "\\PC{0,12}", id in "\\PC{0,12}", before in "\\PC{0,40}", after in "\\PC{0,40}",
            k in "[a-z_]{1,12}", n in any::<i64>(), s in "\\PC{0,80}",
        ) {
            for action in AuditAction::ALL {
                let json_b = serde_json::json!({ &k: n, "name": &s }).to_string();
                let json_a = serde_json::json!({ &k: &s, "year": n }).to_string();
                for (b, a) in [(Some(before.as_str()), Some(after.as_str())), (Some(json_b.as_str()), Some(json_a.as_str())), (None, None)] {
                    let e = entry(&entity, &id, *action, b, a);
                    prop_assert!(!sentence(&e, Lang::ZhCn).is_empty());
                    prop_assert!(!sentence(&e, Lang::En).is_empty());
                }
            }
        }
    }
}
