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
