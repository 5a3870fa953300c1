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
    /// The file would unpack or expand to more than a [`ReadOptions`](crate::ReadOptions) limit
    /// allows (a "zip bomb", or simply too much data). Found before the work is done, so the
    /// caller can answer 413/422 naming the limit. `limit` is in the unit of `what` (bytes for
    /// sizes, a count otherwise, `N` of `N:1` for the compression ratio).
    TooLarge { what: Limit, limit: u64 },
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
            SheetError::TooLarge { what, limit } => format!(
                "{}，请删去多余的内容或拆分成多个文件后再上传",
                what.zh(*limit)
            ),
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
            SheetError::TooLarge { what, limit } => format!(
                "{}; remove what is not needed or split the file, then upload it again",
                what.en(*limit)
            ),
            SheetError::Write(detail) => format!("Could not write the workbook ({detail})"),
        }
    }

    /// The file is refused for its size ([`SheetError::TooLarge`], [`SheetError::TooManyRows`]
    /// or [`SheetError::TooManyColumns`]) rather than for its content: HTTP 413 rather than 422.
    pub fn is_too_large(&self) -> bool {
        matches!(
            self,
            SheetError::TooLarge { .. }
                | SheetError::TooManyRows { .. }
                | SheetError::TooManyColumns { .. }
        )
    }
}

/// Which [`ReadOptions`](crate::ReadOptions) limit a [`SheetError::TooLarge`] file went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`ReadOptions::max_part_size`](crate::ReadOptions::max_part_size): bytes one part of a
    /// workbook (a worksheet, say) unpacks to.
    PartSize,
    /// [`ReadOptions::max_total_size`](crate::ReadOptions::max_total_size): bytes the whole
    /// workbook unpacks to.
    TotalSize,
    /// [`ReadOptions::max_compression_ratio`](crate::ReadOptions::max_compression_ratio):
    /// unpacked size to packed size of one large part.
    CompressionRatio,
    /// [`ReadOptions::max_parts`](crate::ReadOptions::max_parts): files inside the workbook's
    /// zip container.
    Parts,
    /// [`ReadOptions::max_shared_strings`](crate::ReadOptions::max_shared_strings): distinct
    /// texts in the workbook's shared-strings table.
    SharedStrings,
    /// [`ReadOptions::max_shared_strings_size`](crate::ReadOptions::max_shared_strings_size):
    /// bytes of the shared-strings table.
    SharedStringsSize,
    /// [`ReadOptions::max_styles`](crate::ReadOptions::max_styles): cell formats, fonts,
    /// fills, borders and number formats.
    Styles,
    /// [`ReadOptions::max_metadata_size`](crate::ReadOptions::max_metadata_size): bytes of a
    /// part that describes the workbook (styles, sheet list, relationships, theme).
    MetadataSize,
    /// [`ReadOptions::max_cells`](crate::ReadOptions::max_cells): cells, counted as rows ×
    /// columns of what the reader would hold.
    Cells,
    /// [`ReadOptions::max_text_size`](crate::ReadOptions::max_text_size): bytes of text in the
    /// cells read (a shared string counted each time a cell uses it).
    TextSize,
    /// [`ReadOptions::max_part_size`](crate::ReadOptions::max_part_size) applied to a CSV
    /// file: bytes of its text, as stored or once decoded to UTF-8.
    CsvSize,
}

impl Limit {
    /// What went past the limit, in Chinese, naming the limit.
    pub fn zh(self, limit: u64) -> String {
        match self {
            Limit::PartSize => format!(
                "文件中的一个部分（如一张工作表）解压后超过 {} 的上限",
                megabytes(limit)
            ),
            Limit::TotalSize => format!("文件解压后的总大小超过 {} 的上限", megabytes(limit)),
            Limit::CompressionRatio => {
                format!("文件中的数据压缩比超过 {limit}:1 的上限，不像是正常填写的表格")
            }
            Limit::Parts => format!("文件内部包含的部件超过 {limit} 个的上限"),
            Limit::SharedStrings => format!("表格中不同的文字内容超过 {limit} 条的上限"),
            Limit::SharedStringsSize => {
                format!("表格中的文字内容超过 {} 的上限", megabytes(limit))
            }
            Limit::Styles => format!("单元格格式（样式）超过 {limit} 种的上限"),
            Limit::MetadataSize => format!(
                "工作簿的设置部分（样式、工作表目录等）超过 {} 的上限",
                megabytes(limit)
            ),
            Limit::Cells => format!("单元格数量（行数 × 列数）超过 {limit} 个的上限"),
            Limit::TextSize => format!("单元格中的文字合计超过 {} 的上限", megabytes(limit)),
            Limit::CsvSize => format!("文本（CSV）文件超过 {} 的上限", megabytes(limit)),
        }
    }

    /// What went past the limit, in English, naming the limit.
    pub fn en(self, limit: u64) -> String {
        match self {
            Limit::PartSize => format!(
                "One part of the file (a worksheet, say) unpacks to more than the limit of {}",
                megabytes(limit)
            ),
            Limit::TotalSize => format!(
                "The file unpacks to more than the limit of {} in all",
                megabytes(limit)
            ),
            Limit::CompressionRatio => format!(
                "Data in the file is compressed more than {limit}:1, the limit: not an ordinary filled-in sheet"
            ),
            Limit::Parts => format!("The file holds more than {limit} parts, the limit"),
            Limit::SharedStrings => {
                format!("The sheet has more than {limit} different texts, the limit")
            }
            Limit::SharedStringsSize => format!(
                "The sheet's texts take more than the limit of {}",
                megabytes(limit)
            ),
            Limit::Styles => format!("The workbook has more than {limit} cell styles, the limit"),
            Limit::MetadataSize => format!(
                "A settings part of the workbook (styles, sheet list, …) is larger than the limit of {}",
                megabytes(limit)
            ),
            Limit::Cells => format!("More than {limit} cells (rows × columns), the limit"),
            Limit::TextSize => format!(
                "The cells' texts come to more than the limit of {}",
                megabytes(limit)
            ),
            Limit::CsvSize => format!(
                "The text (CSV) file is larger than the limit of {}",
                megabytes(limit)
            ),
        }
    }
}

/// Bytes as whole megabytes (MiB, as Windows counts them), or kilobytes/bytes when small.
fn megabytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        let whole = bytes / MIB;
        if bytes.is_multiple_of(MIB) {
            format!("{whole} MB")
        } else {
            format!("{:.1} MB", bytes as f64 / MIB as f64)
        }
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        SheetError::Write(e.to_string())
    }
}
