//! The audit log's vocabulary: what happened to which kind of entity.

use crate::org::string_enum;

string_enum! {
    /// What an audit entry records: a change to a record, or a sign-in, a failed one or a refusal.
    AuditAction {
        Create = "create", "新增", "Create";
        Update = "update", "修改", "Update";
        Delete = "delete", "删除", "Delete";
        Remind = "remind", "提醒", "Reminder";
        SignIn = "sign_in", "登录", "Sign-in";
        SignInFailed = "sign_in_failed", "登录失败", "Failed sign-in";
        SignInThrottled = "sign_in_throttled", "登录受限", "Sign-in throttled";
    }
}
