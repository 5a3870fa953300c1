//! The interface's words in Chinese (first) and English, and how times and dates are shown.

use axum::http::HeaderMap;
use fruition_domain::lang::Lang;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, macros::format_description};

/// The cookie that keeps a visitor's chosen language.
pub const LANG_COOKIE: &str = "fruition_lang";

/// The request's language: a chosen language (cookie) first, else the browser's, else Chinese.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    if let Some(lang) = crate::auth::cookie_value(headers, LANG_COOKIE).and_then(Lang::from_tag) {
        return lang;
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// China Standard Time, in which the platform shows times and reads dates.
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

fn datetime(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Epoch milliseconds as RFC 3339 in UTC (the API's form).
pub fn rfc3339(ms: i64) -> String {
    datetime(ms)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Epoch milliseconds as `2025-03-31 14:05` in China time (the pages' form).
pub fn local_time(ms: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]");
    datetime(ms)
        .to_offset(CHINA)
        .format(&fmt)
        .unwrap_or_default()
}

/// Today's date in China time, `YYYY-MM-DD`.
pub fn today() -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    OffsetDateTime::now_utc()
        .to_offset(CHINA)
        .format(&fmt)
        .unwrap_or_default()
}

/// The current year in China time.
pub fn this_year() -> i64 {
    i64::from(OffsetDateTime::now_utc().to_offset(CHINA).year())
}

/// Reads `YYYY-MM-DD` as the start (or, with `end`, the end) of that day in China time.
pub fn parse_date_ms(s: &str, end: bool) -> Option<i64> {
    let fmt = format_description!("[year]-[month]-[day]");
    let date = Date::parse(s.trim(), &fmt).ok()?;
    let date = if end { date.next_day()? } else { date };
    let at = PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(CHINA);
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

/// A word or sentence of the interface in `lang`. Keys are the English identifiers used in templates;
/// an unknown key shows itself, and a test keeps every key used in a template in this table.
pub fn t(lang: Lang, key: &str) -> &'static str {
    match lookup(key) {
        Some((zh, en)) => lang.pick(zh, en),
        None => "??",
    }
}

pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    CATALOGUE
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| (*zh, *en))
}

