//! A bank's monthly repayment workbook: one row per repayment (the loan's number, the day, the
//! principal and the interest in yuan). Every row is checked first by itself (the number, a day
//! not in the future, amounts in yuan to the fen), then applied in one transaction in file order
//! against the bank's own loans (a loan of another bank, one not being repaid, or principal past
//! what is owed is that row's error); any bad row means nothing is written and the answer lists
//! every one by row and column.

use fruition_domain::authz::Action;
use fruition_domain::money;
use fruition_sheets::{Column, ReadOptions, RowError, Value};
use fruition_store::StoreError;
use fruition_store::credit::loans::{self as store, NewRepayment};
use fruition_store::credit::policy;
use serde::Serialize;
use utoipa::ToSchema;

use super::risk;
use crate::clock::today;
use crate::error::AppError;
use crate::import::{ImportError, checked_header, read_upload, sheet_failed};
use crate::inbox::tell;
use crate::{App, Ctx};

/// The template's data sheet.
pub const SHEET_NAME: &str = "还款明细";

/// The most rows one workbook may carry (a bank's month is a few thousand).
pub const MAX_ROWS: usize = 50_000;

const COLUMNS: [Column; 4] = [
    Column {
        key: "loan",
        zh: "贷款编号",
        en: "Loan number",
        required: true,
        hint_zh: "平台上的贷款编号，如 ZSD2025-000123（也可只填序号 123）",
    },
    Column {
        key: "paid_on",
        zh: "还款日期",
        en: "Paid on",
        required: true,
        hint_zh: "如 2025-06-20，不能晚于今天",
    },
    Column {
        key: "principal",
        zh: "归还本金（元）",
        en: "Principal (yuan)",
        required: true,
        hint_zh: "元，最多两位小数；未还本金填 0",
    },
    Column {
        key: "interest",
        zh: "支付利息（元）",
        en: "Interest (yuan)",
        required: true,
        hint_zh: "元，最多两位小数；未付利息填 0",
    },
];

pub fn columns() -> &'static [Column] {
    &COLUMNS
}

/// The .xlsx template with an example row.
pub fn template() -> Result<Vec<u8>, AppError> {
    let example = vec![
        Value::Text("ZSD2025-000123".into()),
        Value::Text("2025-06-20".into()),
        Value::Text("50000.00".into()),
        Value::Text("3625.00".into()),
    ];
    fruition_sheets::template_xlsx(SHEET_NAME, columns(), &[example]).map_err(sheet_failed)
}

/// What a workbook wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RepaymentImportSummary {
    pub batch_id: i64,
    pub rows: usize,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub principal: String,
    pub interest: String,
    /// Loans the workbook repaid in full.
    pub loans_settled: usize,
}

/// A loan number: `ZSD2025-000123` or `123`.
fn loan_id(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = match t.rsplit_once('-') {
        Some((prefix, n)) if prefix.to_ascii_uppercase().starts_with("ZSD") => n,
        Some(_) => return None,
        None => t,
    };
    digits
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && digits.len() <= 12)
}

