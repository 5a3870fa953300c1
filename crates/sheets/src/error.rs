//! Whole-file errors: the file cannot be read as a table at all, or a workbook cannot be written.

/// Why a file could not be read (or a workbook written), in Chinese and English.
///
/// `Display` gives both messages (`中文 / English`); [`SheetError::zh`] and [`SheetError::en`]
/// give one language for the user's locale.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} / {}", self.zh(), self.en())]
pub enum SheetError {
    /// Zero bytes (or only a byte-order mark / whitespace).
    Empty,
    /// Neither a workbook nor a text table (an image, a PDF, a Word file, …).
    NotASpreadsheet,
    /// An HTML page saved with an `.xls` name, as some web systems export "Excel" files.
    HtmlDisguisedAsExcel,
    /// Text that is neither UTF-8, UTF-16 nor GB18030/GBK.
    UnknownEncoding,
    /// The sheet has no non-empty row to take the column names from.
    NoHeaderRow,
    /// The workbook has no worksheet (only chart sheets, say).
    NoWorksheet,
    /// The sheet asked for by name does not exist.
    SheetNotFound {
        name: String,
        available: Vec<String>,
    },
    /// The workbook is protected by an opening password.
    Encrypted,
    /// A zip/xlsx (or xls) container that cannot be parsed.
    Corrupt(String),
    /// More data rows than the configured limit.
    TooManyRows { limit: usize },
    /// A value beyond the configured number of columns.
    TooManyColumns { limit: usize },
    /// Writing a workbook failed.
    Write(String),
}

impl SheetError {
    pub fn zh(&self) -> String {
        match self {
            SheetError::Empty => "文件是空的，请检查是否选对了文件".into(),
            SheetError::NotASpreadsheet => {
                "文件不是 Excel 表格（.xlsx/.xls）或 CSV 文件，请上传用模板填写的表格".into()
            }
            SheetError::HtmlDisguisedAsExcel => {
                "这是网页（HTML）格式的“Excel”文件，请用 Excel 或 WPS 打开后另存为 .xlsx 再上传"
                    .into()
            }
            SheetError::UnknownEncoding => {
                "无法识别 CSV 文件的文字编码，请在 Excel 中另存为 .xlsx 或“CSV UTF-8”格式".into()
            }
            SheetError::NoHeaderRow => "找不到表头行：表格中没有任何内容".into(),
            SheetError::NoWorksheet => "工作簿中没有可读取的工作表".into(),
            SheetError::SheetNotFound { name, available } => {
                format!(
                    "找不到名为“{name}”的工作表（现有工作表：{}）",
                    available.join("、")
                )
            }
            SheetError::Encrypted => "工作簿设置了打开密码，请取消密码后再上传".into(),
            SheetError::Corrupt(detail) => {
                format!("文件已损坏或不是有效的 Excel 文件，请用 Excel 打开后重新保存（{detail}）")
            }
            SheetError::TooManyRows { limit } => {
                format!("数据行数超过上限 {limit} 行，请拆分成多个文件分批导入")
            }
            SheetError::TooManyColumns { limit } => {
                format!("列数超过上限 {limit} 列，请检查是否选错了工作表")
            }
            SheetError::Write(detail) => format!("生成 Excel 文件失败（{detail}）"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            SheetError::Empty => "The file is empty; check that you chose the right file".into(),
            SheetError::NotASpreadsheet => {
                "The file is neither an Excel workbook (.xlsx/.xls) nor a CSV file; upload the filled-in template".into()
            }
            SheetError::HtmlDisguisedAsExcel => {
                "This \"Excel\" file is really a web page (HTML); open it in Excel or WPS and save it as .xlsx".into()
            }
            SheetError::UnknownEncoding => {
                "The CSV file's text encoding is not recognised; save it from Excel as .xlsx or \"CSV UTF-8\"".into()
            }
            SheetError::NoHeaderRow => "No header row: the sheet is empty".into(),
            SheetError::NoWorksheet => "The workbook has no worksheet to read".into(),
            SheetError::SheetNotFound { name, available } => {
                format!("No sheet named \"{name}\" (sheets: {})", available.join(", "))
            }
            SheetError::Encrypted => {
                "The workbook is password-protected; remove the password and upload it again".into()
            }
            SheetError::Corrupt(detail) => {
                format!("The file is damaged or not a valid Excel workbook; open it in Excel and save it again ({detail})")
            }
            SheetError::TooManyRows { limit } => {
                format!("More than {limit} data rows; split the file and import it in parts")
            }
            SheetError::TooManyColumns { limit } => {
                format!("More than {limit} columns; check that the right sheet was chosen")
            }
            SheetError::Write(detail) => format!("Could not write the workbook ({detail})"),
        }
    }
}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        SheetError::Write(e.to_string())
    }
}
