//! The audit log's vocabulary: what happened to which kind of entity.

use crate::org::string_enum;

string_enum! {
    /// The kind of change an audit entry records.
    AuditAction {
        Create = "create", "新增", "Create";
        Update = "update", "修改", "Update";
        Delete = "delete", "删除", "Delete";
    }
}
