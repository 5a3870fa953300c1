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
    // Reference data.
    ("reference_data", "参考数据", "Reference data"),
    ("zones", "功能区", "Functional zones"),
    (
        "zones_intro",
        "功能区（如国家高新区）在统计中单列，位于某个区县之内。",
        "Functional zones (such as a national high-tech zone) are reported on their own and lie inside a county.",
    ),
    ("code", "代码", "Code"),
    ("county", "区县", "County"),
    ("add_zone", "新增功能区", "Add a functional zone"),
    ("name_zh", "中文名称", "Chinese name"),
    ("name_en", "英文名称", "English name"),
    ("chains", "产业链", "Industrial chains"),
    (
        "chains_intro",
        "产业链对应 GB/T 4754-2017 国民经济行业分类的门类或大类。",
        "Each chain maps to GB/T 4754-2017 sections or divisions.",
    ),
    ("divisions", "行业大类", "Industry divisions"),
    (
        "divisions_hint",
        "两位大类代码或一位门类字母，用逗号分隔，如 37,38 或 I。",
        "Two-digit division codes or a section letter, comma-separated, e.g. 37,38 or I.",
    ),
    ("sort_order", "排序", "Order"),
    ("in_use", "启用", "In use"),
    ("add_chain", "新增产业链", "Add an industrial chain"),
    // Spin-off lineages.
    (
        "spinoffs_intro",
        "龙头企业作为“母体”按自身定义的孵化路径裂变出新公司；实心方框表示已成立公司。",
        "Parent enterprises spin off new companies along paths they define; filled boxes are companies already founded.",
    ),
    ("projects", "项目", "Projects"),
    ("stage", "阶段", "Stage"),
    ("started_on", "启动日期", "Started"),
    ("milestones", "阶段日期", "Milestones"),
    ("company", "成立的公司", "Company"),
    ("notable", "代表性", "Notable"),
    ("reached_on", "到达日期", "Reached on"),
    (
        "last_stage_company",
        "到达最后阶段时登记新公司",
        "At the last stage, register the new company",
    ),
    ("advance", "推进", "Advance"),
    ("start_project", "新增裂变项目", "Start a spin-off project"),
    (
        "stages_hint",
        "每行一个阶段，按顺序填写；最后一个阶段即成立新公司。",
        "One stage per line, in order; the last stage is when the new company is founded.",
    ),
    (
        "last_stage_hint",
        "最后阶段的项目即成为与母体关联的新企业。",
        "A project at the last stage becomes an enterprise linked to its parent.",
    ),
    // Statistics and the annual report.
    ("statistics", "统计分析", "Statistics"),
    ("annual_report", "年度报告", "Annual report"),
    (
        "stats_intro",
        "载体按年底状态统计；在孵企业、人才和专利只统计科技局已通过的年报。",
        "Carriers as they stood at the year's end; incubatees, talent and patents from approved yearly reports only.",
    ),
    ("year", "年度", "Year"),
    ("carrier_kind", "载体类型", "Kind of carrier"),
    ("level", "级别", "Level"),
    ("place", "区域", "Place"),
    ("carriers_total", "载体总数", "Carriers"),
    ("incubatees", "在孵企业", "Incubatees"),
    ("employees", "从业人员", "Employees"),
    ("high_level_talent", "高层次人才", "High-level talent"),
    ("patent_applications", "专利申请", "Patent applications"),
    ("patent_grants", "专利授权", "Patents granted"),
    (
        "by_kind_level",
        "各类载体数量（按级别）",
        "Carriers by kind and level",
    ),
    ("national", "国家级", "National"),
    ("provincial", "省级", "Provincial"),
    ("municipal", "市级", "Municipal"),
    ("unrated", "未认定", "Not rated"),
    ("total", "合计", "Total"),
    ("by_place", "区域分布", "By place"),
    (
        "zone_first",
        "功能区单列，其余按区县",
        "functional zones on their own, others by county",
    ),
    ("carriers", "载体", "Carriers"),
    (
        "incubatees_by_chain",
        "在孵企业产业链分布",
        "Incubatees by industrial chain",
    ),
    (
        "by_focus_chain",
        "载体聚焦产业链",
        "Carriers by focus chain",
    ),
    ("chain", "产业链", "Industrial chain"),
    ("trend", "历年趋势", "Trend"),
    ("show", "查看", "Show"),
    (
        "annual_basis",
        "本报告由已通过审核的年报数据自动生成。",
        "Written from approved yearly reports.",
    ),
    ("annual_tables", "附表", "Tables"),
    ("funds", "创业投资基金", "Venture funds"),
    ("fund_size", "规模", "Size"),
    ("spinoffs", "裂变孵化", "Spin-offs"),
    ("parent", "母体企业", "Parent enterprise"),
    ("stage_path", "孵化路径", "Stage path"),
    ("named_spinoffs", "代表性新公司", "Notable spin-offs"),
    ("companies", "新公司数", "Companies"),
    // The registry: carriers, enterprises, yearly reports.
    ("carrier", "载体", "Carrier"),
    ("enterprises", "企业", "Enterprises"),
    ("enterprise", "企业", "Enterprise"),
    ("your_enterprise", "我的企业", "Your enterprise"),
    ("yearly_reports", "年报", "Yearly reports"),
    ("yearly_report", "年度报告", "yearly report"),
    ("new_carrier", "登记载体", "Register a carrier"),
    ("edit_carrier", "编辑载体", "Edit carrier"),
    ("filter_carriers", "筛选载体", "Filter carriers"),
    ("not_rated", "未认定", "Not rated"),
    ("operator", "运营主体", "Operator"),
    ("zone", "功能区", "Functional zone"),
    ("no_zone", "不在功能区内", "Not in a functional zone"),
    ("address", "地址", "Address"),
    ("floor_area_m2", "场地面积（平方米）", "Floor area (m²)"),
    (
        "focus_chains",
        "重点产业链",
        "Industrial chains it focuses on",
    ),
    ("focus_chains_hint", "可多选。", "Choose any that apply."),
    ("established_year", "成立年份", "Year established"),
    (
        "year_hint",
        "四位数字，如 2018。",
        "Four digits, like 2018.",
    ),
    (
        "bureau_changes_kind",
        "载体类型和运营主体由科技局变更。",
        "Only the bureau changes the kind and the operator.",
    ),
    ("no_carriers", "没有符合条件的载体。", "No carriers match."),
    (
        "revoked_carrier_note",
        "该载体已撤销，不计入统计。",
        "This carrier is revoked and is not counted.",
    ),
    ("revoked_on", "撤销日期", "Revoked on"),
    ("its_enterprises", "在孵企业", "Its incubatees"),
    ("rating_history", "认定记录", "Rating history"),
    ("no_ratings", "尚无认定记录。", "No ratings yet."),
    ("record_rating", "记录认定", "Record a rating"),
    ("year_granted", "认定年份", "Year granted"),
    ("granting_body", "认定单位", "Granting body"),
    (
        "granting_body_hint",
        "如：科学技术部、湖南省科学技术厅。",
        "For example 科学技术部 or 湖南省科学技术厅.",
    ),
    ("document_no", "文号", "Document number"),
    ("revoke_carrier", "撤销载体", "Revoke the carrier"),
    ("restore_carrier", "恢复载体", "Restore the carrier"),
    ("rating_recorded", "认定已记录。", "The rating is recorded."),
    ("carrier_revoked", "载体已撤销。", "The carrier is revoked."),
    (
        "report_year_closed",
        "载体已撤销：撤销当年以后年度的年报不能再填报或修改。",
        "The carrier is revoked: reports for years after the year of its revocation can no longer be filled in or changed.",
    ),
    (
        "carrier_restored",
        "载体已恢复。",
        "The carrier is restored.",
    ),
    (
        "refused_body",
        "请求未被接受，原因见上。",
        "The request was not accepted, for the reason above.",
    ),
    ("new_enterprise", "登记企业", "Register an enterprise"),
    ("edit_enterprise", "编辑企业", "Edit enterprise"),
    ("filter_enterprises", "筛选企业", "Filter enterprises"),
    (
        "search_name_code",
        "名称或代码包含",
        "Name or code contains",
    ),
    ("current_carrier", "所在载体", "Incubating at"),
    (
        "no_enterprises",
        "没有符合条件的企业。",
        "No enterprises match.",
    ),
    ("next_page", "下一页", "Next page"),
    ("founded_on", "成立日期", "Founded on"),
    (
        "industry_division",
        "行业大类（GB/T 4754-2017）",
        "Industry division (GB/T 4754-2017)",
    ),
    ("none", "无", "None"),
    ("high_tech", "高新技术企业", "High-tech enterprise"),
    ("tech_sme", "科技型中小企业", "Technology-based SME"),
    (
        "parent_uscc",
        "母公司统一社会信用代码",
        "Parent enterprise's unified social credit code",
    ),
    (
        "parent_uscc_hint",
        "衍生企业或子公司填写（选填），母公司须已登记。",
        "For a spin-off or subsidiary (optional); the parent must be registered.",
    ),
    ("incubation", "入孵", "Incubation"),
    ("not_incubating", "暂不入孵", "Not entering a carrier"),
    ("entered_on", "入孵日期", "Entered on"),
    ("exited_on", "离开日期", "Left on"),
    ("warning", "提示", "Warning"),
    ("incubation_spells", "孵化经历", "Incubation spells"),
    ("no_spells", "尚无孵化经历。", "No incubation spells."),
    ("outcome", "结果", "Outcome"),
    ("incubating", "在孵", "Incubating"),
    ("graduated", "毕业", "Graduated"),
    ("left", "离开", "Left"),
    ("graduate_or_leave", "毕业或离开", "Graduate or leave"),
    ("incubating_at", "正在孵化：", "Incubating at: "),
    (
        "exit_reason_hint",
        "离开须填写原因；毕业可不填。",
        "Needed when it leaves; optional when it graduates.",
    ),
    (
        "record_exit",
        "登记毕业或离开",
        "Record graduation or leaving",
    ),
    ("enter_carrier", "入驻载体", "Enter a carrier"),
    ("yearly_figures", "年度指标", "Yearly figures"),
    ("no_figures", "尚无年度指标。", "No yearly figures yet."),
    ("indicator", "指标", "Indicator"),
    ("entered", "已登记入孵。", "The entry is recorded."),
    ("exited", "已登记毕业或离开。", "The exit is recorded."),
    (
        "only_approved_count",
        "只有科技局审核通过的年报计入统计；草稿、已提交和已退回的年报都不计入。",
        "Only reports the bureau has approved count in the statistics; drafts, submitted and returned reports do not.",
    ),
    ("choose_year", "选择年度", "Choose the year"),
    ("your_carriers", "本机构的载体", "Your carriers"),
    (
        "no_own_carriers",
        "本机构在该年度没有载体。",
        "Your organisation had no carriers that year.",
    ),
    ("open_report", "打开年报", "Open the report"),
    ("start_report", "开始填报", "Start the report"),
    ("not_started", "未开始", "Not started"),
    ("reports_of_year", "年报", "Reports"),
    (
        "no_reports",
        "该年度还没有年报。",
        "No reports for that year yet.",
    ),
    ("submitted_at", "提交时间", "Submitted"),
    ("decided_at", "审核时间", "Decided"),
    (
        "late_carriers",
        "未完成年报的载体",
        "Carriers without an approved report",
    ),
    (
        "late_carriers_hint",
        "当年在册、年报尚未通过审核的载体。",
        "Carriers in the registry that year whose report is not approved yet.",
    ),
    (
        "no_late_carriers",
        "所有载体的年报均已通过。",
        "Every carrier's report is approved.",
    ),
    (
        "report_counts",
        "本年报已通过审核，计入统计。",
        "This report is approved and counts in the statistics.",
    ),
    (
        "report_not_counted",
        "本年报尚未通过审核，不计入统计。",
        "This report is not approved yet, so it does not count in the statistics.",
    ),
    (
        "returned_with_comment",
        "科技局退回了本年报，意见如下：",
        "The bureau returned this report with this comment:",
    ),
    (
        "carrier_figures",
        "载体自身情况",
        "The carrier's own figures",
    ),
    (
        "fig_staff",
        "管理机构从业人员（人）",
        "Staff of the carrier (people)",
    ),
    ("fig_mentors", "创业导师（人）", "Mentors (people)"),
    ("fig_floor_area", "场地面积（平方米）", "Floor area (m²)"),
    (
        "fig_incubation_fund",
        "孵化基金（千元）",
        "Incubation fund (k yuan)",
    ),
    ("fig_events_held", "举办创新创业活动（场）", "Events held"),
    (
        "fig_graduated",
        "当年毕业企业（家）",
        "Enterprises graduated in the year",
    ),
    ("save_figures", "保存载体情况", "Save the carrier's figures"),
    (
        "no_incubatees",
        "该年度没有在孵企业。",
        "No incubatees that year.",
    ),
    ("figures_missing", "缺少指标", "Figures missing"),
    ("check_failed", "未通过检查", "Check failed"),
    ("fill_in", "填写", "Fill in"),
    ("checks", "检查结果", "Checks"),
    ("checks_passed", "未发现问题。", "No problems found."),
    (
        "check_errors",
        "错误（须改正后才能提交）",
        "Errors (to correct before submitting)",
    ),
    (
        "check_errors_hint",
        "下列问题会阻止提交。",
        "These problems block submission.",
    ),
    (
        "check_warnings",
        "提示（不影响提交）",
        "Warnings (do not block submission)",
    ),
    (
        "check_warnings_hint",
        "数据可能有误，请核对；科技局审核时可见。",
        "Figures that may be wrong; please check them. The bureau sees these when reviewing.",
    ),
    ("submit_report", "提交", "Submit"),
    ("review_report", "审核", "Review"),
    ("review_comment", "审核意见", "Comment"),
    (
        "review_comment_hint",
        "退回时必填，会显示给载体。",
        "Required when returning; the carrier sees it.",
    ),
    ("return_report", "退回", "Return"),
    ("approve_report", "通过", "Approve"),
    ("reopen_report", "撤回修改", "Reopen for correction"),
    ("review_history", "审核记录", "Review history"),
    ("no_reviews", "尚无审核记录。", "No review history yet."),
    ("indicators", "年度指标", "indicators"),
    (
        "indicators_hint",
        "金额单位为千元；没有的填 0。",
        "Money is in thousand yuan; give 0 when there is none.",
    ),
    ("back_to_report", "返回年报", "Back to the report"),
    ("indicators_saved", "指标已保存。", "The figures are saved."),
    (
        "report_submitted",
        "年报已提交，等待科技局审核。",
        "The report is submitted for the bureau's review.",
    ),
    (
        "report_returned",
        "年报已退回载体修改。",
        "The report is returned to the carrier.",
    ),
    (
        "report_approved",
        "年报已通过，计入统计。",
        "The report is approved and counts in the statistics.",
    ),
    (
        "report_reopened",
        "年报已撤回修改，重新通过前不计入统计。",
        "The report is reopened; it leaves the statistics until approved again.",
    ),
    // Imports and exports.
    ("import_title", "导入在孵企业", "Import incubatees"),
    (
        "import_link",
        "导入在孵企业（Excel）",
        "Import incubatees (Excel)",
    ),
    (
        "import_intro",
        "上传用模板填写的 Excel（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码），每行一家在孵企业及其该年度的指标。系统先检查全部行：只要有一处问题就不导入任何数据，并列出每一处问题；全部无误才一次写入。已登记的企业按统一社会信用代码更新。",
        "Upload an Excel workbook (.xlsx) filled in from the template, or a CSV file (UTF-8 or GBK), one row per incubatee with its figures for the year. Every row is checked first: if any has a problem nothing is imported and every problem is listed; only when all are right is everything written at once. Registered enterprises are updated by their unified social credit code.",
    ),
    (
        "import_template",
        "下载导入模板（.xlsx）",
        "Download the template (.xlsx)",
    ),
    ("import_file", "文件", "File"),
    (
        "import_file_hint",
        "Excel（.xlsx）或 CSV 文件，最大 50 MB",
        "An Excel workbook (.xlsx) or a CSV file, up to 50 MB",
    ),
    (
        "import_year_hint",
        "指标写入本载体该年度的年报（草稿或已退回的年报）",
        "The figures go into the carrier's report for that year (a draft or a returned report)",
    ),
    ("import_submit", "检查并导入", "Check and import"),
    ("import_rows_title", "文件中的问题", "Problems in the file"),
    (
        "import_rows_intro",
        "以下各处有问题，未导入任何数据。请在文件中改正后重新上传。",
        "Nothing was imported because of the problems below. Correct them in the file and upload it again.",
    ),
    ("import_row", "行号", "Row"),
    ("import_column", "列", "Column"),
    ("import_value", "值", "Value"),
    ("import_problem", "问题", "Problem"),
    (
        "import_error_report",
        "下载问题清单（.xlsx）",
        "Download the list of problems (.xlsx)",
    ),
    (
        "import_more",
        "另有更多问题未在此列出，请下载问题清单查看全部。",
        "More problems are not shown here; download the list to see them all.",
    ),
    ("import_done", "导入完成", "Imported"),
    ("import_rows", "数据行", "Data rows"),
    ("import_created", "新登记企业", "Enterprises registered"),
    ("import_updated", "更新了信息的企业", "Enterprises updated"),
    (
        "import_unchanged",
        "信息无变化的企业",
        "Enterprises unchanged",
    ),
    ("import_spells", "新入孵", "Incubation spells opened"),
    (
        "import_indicators",
        "写入的年度指标",
        "Yearly figures written",
    ),
    (
        "import_indicators_unchanged",
        "无变化的年度指标",
        "Yearly figures unchanged",
    ),
    (
        "import_columns",
        "各列填写说明",
        "How to fill in each column",
    ),
    ("import_how", "填写说明", "How to fill it in"),
    ("import_required", "必填", "Required"),
    ("export_xlsx", "导出 Excel", "Export to Excel"),
    ("fund_size_k", "规模（千元）", "Size (k yuan)"),
    // The technology elements market.
    ("market", "科技要素市场", "Technology market"),
    (
        "market_intro",
        "潇湘科技要素大市场株洲分市场：科技成果、技术需求、科技服务、仪器设备与中试线、专家人才、资本与政策，公开检索，精准对接。",
        "The Zhuzhou branch of the Xiaoxiang technology elements market: achievements, needs, services, instruments and pilot lines, experts, capital and policies — open to search, matched supply to demand.",
    ),
    ("new_listing", "发布信息", "New listing"),
    ("my_listings", "我的发布", "My listings"),
    ("hidden_listings", "已屏蔽的信息", "Hidden listings"),
    ("search_words", "关键词", "Search words"),
    ("more_filters", "更多筛选条件", "More filters"),
    ("listing_kind", "信息类型", "Kind"),
    ("tech_field", "技术领域", "Field"),
    ("all_fields", "全部领域", "All fields"),
    ("all_counties", "全部区县", "All counties"),
    ("trl_min", "技术就绪水平不低于", "Readiness at least"),
    ("trl_max", "技术就绪水平不高于", "Readiness at most"),
    ("price_min_k", "价格不低于（千元）", "Price from (k yuan)"),
    ("price_max_k", "价格不高于（千元）", "Price up to (k yuan)"),
    ("transfer_mode", "合作方式", "Mode"),
    ("all_modes", "全部方式", "All modes"),
    ("published_from", "发布日期自", "Published from"),
    ("published_to", "发布日期至", "Published to"),
    ("search", "检索", "Search"),
    ("results_found", "找到结果", "Results"),
    (
        "no_results",
        "没有找到符合条件的信息，请换个关键词或放宽筛选条件。",
        "Nothing matches; try other words or fewer filters.",
    ),
    ("pages", "分页", "Pages"),
    ("previous_page", "上一页", "Previous page"),
    (
        "hidden_reason",
        "已被科技局屏蔽，原因",
        "Hidden by the bureau because",
    ),
    (
        "trl_needed",
        "要求的技术就绪水平（不低于）",
        "Readiness asked for (at least)",
    ),
    ("trl", "技术就绪水平", "Readiness level"),
    ("budget_k", "预算", "Budget"),
    ("price_k", "价格（千元）", "Price (k yuan)"),
    ("cooperation_modes", "合作方式", "Cooperation modes"),
    ("transfer_modes", "转化方式", "Transfer modes"),
    ("deadline", "截止日期", "Deadline"),
    ("inventors", "完成人", "Inventors"),
    ("patents", "专利号", "Patents"),
    ("expert_title", "职称", "Professional title"),
    ("affiliation", "所在单位", "Organisation"),
    ("charge_unit", "计费单位", "Unit of charge"),
    ("issuing_body", "发布机关", "Issuing body"),
    ("issued_on", "发布日期", "Date of issue"),
    ("applies_to", "适用对象", "Who it applies to"),
    ("preferences", "投资偏好", "Preferences"),
    ("details", "详细说明", "Details"),
    ("publish", "发布", "Publish"),
    ("close_listing", "关闭", "Close"),
    ("hide_reason", "屏蔽原因", "Reason for hiding"),
    (
        "hide_reason_hint",
        "发布方会看到此原因。",
        "The owner sees this reason.",
    ),
    ("hide_listing", "屏蔽此信息", "Hide this listing"),
    ("restore_listing", "恢复发布", "Restore"),
    ("title", "标题", "Title"),
    ("title_hint", "不超过 100 字。", "At most 100 characters."),
    ("summary", "简介", "Summary"),
    (
        "summary_hint",
        "不超过 500 字，检索结果中显示。",
        "At most 500 characters; shown in search results.",
    ),
    (
        "need_indicators_hint",
        "需要达到的技术指标。",
        "The technical indicators to reach.",
    ),
    ("modes", "方式", "Modes"),
    (
        "price_hint",
        "单位千元；不填表示面议。",
        "In thousand yuan; leave empty for negotiable.",
    ),
    ("one_per_line", "每行一个。", "One per line."),
    (
        "patents_hint",
        "每行一个，如 ZL201710601862.3，系统核对校验位。",
        "One per line, e.g. ZL201710601862.3; the check character is verified.",
    ),
    ("save_draft", "保存草稿", "Save draft"),
    (
        "choose_listing_kind",
        "请选择要发布的信息类型：",
        "Choose what to list:",
    ),
    ("edit_listing", "修改发布信息", "Edit listing"),
    ("thousand_yuan", "千元", "thousand yuan"),
    ("negotiable", "面议", "Negotiable"),
    (
        "listing_published",
        "已发布，所有人都可检索到。",
        "Published; everyone can find it.",
    ),
    ("listing_closed", "已关闭。", "Closed."),
    (
        "listing_hidden",
        "已屏蔽，发布方会看到原因。",
        "Hidden; the owner sees the reason.",
    ),
    ("listing_restored", "已恢复发布。", "Restored."),
    // Matching and the inbox.
    ("suggestions", "匹配推荐", "Suggested matches"),
    (
        "suggestions_hint",
        "按文本相关度、技术领域、技术就绪水平、地区和发布方活跃度综合排序；标为“感兴趣”以外的意见后，该条不再推荐。",
        "Ranked on text, field, readiness, place and how active the owner is; anything you mark other than “interested” is not suggested again.",
    ),
    ("match_score", "匹配度", "Match"),
    ("your_verdict", "您的意见", "Your verdict"),
    ("comment", "说明", "Comment"),
    ("send_verdict", "提交意见", "Send"),
    ("keep_search_as", "保存此检索，名称", "Keep this search as"),
    (
        "keep_search",
        "保存检索并订阅推送",
        "Keep and be told of new listings",
    ),
    ("inbox", "消息", "Inbox"),
    (
        "inbox_empty",
        "暂无消息。保存检索或发布需求后，有新的匹配信息发布时会通知您。",
        "No messages. Keep a search or post a need to be told when a fitting listing is published.",
    ),
    ("mark_read", "标为已读", "Mark read"),
    ("kept_searches", "已保存的检索", "Kept searches"),
    (
        "kept_searches_hint",
        "有符合条件的新信息发布时，会在这里通知您。",
        "You are told here when a new listing fits one.",
    ),
    ("delete", "删除", "Delete"),
    (
        "feedback_saved",
        "已记录您的意见。",
        "Your verdict is recorded.",
    ),
    (
        "search_saved",
        "已保存检索，有新的匹配信息时会通知您。",
        "Search kept; you will be told of new listings that fit it.",
    ),
    ("search_deleted", "已删除该检索。", "Search deleted."),
    ("my_deals", "我的洽谈", "My deals"),
    ("all_deals", "全部洽谈", "All deals"),
    (
        "deals_awaiting_registration",
        "待登记的技术合同",
        "Deals awaiting registration",
    ),
    (
        "deals_intro",
        "你方机构与其他机构就发布信息开展的洽谈：留言、商定条款，条款商定后由科技局登记为技术合同。",
        "Your organisation's deals with others on listings: messages, agreed terms, and — once the terms are agreed — registration by the bureau as a technology contract.",
    ),
    (
        "registration_intro",
        "双方已商定条款、等待登记的洽谈；登记后给出登记号，合同金额计入技术合同统计。",
        "Deals whose terms both parties agreed, awaiting registration; a registered contract gets a registration number and its amounts count in the statistics.",
    ),
    ("declare_intent", "我有意向", "I am interested"),
    (
        "bookable_resources",
        "可预约的中试线与仪器",
        "Book it: pilot lines and instruments",
    ),
    (
        "intent_message",
        "给对方的留言",
        "Your message to the owner",
    ),
    (
        "intent_hint",
        "说明你方的意向和希望的合作方式。洽谈内容只有双方机构和科技局能看到。",
        "Say what interests you and how you would like to work together. Only the two organisations and the bureau can read the deal.",
    ),
    ("deal", "洽谈", "Deal"),
    ("listing", "发布信息", "Listing"),
    (
        "seller",
        "技术输出方（卖方）",
        "Seller (technology supplier)",
    ),
    (
        "buyer",
        "技术吸纳方（买方）",
        "Buyer (technology recipient)",
    ),
    ("counterpart", "对方", "Other party"),
    ("parties", "双方", "Parties"),
    ("updated_at", "更新时间", "Updated"),
    ("messages", "洽谈留言", "Messages"),
    ("no_messages", "还没有留言。", "No messages yet."),
    ("write_message", "写留言", "Write a message"),
    ("send", "发送", "Send"),
    (
        "deal_private_hint",
        "留言只有双方机构和科技局能看到。",
        "Only the two organisations and the bureau can read these messages.",
    ),
    (
        "bureau_reads_only",
        "科技局可以查阅，但不参与留言。",
        "The bureau reads them and does not post.",
    ),
    ("terms", "合同条款", "Terms"),
    (
        "no_terms",
        "还没有人提出条款。",
        "No terms have been proposed yet.",
    ),
    ("proposed_by", "提出方", "Proposed by"),
    ("propose_terms", "提出条款", "Propose terms"),
    (
        "propose_terms_hint",
        "新的提议会替换尚未接受的提议；对方接受后条款即商定，由科技局登记为技术合同。",
        "A new proposal replaces one not yet accepted; once the other party accepts, the terms are agreed and the bureau registers the contract.",
    ),
    ("contract_type", "合同类型", "Contract type"),
    (
        "contract_amount_k",
        "合同金额（千元）",
        "Contract amount (thousand yuan)",
    ),
    (
        "tech_amount_k",
        "技术交易额（千元）",
        "Technology-transaction amount (thousand yuan)",
    ),
    (
        "tech_amount_hint",
        "合同金额中支付技术的部分，不能超过合同金额",
        "The part of the contract amount paid for technology; at most the contract amount",
    ),
    ("starts_on", "合同起始日期", "Starts on"),
    ("ends_on", "合同终止日期", "Ends on"),
    ("contract_period", "合同期限", "Contract period"),
    ("accept_terms", "接受条款", "Accept these terms"),
    ("accepted_at", "已接受", "Accepted"),
    (
        "awaiting_acceptance",
        "等待对方接受",
        "Awaiting the other party's acceptance",
    ),
    (
        "awaiting_your_acceptance",
        "等待你方接受",
        "Awaiting your acceptance",
    ),
    ("terms_history", "条款提议记录", "Proposals"),
    ("withdraw_deal", "撤回洽谈", "Withdraw from the deal"),
    ("register_contract", "登记技术合同", "Register the contract"),
    (
        "register_hint",
        "按双方接受的条款登记，系统按“城市代码＋年度＋序号”给出登记号。",
        "The contract is registered on the accepted terms; its registration number is city code + year + serial.",
    ),
    ("registered_on", "登记日期", "Registered on"),
    (
        "registered_on_hint",
        "默认今天；补登已在纸面登记的合同时，填写原登记日期",
        "Today unless given; for a contract registered on paper, its date of registration",
    ),
    ("refuse_registration", "不予登记", "Refuse registration"),
    (
        "refusal_reason",
        "不予登记的原因",
        "Why registration is refused",
    ),
    ("contract", "技术合同", "Technology contract"),
    ("registration_no", "登记号", "Registration number"),
    (
        "incubating_carrier",
        "登记时所在孵化载体",
        "Incubating carrier at registration",
    ),
    ("not_incubated", "不在孵化载体", "Not incubated"),
    (
        "record_outcome",
        "记录合同履行结果",
        "Record the contract's outcome",
    ),
    ("outcome_on", "日期", "Date"),
    (
        "termination_reason_hint",
        "合同终止时必填",
        "Required for a termination",
    ),
    (
        "contract_register",
        "技术合同登记簿",
        "Register of technology contracts",
    ),
    (
        "contract_statistics",
        "技术合同登记统计",
        "Registered technology contracts",
    ),
    (
        "contract_stats_intro",
        "按登记年度统计已登记的技术合同；技术领域取洽谈所依据的发布信息，孵化载体取登记时卖方（否则买方）所在的载体。金额单位：千元。",
        "Registered technology contracts by year of registration; the field is the listing's, the carrier is the one incubating the seller (else the buyer) at registration. Amounts in thousand yuan.",
    ),
    ("contracts_count", "合同数（项）", "Contracts"),
    (
        "by_registration_year",
        "按登记年度",
        "By year of registration",
    ),
    ("by_tech_field", "按技术领域", "By field"),
    ("by_incubating_carrier", "按孵化载体", "By carrier"),
    (
        "deal_opened",
        "已提交意向，洽谈已开始。",
        "Your interest is sent; the deal is open.",
    ),
    ("message_sent", "留言已发送。", "Message sent."),
    (
        "terms_proposed",
        "条款已提出，等待对方接受。",
        "Terms proposed; awaiting the other party.",
    ),
    (
        "terms_accepted",
        "条款已商定，等待科技局登记。",
        "Terms agreed; awaiting registration by the bureau.",
    ),
    ("deal_withdrawn", "已撤回洽谈。", "The deal is withdrawn."),
    (
        "contract_registered",
        "技术合同已登记。",
        "The technology contract is registered.",
    ),
    (
        "registration_refused",
        "已不予登记，洽谈退回双方。",
        "Registration refused; the deal is back with the parties.",
    ),
    (
        "outcome_recorded",
        "已记录合同履行结果。",
        "The contract's outcome is recorded.",
    ),
    // Pilot lines, instruments and testing services; bills; innovation vouchers (pages::pilot, pages::vouchers).
    ("pilot", "中试与仪器", "Pilot & instruments"),
    (
        "pilot_intro",
        "中试线、大型科研仪器和检验检测服务向全市开放共享：查看开放时间和预约情况，在线申请预约，先用后付，可用科技创新券抵扣一部分费用。",
        "Pilot lines, large instruments and testing services shared across the city: see the opening hours and what is booked, request a slot, pay after use, and pay part with innovation vouchers.",
    ),
    ("pilot_catalogue", "资源目录", "Catalogue"),
    ("pilot_mine", "本单位的资源", "Our resources"),
    ("all_bookings", "全部预约", "All bookings"),
    ("my_bookings", "我的预约", "My bookings"),
    ("bills", "账单", "Bills"),
    ("vouchers", "科技创新券", "Innovation vouchers"),
    ("voucher_claims", "创新券兑付", "Voucher reimbursement"),
    ("new_resource", "提供共享资源", "Offer a resource"),
    ("edit_resource", "修改共享资源", "Edit the resource"),
    ("resource_kind", "资源类型", "Kind of resource"),
    ("resource_owner", "提供方", "Owner"),
    ("pilot_place", "地点", "Place"),
    ("pilot_price", "价格", "Price"),
    ("opening_hours", "开放时间", "Opening hours"),
    (
        "no_resources",
        "没有符合条件的共享资源。",
        "No resources match.",
    ),
    ("yuan", "元", "yuan"),
    ("resource_withdrawn_tag", "已停止预约", "Withdrawn"),
    ("resource_offered_tag", "开放预约", "Offered"),
    ("batch_hours", "每批次时长（小时）", "Hours per batch"),
    ("incubatee_discount", "在孵企业优惠", "Incubatee discount"),
    ("incubatees_of", "适用于在孵载体：", "for incubatees of "),
    ("cancel_deadline", "取消期限", "Cancellation deadline"),
    ("prepayment", "预付", "Prepayment"),
    (
        "prepay_if_overdue_rule",
        "有逾期未付账单的预约方须先付款后使用",
        "A booker with an overdue bill pays before use",
    ),
    (
        "see_in_market",
        "在科技要素市场查看",
        "See it in the market",
    ),
    (
        "safety_notes",
        "安全须知与资质要求",
        "Safety notes and qualifications",
    ),
    ("calendar", "预约日历", "Calendar"),
    (
        "calendar_hint",
        "已被预约或处于维护的时段不能再预约；预约方名称只对预约方、资源方和科技局显示。",
        "Booked and maintenance times cannot be booked; who booked is shown only to the booker, the owner and the bureau.",
    ),
    (
        "calendar_owner_hint",
        "您可以看到每个时段的预约方，点开预约即可处理。",
        "You see who booked each time; open a booking to act on it.",
    ),
    ("earlier_weeks", "前两周", "Two weeks earlier"),
    ("later_weeks", "后两周", "Two weeks later"),
    ("pilot_date", "日期", "Date"),
    ("taken_times", "已占用的时段", "Taken"),
    ("closed_day", "不开放", "Closed"),
    ("all_free", "全天可预约", "Free"),
    ("maintenance", "维护", "Maintenance"),
    ("remove_maintenance", "取消维护", "Remove"),
    ("book_this_day", "预约此日", "Book this day"),
    ("slot_taken", "已预约", "Booked"),
    ("request_booking", "申请预约", "Request a booking"),
    (
        "request_booking_hint",
        "提交后由资源方确认；使用后按实际用量开具账单，先用后付。",
        "The owner confirms the request; after the use it bills what was used — pay after use.",
    ),
    ("booking_start", "开始时间", "Start"),
    ("booking_number", "预约号", "Booking"),
    ("booking_end", "结束时间", "End"),
    ("booked_units", "预约数量", "Units booked"),
    ("unit_price_yuan", "单价（元）", "Unit price (yuan)"),
    (
        "booking_start_hint",
        "格式：2026-12-01 09:00，按整点预约，须在开放时间内。",
        "Like 2026-12-01 09:00: on the hour, within the opening hours.",
    ),
    (
        "booking_start_day_hint",
        "格式：2026-12-01，按天预约。",
        "Like 2026-12-01: booked by the day.",
    ),
    ("booking_units", "预约数量", "Units"),
    ("booking_purpose", "用途", "Purpose"),
    (
        "booking_purpose_hint",
        "说明试验内容、批量、材料等，不超过 500 字。",
        "What you will do: tests, batch sizes, materials (at most 500 characters).",
    ),
    (
        "accept_safety_notes",
        "我已阅读并接受上述安全须知与资质要求",
        "I have read and accept the safety notes and qualifications above",
    ),
    ("sign_in_to_book", "后即可预约。", "to book."),
    ("manage_resource", "管理此资源", "Manage this resource"),
    ("withdraw_resource", "停止预约", "Withdraw from booking"),
    ("offer_again", "恢复预约", "Offer again"),
    ("incoming_bookings", "收到的预约", "Incoming bookings"),
    ("add_maintenance", "安排维护", "Close for maintenance"),
    (
        "maintenance_hint",
        "维护时段不接受预约；已被预约的时段不能安排维护，请先拒绝或取消该预约。",
        "No one can book a maintenance time; a booked hour cannot be closed — decline or cancel its booking first.",
    ),
    ("maintenance_start", "维护开始", "From"),
    ("maintenance_end", "维护结束", "Until"),
    ("maintenance_reason", "维护内容", "What is done"),
    (
        "time_format_hint",
        "格式：2026-12-01 08:00；只填日期表示当天 0 点。",
        "Like 2026-12-01 08:00; a date alone means its midnight.",
    ),
    ("resource_name", "资源名称", "Name"),
    ("capabilities", "能力与参数", "Capabilities"),
    (
        "capabilities_hint",
        "设备型号、工艺能力、检测项目、产能等，不超过 2000 字。",
        "Models, processes, tests, capacity (at most 2,000 characters).",
    ),
    ("price_unit", "计价单位", "Priced per"),
    (
        "batch_hours_hint",
        "仅按批次计价时填写。",
        "Only for resources priced per batch.",
    ),
    ("price_yuan", "单价（元）", "Price per unit (yuan)"),
    (
        "price_yuan_hint",
        "如 800 或 1200.50。",
        "Like 800 or 1200.50.",
    ),
    (
        "incubatee_discount_pct",
        "在孵企业优惠（%）",
        "Incubatee discount (%)",
    ),
    (
        "incubatee_discount_hint",
        "所选孵化载体的在孵企业预约时按此比例优惠，0 表示不优惠。",
        "Incubatees of the chosen carrier pay this much less; 0 for none.",
    ),
    (
        "discount_carrier",
        "享受优惠的孵化载体",
        "Carrier whose incubatees get the discount",
    ),
    ("no_discount_carrier", "不设优惠", "No discount"),
    ("open_days", "开放日", "Open days"),
    (
        "open_days_hint",
        "不选表示每天开放。",
        "None chosen means every day.",
    ),
    ("open_from", "每日开放起始", "Opens at"),
    ("open_to", "每日开放结束", "Closes at"),
    (
        "cancel_hours",
        "取消期限（小时）",
        "Cancellation deadline (hours)",
    ),
    (
        "cancel_hours_hint",
        "预约方最迟可在开始前多少小时自行取消。",
        "How many hours before the start a booker may still cancel.",
    ),
    (
        "safety_notes_hint",
        "预约方须接受的安全规定和资质要求（选填）。",
        "Rules and qualifications a booker must accept (optional).",
    ),
    (
        "prepay_if_overdue",
        "有逾期账单的预约方须预付",
        "Ask bookers with an overdue bill to pay before use",
    ),
    ("linked_listing", "关联的发布信息", "Linked market listing"),
    ("booking", "预约", "Booking"),
    ("resource", "资源", "Resource"),
    ("booker", "预约方", "Booker"),
    ("booking_time", "预约时段", "Time"),
    ("estimate_yuan", "预计金额（元）", "Estimate (yuan)"),
    ("unit_price", "单价", "Unit price"),
    ("incubatee_price", "在孵企业优惠价", "incubatee price"),
    (
        "prepayment_required",
        "预约方有逾期账单：确认后须先付清预付账单才能使用。",
        "The booker has an overdue bill: once confirmed, the prepayment must be paid before use.",
    ),
    (
        "safety_accepted_at",
        "接受安全须知的时间",
        "Safety notes accepted",
    ),
    ("used_units", "实际用量", "Units used"),
    ("cancel_until", "可取消至", "May cancel until"),
    ("bill", "账单", "Bill"),
    ("bill_kind", "账单类型", "Kind"),
    ("bill_amount", "账单金额（元）", "Amount (yuan)"),
    ("paid_money", "已付款（元）", "Paid in money (yuan)"),
    (
        "paid_voucher",
        "创新券抵扣（元）",
        "Paid with vouchers (yuan)",
    ),
    ("outstanding", "待付（元）", "Outstanding (yuan)"),
    ("due_on", "付款期限", "Due on"),
    ("overdue", "已逾期", "Overdue"),
    ("open_bill", "查看账单", "Open the bill"),
    ("next_steps", "办理", "Next steps"),
    ("confirm_booking", "确认预约", "Confirm the booking"),
    ("record_use", "登记使用", "Record the use"),
    (
        "used_units_hint",
        "实际使用的数量，0 表示未使用。",
        "What was used; 0 if it was not used.",
    ),
    ("use_note", "使用说明", "Note"),
    ("extra_yuan", "附加费用（元）", "Extra charges (yuan)"),
    (
        "extra_hint",
        "耗材、试剂等（选填）。",
        "Consumables, reagents (optional).",
    ),
    (
        "extra_note",
        "附加费用说明",
        "What the extra charges are for",
    ),
    ("issue_bill", "开具账单", "Issue the bill"),
    (
        "issue_bill_hint",
        "按实际用量和预约时的单价计费，先用后付。",
        "Billed at the units used and the booked unit price; pay after use.",
    ),
    (
        "due_on_hint",
        "不填默认 30 天后。",
        "Blank: 30 days from today.",
    ),
    ("decline_booking", "拒绝预约", "Decline the booking"),
    (
        "decline_booking_hint",
        "理由会告知预约方。",
        "The booker will see the reason.",
    ),
    ("cancel_booking", "取消预约", "Cancel the booking"),
    (
        "owner_cancel_hint",
        "资源方取消须说明理由，理由会告知预约方。",
        "The owner gives a reason, which the booker will see.",
    ),
    (
        "bills_intro",
        "先用后付：使用后由资源方开具账单，预约方在付款期限内付款，可用科技创新券抵扣一部分。",
        "Pay after use: the owner bills after the use; the booker pays by the due date, partly with innovation vouchers.",
    ),
    ("only_overdue", "只看已逾期", "Only overdue bills"),
    ("all_bills", "全部账单", "All bills"),
    ("bills_to_pay", "本单位应付的账单", "Bills we owe"),
    ("bills_issued", "本单位开具的账单", "Bills we issued"),
    ("bill_number", "账单号", "Number"),
    ("pilot_resource", "资源", "Resource"),
    ("voucher_holder", "持券企业", "Holder"),
    ("face_yuan", "面额（元）", "Face value (yuan)"),
    ("balance_yuan", "余额（元）", "Balance (yuan)"),
    ("share_pct", "可抵扣比例（%）", "Share of a bill (%)"),
    ("claim_number", "申请号", "Claim"),
    ("claim_owner", "申请单位", "Claimant"),
    ("amount_yuan", "金额（元）", "Amount (yuan)"),
    ("paid_yuan", "已付（元）", "Paid (yuan)"),
    (
        "voucher_yuan",
        "创新券抵扣（元）",
        "Paid by vouchers (yuan)",
    ),
    ("outstanding_yuan", "待付（元）", "Outstanding (yuan)"),
    ("payer", "付款方", "Payer"),
    (
        "bill_units",
        "计费数量 × 单价（元）",
        "Units × unit price (yuan)",
    ),
    ("bill_issued_on", "开具日期", "Issued on"),
    ("bill_settled", "账单已结清。", "The bill is settled."),
    ("payments", "付款记录", "Payments"),
    ("no_payments", "还没有付款记录。", "No payments yet."),
    ("paid_on", "付款日期", "Paid on"),
    ("recorded_by", "登记方", "Recorded by"),
    ("payment_reference", "凭证号", "Reference"),
    (
        "payment_reference_hint",
        "银行转账流水号或收据号（选填）。",
        "The transfer's reference or a receipt number (optional).",
    ),
    ("pay_bill", "付款", "Pay"),
    (
        "pay_bill_hint",
        "可同时使用创新券和现金；创新券抵扣不超过本单的可抵额度。",
        "You may pay with a voucher and money together; the voucher pays at most what it may on this bill.",
    ),
    ("voucher_to_use", "使用创新券", "Voucher"),
    ("no_voucher", "不使用创新券", "No voucher"),
    (
        "voucher_amount",
        "创新券抵扣金额（元）",
        "Voucher's part (yuan)",
    ),
    (
        "voucher_amount_hint",
        "不超过所选创新券在本单的可抵额度。",
        "At most what the chosen voucher may pay on this bill.",
    ),
    ("voucher_max_here", "本单最多可抵", "at most here"),
    ("cash_yuan", "现金金额（元）", "Money (yuan)"),
    ("record_money_received", "登记收款", "Record money received"),
    ("record_refund", "登记退款", "Record a refund"),
    (
        "refund_hint",
        "预付多付的金额（元）：",
        "Overpaid on the prepayment (yuan):",
    ),
    ("refund_yuan", "退款金额（元）", "Refund (yuan)"),
    (
        "vouchers_intro",
        "科技局向企业发放科技创新券，用于抵扣中试线、大型仪器和检验检测费用的一部分；资源方凭抵扣记录向科技局申请兑付。",
        "The bureau issues innovation vouchers to enterprises to pay part of pilot line, instrument and testing bills; owners claim the vouchers' part back from the bureau.",
    ),
    ("no_vouchers", "没有创新券。", "No vouchers."),
    ("voucher_code", "券号", "Code"),
    ("voucher_face", "面额（元）", "Face value (yuan)"),
    ("voucher_balance", "余额（元）", "Balance (yuan)"),
    ("valid_period", "有效期", "Valid"),
    (
        "voucher_share",
        "单笔抵扣比例上限（%）",
        "Share of a bill (%)",
    ),
    ("voucher_kinds", "适用资源类型", "For"),
    ("voucher_revoked_tag", "已收回", "Revoked"),
    ("issue_voucher", "发放创新券", "Issue a voucher"),
    ("voucher_enterprise", "获券企业", "Enterprise"),
    ("yuan_hint", "单位：元。", "In yuan."),
    ("valid_from", "有效期起", "Valid from"),
    ("valid_to", "有效期至", "Valid until"),
    (
        "voucher_share_hint",
        "每张账单最多可用创新券支付的比例，1–100。",
        "The most of one bill a voucher pays, 1–100.",
    ),
    ("yearly_cap", "年度使用上限（元）", "Yearly cap (yuan)"),
    (
        "yearly_cap_hint",
        "该企业一个自然年内使用创新券抵扣的总额上限。",
        "The most the enterprise pays with vouchers in a calendar year.",
    ),
    (
        "voucher_kinds_hint",
        "不选表示全部类型。",
        "None chosen means every kind.",
    ),
    ("voucher", "创新券", "Voucher"),
    ("issued_at", "发放时间", "Issued"),
    ("voucher_ledger", "台账", "Ledger"),
    (
        "voucher_ledger_hint",
        "每一笔发放、抵扣和收回，及其后的余额。",
        "Every issue, spend and revocation, with the balance after it.",
    ),
    ("entry_kind", "类别", "Entry"),
    ("entry_amount", "金额（元）", "Amount (yuan)"),
    ("balance_after", "余额（元）", "Balance after (yuan)"),
    ("revoke_voucher", "收回创新券", "Revoke the voucher"),
    (
        "revoke_voucher_hint",
        "收回尚未使用的余额；已抵扣的记录不变。",
        "Takes back what is left; past spends stand.",
    ),
    (
        "voucher_claims_intro",
        "资源方将预约方用创新券抵扣的金额向科技局申请兑付；科技局审核通过后登记拨付。",
        "Owners claim the vouchers' part of their bills back from the bureau, which approves the claim and records its payment.",
    ),
    ("claimable", "可申请兑付", "To claim"),
    ("claimable_amount", "可兑付金额（元）", "Amount (yuan)"),
    ("claimable_spends", "抵扣笔数", "Voucher payments"),
    ("submit_claim", "申请兑付", "Submit a claim"),
    (
        "nothing_to_claim",
        "目前没有可申请兑付的创新券抵扣。",
        "There is nothing to claim now.",
    ),
    ("all_claims", "全部兑付申请", "All claims"),
    ("our_claims", "本单位的兑付申请", "Our claims"),
    ("voucher_claim", "兑付申请", "Claim"),
    ("claim_amount", "申请金额（元）", "Amount (yuan)"),
    ("claim_entries", "所含抵扣记录", "Voucher payments claimed"),
    ("approve_claim", "批准兑付", "Approve"),
    ("record_claim_payment", "登记拨付", "Record the payment"),
    ("claim_paid_on", "拨付日期", "Paid on"),
    ("paid_on_hint", "不填默认今天。", "Blank: today."),
    (
        "claim_reference_hint",
        "财政拨付凭证号。",
        "The transfer's reference.",
    ),
    ("reject_claim", "退回申请", "Reject"),
    (
        "reject_claim_hint",
        "理由会告知资源方；退回后其抵扣记录可重新申请。",
        "The owner will see the reason; its voucher payments may be claimed again.",
    ),
    ("weekday_1", "周一", "Mon"),
    ("weekday_2", "周二", "Tue"),
    ("weekday_3", "周三", "Wed"),
    ("weekday_4", "周四", "Thu"),
    ("weekday_5", "周五", "Fri"),
    ("weekday_6", "周六", "Sat"),
    ("weekday_7", "周日", "Sun"),
    (
        "booking_requested",
        "预约已提交，等待资源方确认。",
        "Booking requested; awaiting the owner's confirmation.",
    ),
    (
        "booking_confirmed",
        "预约已确认。",
        "The booking is confirmed.",
    ),
    (
        "booking_declined",
        "已拒绝预约。",
        "The booking is declined.",
    ),
    (
        "booking_cancelled",
        "预约已取消。",
        "The booking is cancelled.",
    ),
    ("use_recorded", "已登记使用。", "The use is recorded."),
    ("bill_issued", "账单已开具。", "The bill is issued."),
    (
        "resource_withdrawn",
        "已停止预约。",
        "Withdrawn from booking.",
    ),
    (
        "resource_offered",
        "已恢复预约。",
        "Offered for booking again.",
    ),
    (
        "maintenance_added",
        "已安排维护。",
        "Maintenance is scheduled.",
    ),
    (
        "maintenance_removed",
        "已取消维护。",
        "The maintenance is removed.",
    ),
    (
        "payment_recorded",
        "付款已登记。",
        "The payment is recorded.",
    ),
    ("refund_recorded", "退款已登记。", "The refund is recorded."),
    ("voucher_issued", "创新券已发放。", "The voucher is issued."),
    (
        "voucher_revoked",
        "创新券已收回。",
        "The voucher is revoked.",
    ),
    (
        "claim_submitted",
        "兑付申请已提交，等待科技局审核。",
        "The claim is submitted; awaiting the bureau.",
    ),
    (
        "claim_approved",
        "兑付申请已批准。",
        "The claim is approved.",
    ),
    (
        "claim_rejected",
        "兑付申请已退回。",
        "The claim is rejected.",
    ),
    ("claim_paid", "已登记拨付。", "The reimbursement is paid."),
    ("our_resources", "本单位提供的资源", "Resources we offer"),
    (
        "pilot_statistics",
        "中试与仪器共享、科技创新券",
        "Pilot lines, instruments and innovation vouchers",
    ),
    ("vouchers_issued", "发放创新券（张）", "Vouchers issued"),
    ("vouchers_issued_yuan", "发放面额（元）", "Issued (yuan)"),
    (
        "voucher_enterprises",
        "获券企业（家）",
        "Enterprises holding vouchers",
    ),
    ("vouchers_spent_yuan", "创新券抵扣（元）", "Spent (yuan)"),
    (
        "vouchers_reimbursed_yuan",
        "已兑付（元）",
        "Reimbursed (yuan)",
    ),
    (
        "no_pilot_use",
        "该年度没有已使用的预约。",
        "No bookings were used in the year.",
    ),
    ("pilot_by_owner", "各提供方使用情况", "Use by owner"),
    ("pilot_resources_used", "资源数", "Resources"),
    ("pilot_uses", "使用次数", "Uses"),
    ("pilot_users", "服务单位数", "Organisations served"),
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