/// Imports a bank's workbook (the bank's users who can write).
pub async fn import<B>(
    state: &App,
    ctx: &Ctx<'_>,
    bytes: B,
    filename: &str,
) -> Result<RepaymentImportSummary, ImportError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    let bank = ctx.principal.user.org_id;
    ctx.require(Action::Lend { bank_org_id: bank })?;
    let options = ReadOptions {
        max_rows: MAX_ROWS,
        ..ReadOptions::default()
    };
    let table = read_upload(bytes, filename, options, |_| {}).await?;
    let h = checked_header(&table, columns())?;
    let today = today();
    let mut errors: Vec<RowError> = Vec::new();
    let mut parsed: Vec<(usize, NewRepayment)> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let before = errors.len();
        let id = loan_id(&h.get(row, "loan").as_text());
        if id.is_none() {
            errors.push(h.error(
                row,
                "loan",
                "贷款编号应为 ZSD年份-序号（如 ZSD2025-000123）或序号",
                "A loan number is ZSD<year>-<n> (e.g. ZSD2025-000123) or the number alone",
            ));
        }
        let paid_on = match h.get(row, "paid_on").as_date() {
            Ok(d) if d.to_string() <= today => Some(d.to_string()),
            Ok(_) => {
                errors.push(h.error(
                    row,
                    "paid_on",
                    "还款日期不能晚于今天",
                    "The day cannot be after today",
                ));
                None
            }
            Err(p) => {
                errors.push(h.problem(row, "paid_on", &p));
                None
            }
        };
        let mut amount = |key: &str| match money::parse_yuan(
            if key == "principal" {
                "principal"
            } else {
                "interest"
            },
            &h.get(row, key).as_text(),
        ) {
            Ok(f) if f >= 0 => Some(f),
            Ok(_) => {
                errors.push(h.error(row, key, "金额不能为负", "The amount cannot be negative"));
                None
            }
            Err(e) => {
                errors.push(h.error(row, key, e.zh, e.en));
                None
            }
        };
        let principal = amount("principal");
        let interest = amount("interest");
        if let (Some(0), Some(0)) = (principal, interest) {
            errors.push(h.error(
                row,
                "principal",
                "本金和利息不能都为零",
                "Principal and interest cannot both be zero",
            ));
        }
        if errors.len() == before
            && let (Some(loan_id), Some(paid_on), Some(p), Some(i)) =
                (id, paid_on, principal, interest)
        {
            parsed.push((
                row.number,
                NewRepayment {
                    loan_id,
                    paid_on,
                    principal_fen: p,
                    interest_fen: i,
                    batch_id: None,
                },
            ));
        }
    }
    // Rows that passed by themselves are tried against the loans too (in a transaction that is
    // dropped when anything failed), so one answer lists every bad row.
    let principal: i64 = parsed.iter().map(|(_, r)| r.principal_fen).sum();
    let interest: i64 = parsed.iter().map(|(_, r)| r.interest_fen).sum();
    let rules = policy::current(&state.db).await?.pool;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let batch = store::open_batch(
        &mut tx,
        &audit,
        bank,
        filename,
        parsed.len() as i64,
        principal,
        interest,
    )
    .await?;
    let mut settled = Vec::new();
    let column = |key: &str| {
        COLUMNS
            .iter()
            .find(|c| c.key == key)
            .map_or("", |c| c.zh)
            .to_string()
    };
    for (number, mut r) in parsed.iter().cloned() {
        r.batch_id = Some(batch);
        match store::repay(&mut tx, &audit, bank, &r).await {
            Ok((_, loan)) => {
                if loan.status == fruition_domain::loan::LoanStatus::Repaid {
                    settled.push(loan);
                }
            }
            Err(e) => {
                let (key, zh, en) = match e {
                    StoreError::NotFound => (
                        "loan",
                        "本行没有这个编号的贷款".to_string(),
                        "Your bank has no loan with this number".to_string(),
                    ),
                    StoreError::Conflict { field } if field == "principal" => (
                        "principal",
                        "归还本金超过该笔贷款尚欠本金（含本文件前面各行）".to_string(),
                        "The principal passes what is owed (counting the rows above)".to_string(),
                    ),
                    StoreError::Conflict { .. } => (
                        "loan",
                        "该笔贷款不在还款中（未放款、已结清或已违约）".to_string(),
                        "The loan is not being repaid (not disbursed, settled or defaulted)"
                            .to_string(),
                    ),
                    other => return Err(other.into()),
                };
                errors.push(RowError {
                    row: number,
                    column: column(key),
                    value: match key {
                        "principal" => money::yuan(r.principal_fen),
                        _ => r.loan_id.to_string(),
                    },
                    zh,
                    en,
                });
            }
        }
    }
    if !errors.is_empty() {
        // Dropped without commit: nothing of the file is kept.
        errors.sort_by_key(|e| e.row);
        return Err(ImportError::Rows(errors));
    }
    let change = risk::recompute_in(&mut tx, &audit, bank, &rules).await?;
    tx.commit().await?;
    for loan in &settled {
        tell(
            state,
            &[loan.borrower_org_id],
            super::loans::notice(loan, "repaid", "贷款已结清"),
        )
        .await;
    }
    risk::tell_if_rose(state, &change).await;
    Ok(RepaymentImportSummary {
        batch_id: batch,
        rows: parsed.len(),
        principal: money::yuan(principal),
        interest: money::yuan(interest),
        principal_fen: principal,
        interest_fen: interest,
        loans_settled: settled.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loan_numbers_read_both_ways() {
        assert_eq!(loan_id("ZSD2025-000123"), Some(123));
        assert_eq!(loan_id(" zsd2024-7 "), Some(7));
        assert_eq!(loan_id("42"), Some(42));
        assert_eq!(loan_id("ABC-12"), None);
        assert_eq!(loan_id("ZSD2025-"), None);
        assert_eq!(loan_id("0"), None);
        assert_eq!(loan_id("贷款一"), None);
    }
}