/// Every interface text: key, Chinese, English.
pub static CATALOGUE: &[(&str, &str, &str)] = &[
    (
        "app_name",
        "株洲科技成果转化平台",
        "Zhuzhou Technology Transfer Platform",
    ),
    ("app_short", "成果转化平台", "Fruition"),
    ("skip_to_content", "跳到正文", "Skip to main content"),
    ("main_nav", "主导航", "Main navigation"),
    ("home", "首页", "Home"),
    ("organisations", "机构", "Organisations"),
    ("applications", "入驻申请", "Applications to join"),
    ("audit_log", "操作日志", "Audit log"),
    ("account", "我的账户", "My account"),
    ("sign_in", "登录", "Sign in"),
    ("sign_out", "退出登录", "Sign out"),
    ("join", "申请入驻", "Apply to join"),
    ("language", "语言", "Language"),
    ("switch_to_other_lang", "English", "中文"),
    (
        "demo_banner",
        "演示数据：本站数据均为合成的演示数据，仅供体验。",
        "Demo data: everything shown here is synthetic, for trying the platform out.",
    ),
    (
        "error_summary_title",
        "请修改以下问题",
        "There is a problem",
    ),
    ("login", "登录名", "Login"),
    ("password", "密码", "Password"),
    ("current_password", "当前密码", "Current password"),
    ("new_password", "新密码", "New password"),
    (
        "new_password_hint",
        "至少 10 个字符，不能全为同一字符，不能与登录名相同。",
        "At least 10 characters, not all the same, not your login.",
    ),
    ("change_password", "修改密码", "Change password"),
    (
        "must_change_password",
        "这是一次性密码，请先设置您自己的密码。",
        "This is a one-time password: set a password of your own first.",
    ),
    (
        "password_changed",
        "密码已修改。",
        "Your password has been changed.",
    ),
    ("display_name", "姓名", "Name"),
    ("email", "电子邮箱", "Email"),
    ("phone", "联系电话", "Phone"),
    ("optional", "（选填）", "(optional)"),
    ("save", "保存", "Save"),
    ("saved", "已保存。", "Saved."),
    ("cancel", "取消", "Cancel"),
    ("lang_pref", "界面语言", "Interface language"),
    ("lang_browser", "跟随浏览器", "Follow the browser"),
    ("profile", "个人资料", "Profile"),
    ("organisation", "所属机构", "Organisation"),
    ("role", "角色", "Role"),
    ("manager", "机构管理员", "Organisation manager"),
    ("api_tokens", "API 令牌", "API tokens"),
    (
        "api_tokens_intro",
        "供脚本调用 API 使用，请求时发送 Authorization: Bearer 令牌。令牌只显示一次。",
        "For scripts calling the API: send Authorization: Bearer followed by the token. A token is shown only once.",
    ),
    ("token_name", "令牌用途", "What the token is for"),
    ("create_token", "创建令牌", "Create token"),
    (
        "token_created",
        "新令牌如下，只显示这一次，请立即妥善保存：",
        "Your new token is below. It is shown only this once; store it safely now:",
    ),
    ("revoke", "吊销", "Revoke"),
    ("revoked", "已吊销", "Revoked"),
    ("prefix", "前缀", "Prefix"),
    ("created_at", "创建时间", "Created"),
    ("last_used", "最近使用", "Last used"),
    ("never", "从未", "Never"),
    ("no_tokens", "还没有令牌。", "No tokens yet."),
    ("name", "名称", "Name"),
    ("kind", "类型", "Kind"),
    ("uscc", "统一社会信用代码", "Unified social credit code"),
    (
        "uscc_hint",
        "18 位，按 GB 32100 校验。",
        "18 characters, checked as GB 32100 defines.",
    ),
    ("contact_name", "联系人", "Contact person"),
    ("contact_phone", "联系电话", "Contact phone"),
    ("contact_email", "联系邮箱", "Contact email"),
    ("status", "状态", "Status"),
    ("active", "正常", "Active"),
    ("inactive", "已停用", "Deactivated"),
    ("all_kinds", "全部类型", "All kinds"),
    ("search_name", "名称包含", "Name contains"),
    ("filter", "筛选", "Filter"),
    ("new_organisation", "登记机构", "Register an organisation"),
    (
        "first_user",
        "首个用户（机构管理员）",
        "First user (the organisation's manager)",
    ),
    (
        "first_user_hint",
        "系统生成一次性密码，请转交该用户；首次登录须修改。",
        "A one-time password is generated for you to hand over; it must be changed at first sign-in.",
    ),
    (
        "no_organisations",
        "没有符合条件的机构。",
        "No organisations match.",
    ),
    ("edit", "编辑", "Edit"),
    ("users", "用户", "Users"),
    ("add_user", "添加用户", "Add a user"),
    ("deactivate", "停用", "Deactivate"),
    ("reactivate", "恢复", "Reactivate"),
    ("reset_password", "重置密码", "Reset password"),
    (
        "one_time_password_for",
        "一次性密码（只显示这一次，请转交用户）",
        "One-time password (shown only this once; hand it to the user)",
    ),
    ("created", "已创建。", "Created."),
    ("last_login", "最近登录", "Last signed in"),
    ("yes", "是", "Yes"),
    ("no", "否", "No"),
    ("actions", "操作", "Actions"),
    ("time", "时间", "Time"),
    ("actor", "操作人", "Who"),
    ("entity", "对象", "Record"),
    ("action", "操作", "Change"),
    ("before", "修改前", "Before"),
    ("after", "修改后", "After"),
    ("from_date", "起始日期", "From"),
    ("to_date", "截止日期", "To"),
    ("date_hint", "格式：2025-03-31", "Like 2025-03-31"),
    ("no_entries", "没有符合条件的记录。", "No entries match."),
    ("older", "更早的记录", "Older entries"),
    ("all", "全部", "All"),
    ("pending", "待审核", "Pending"),
    ("approved", "已批准", "Approved"),
    ("declined", "已驳回", "Declined"),
    ("approve", "批准", "Approve"),
    ("decline", "驳回", "Decline"),
    ("reason", "理由", "Reason"),
    (
        "decline_reason_hint",
        "理由会告知申请人，2–500 字。",
        "The applicant is told the reason; 2–500 characters.",
    ),
    ("note", "补充说明", "Note"),
    (
        "desired_login",
        "首个用户的登录名",
        "Login for the first user",
    ),
    (
        "join_intro",
        "机构可在此申请入驻平台。科技局审核通过后，将为您开通首个账户并告知一次性密码。",
        "Organisations apply here to join the platform. Once the bureau approves, it opens your first account and tells you its one-time password.",
    ),
    ("submit_application", "提交申请", "Submit application"),
    (
        "application_received",
        "申请已提交，编号",
        "Your application has been received; its number is",
    ),
    (
        "application_next",
        "科技局将尽快审核，并通过您留下的联系方式告知结果。",
        "The bureau will review it and contact you with the result.",
    ),
    ("no_applications", "没有申请。", "No applications."),
    (
        "approved_created",
        "已批准，机构和首个用户已创建。",
        "Approved: the organisation and its first user have been created.",
    ),
    ("choose", "请选择", "Choose"),
    ("welcome", "欢迎", "Welcome"),
    (
        "home_intro",
        "株洲市科技成果转化平台体系的工作平台：载体与企业登记、科技要素市场、中试平台、科技金融、一站式服务与载体联盟。",
        "The working platform of Zhuzhou's technology transfer system: the registry of carriers and enterprises, the technology elements market, pilot platforms, technology finance, one-stop services and the carrier alliance.",
    ),
    (
        "home_signed_out",
        "请登录使用平台；尚无账户的机构可申请入驻。",
        "Sign in to use the platform; organisations without an account can apply to join.",
    ),
    ("your_org", "您的机构", "Your organisation"),
    (
        "pending_applications",
        "待审核的入驻申请",
        "Applications waiting for review",
    ),
    ("demo_accounts", "演示账户", "Demo accounts"),
    (
        "demo_accounts_intro",
        "每个角色一个演示账户，密码均为",
        "One demo account for each role; every password is",
    ),
    ("not_found_title", "页面不存在", "Page not found"),
    (
        "not_found_body",
        "您要找的页面不存在或已被移除。",
        "The page you are looking for does not exist or has been removed.",
    ),
    ("forbidden_title", "无权访问", "Not allowed"),
    (
        "forbidden_body",
        "您的角色无权查看或修改此内容。",
        "Your role does not allow you to see or change this.",
    ),
    ("error_title", "出错了", "Something went wrong"),
    (
        "error_body",
        "服务器内部错误，已记录。请稍后再试。",
        "An internal error occurred and has been logged. Please try again later.",
    ),
    ("too_many_title", "尝试次数过多", "Too many attempts"),
    (
        "session_expired",
        "表单已过期，请重新提交。",
        "The form expired; please submit it again.",
    ),
    ("back_home", "返回首页", "Back to the home page"),
    ("api_docs", "API 文档", "API document"),
    ("signed_in_as", "当前用户", "Signed in as"),
    (
        "user_deactivated",
        "用户已停用，其登录会话已立即失效。",
        "The user is deactivated; their sessions have ended.",
    ),
    (
        "user_reactivated",
        "用户已恢复。",
        "The user is reactivated.",
    ),
    (
        "org_deactivated",
        "机构已停用，其用户的登录会话已立即失效。",
        "The organisation is deactivated; its users' sessions have ended.",
    ),
    (
        "org_reactivated",
        "机构已恢复。",
        "The organisation is reactivated.",
    ),
    ("is_manager", "管理员", "Manager"),
    ("id", "编号", "No."),
    ("search_user", "登录名或姓名包含", "Login or name contains"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_china_time() {
        // 2025-01-01 00:00 in Beijing is 2024-12-31 16:00 UTC.
        let start = parse_date_ms("2025-01-01", false).expect("date");
        assert_eq!(rfc3339(start), "2024-12-31T16:00:00Z");
        let end = parse_date_ms("2025-01-01", true).expect("date");
        assert_eq!(end - start, 86_400_000);
        assert_eq!(local_time(start), "2025-01-01 00:00");
        assert!(parse_date_ms("2025-13-01", false).is_none());
        assert!(parse_date_ms("tomorrow", false).is_none());
    }

    #[test]
    fn catalogue_keys_are_unique() {
        let mut keys: Vec<_> = CATALOGUE.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }

    /// Every `t("…")` a template uses has both languages here.
    #[test]
    fn every_template_key_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).expect("templates dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("template");
            for piece in text.split("t(\"").skip(1) {
                let key = piece.split('"').next().unwrap_or("");
                if lookup(key).is_none() {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }
}
