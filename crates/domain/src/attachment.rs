//! Files people attach to their work (a service step's report, a scanned certificate): which
//! kinds are accepted — told by their first bytes, not by the name they arrive with —, how large,
//! and what a file's name may be when it is shown and downloaded again.

use serde::Serialize;

use crate::FieldError;
use crate::org::string_enum;

/// The largest attachment accepted, checked before the file is read further.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The longest name kept, in characters.
pub const NAME_MAX: usize = 120;

string_enum! {
    /// What a file is, by its content: `office` is Word, Excel or PowerPoint since 2007 (a zip
    /// of XML parts), `legacy_office` before 2007 (an OLE compound file).
    AttachmentKind {
        Pdf = "pdf", "PDF 文档", "PDF document";
        Png = "png", "PNG 图片", "PNG image";
        Jpeg = "jpeg", "JPEG 图片", "JPEG image";
        Office = "office", "Office 文档", "Office document";
        LegacyOffice = "legacy_office", "Office 97-2003 文档", "Office 97-2003 document";
    }
}

impl AttachmentKind {
    /// The extension a file of this kind is given when it came without a name.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Pdf => "pdf",
            AttachmentKind::Png => "png",
            AttachmentKind::Jpeg => "jpg",
            AttachmentKind::Office | AttachmentKind::LegacyOffice => "bin",
        }
    }

    /// The media type a download is served with.
    pub fn media_type(self, name: &str) -> &'static str {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match self {
            AttachmentKind::Pdf => "application/pdf",
            AttachmentKind::Png => "image/png",
            AttachmentKind::Jpeg => "image/jpeg",
            AttachmentKind::Office => match ext.as_str() {
                "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "pptx" => {
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
                }
                _ => "application/octet-stream",
            },
            AttachmentKind::LegacyOffice => match ext.as_str() {
                "doc" => "application/msword",
                "xls" => "application/vnd.ms-excel",
                "ppt" => "application/vnd.ms-powerpoint",
                _ => "application/octet-stream",
            },
        }
    }
}

/// A file as checked: its kind and the name it keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checked {
    pub kind: AttachmentKind,
    pub name: String,
}

/// Checks a file under the form field `field`: not empty, at most [`MAX_BYTES`], one of the
/// accepted kinds by content (an Office file must also be named .docx/.xlsx/.pptx or
/// .doc/.xls/.ppt, since a zip or OLE file may be anything), and a name made safe to show and to
/// send back (path parts, control characters and quotes dropped; at most [`NAME_MAX`]
/// characters; a name from the kind when nothing is left).
pub fn check(field: &'static str, name: &str, bytes: &[u8]) -> Result<Checked, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            "请选择要上传的文件",
            "Choose the file to upload",
        ));
    }
    if bytes.len() > MAX_BYTES {
        return Err(too_large(field));
    }
    let name = clean_name(name);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = sniff(bytes, &ext);
    let Some(kind) = kind else {
        return Err(FieldError::new(
            field,
            "kind",
            "只接受 PDF、PNG、JPEG 图片和 Word、Excel、PowerPoint 文档",
            "Only PDF, PNG or JPEG images and Word, Excel or PowerPoint documents are accepted",
        ));
    };
    let name = if name.is_empty() {
        format!("附件.{}", kind.extension())
    } else {
        name
    };
    Ok(Checked { kind, name })
}

/// What a file is by its first bytes; an Office file (a zip or OLE container, which may hold
/// anything) only when `ext` (lower case) names an Office document too.
pub fn sniff(bytes: &[u8], ext: &str) -> Option<AttachmentKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(AttachmentKind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(AttachmentKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(AttachmentKind::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") && matches!(ext, "docx" | "xlsx" | "pptx") {
        Some(AttachmentKind::Office)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        && matches!(ext, "doc" | "xls" | "ppt")
    {
        Some(AttachmentKind::LegacyOffice)
    } else {
        None
    }
}

/// The refusal of a file over [`MAX_BYTES`].
pub fn too_large(field: &'static str) -> FieldError {
    FieldError::new(
        field,
        "too_large",
        format!("文件不能超过 {} MB", MAX_BYTES / 1024 / 1024),
        format!("The file may be at most {} MB", MAX_BYTES / 1024 / 1024),
    )
}

/// The last path part of `name`, without control characters, quotes or separators, trimmed to
/// [`NAME_MAX`] characters (keeping the extension).
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | ':' | '*' | '?' | '|'))
        .collect();
    let kept = kept.trim().trim_start_matches('.').trim().to_string();
    if kept.chars().count() <= NAME_MAX {
        return kept;
    }
    match kept.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 8 => {
            let room = NAME_MAX - ext.chars().count() - 1;
            format!("{}.{ext}", stem.chars().take(room).collect::<String>())
        }
        _ => kept.chars().take(NAME_MAX).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_content() {
        assert_eq!(
            check("file", "报告.pdf", b"%PDF-1.7 ...").unwrap().kind,
            AttachmentKind::Pdf
        );
        assert_eq!(
            check("file", "a.docx", b"PK\x03\x04rest").unwrap().kind,
            AttachmentKind::Office
        );
        // A zip that is not named as an Office document, a script named .pdf: refused.
        assert_eq!(
            check("file", "a.zip", b"PK\x03\x04").unwrap_err().code,
            "kind"
        );
        assert_eq!(
            check("file", "x.pdf", b"#!/bin/sh").unwrap_err().code,
            "kind"
        );
        assert_eq!(check("file", "x.pdf", b"").unwrap_err().code, "required");
        let big = vec![b'%'; MAX_BYTES + 1];
        assert_eq!(check("file", "x.pdf", &big).unwrap_err().code, "too_large");
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(clean_name("C:\\Users\\张三\\检测报告.pdf"), "检测报告.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b\r\n.pdf"), "ab.pdf");
        assert_eq!(clean_name(".hidden"), "hidden");
        let long = format!("{}.pdf", "很".repeat(300));
        let kept = clean_name(&long);
        assert_eq!(kept.chars().count(), NAME_MAX);
        assert!(kept.ends_with(".pdf"));
        assert_eq!(check("file", "///", b"%PDF-").unwrap().name, "附件.pdf");
    }
}
