//! Writes a sample import template, a list export and an error report to the current directory
//! (`template.xlsx`, `export.xlsx`, `errors.xlsx`) for looking at in Excel/WPS/LibreOffice.

use fruition_sheets::{
    Column, Date, RowError, Sheet, Value, error_report_xlsx, template_xlsx, write_xlsx,
};

const COLUMNS: &[Column] = &[
    Column {
        key: "name",
        zh: "企业名称",
        en: "Company name",
        required: true,
        hint_zh: "填写营业执照上的企业全称",
    },
    Column {
        key: "uscc",
        zh: "统一社会信用代码",
        en: "USCC",
        required: true,
        hint_zh: "18 位代码，字母大写；请勿填写为数字格式",
    },
    Column {
        key: "founded",
        zh: "成立日期",
        en: "Founded",
        required: false,
        hint_zh: "格式如 2020-05-01",
    },
    Column {
        key: "staff",
        zh: "从业人员（人）",
        en: "Staff",
        required: false,
        hint_zh: "年末从业人员数，整数",
    },
    Column {
        key: "revenue",
        zh: "营业收入（万元）",
        en: "Revenue (10k CNY)",
        required: false,
        hint_zh: "上一年度营业收入，单位万元，可保留两位小数",
    },
];

fn main() {
    let examples = vec![vec![
        Value::from("株洲某某科技有限公司"),
        Value::from("91430200MA4L000000"),
        Value::from(Date::new(2020, 5, 1)),
        Value::from(35),
        Value::from(1234.56),
    ]];
    std::fs::write(
        "template.xlsx",
        template_xlsx("孵化企业", COLUMNS, &examples).unwrap(),
    )
    .unwrap();
    let export = Sheet {
        name: "孵化企业名单 2024/12".into(),
        headers: COLUMNS.iter().map(|c| c.zh.to_string()).collect(),
        rows: vec![
            examples[0].clone(),
            vec![
                "株洲市天元区一家名字非常非常长的新材料科技有限责任公司".into(),
                "0731".into(),
                Value::Empty,
                7.into(),
                0.3.into(),
            ],
        ],
    };
    std::fs::write("export.xlsx", write_xlsx(&[export]).unwrap()).unwrap();
    let errors = vec![RowError::new(
        3,
        "成立日期",
        "2024-02-30",
        "不是有效的日期",
        "not a valid date",
    )];
    std::fs::write("errors.xlsx", error_report_xlsx(&errors).unwrap()).unwrap();
}
