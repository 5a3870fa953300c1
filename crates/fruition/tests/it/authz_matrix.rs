//! Every endpoint, for every role, on the user's own organisation and on another's: allowed or denied.
//! The expectations are written out here, independently of `fruition_domain::authz`.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

/// The OpenAPI document's snapshot: every operation it documents must be in [`TABLE`].
const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

/// Operations that need no sign-in (the check that everything else answers 401 skips them).
const PUBLIC: &[&str] = &[
    "POST /applications",
    "GET /listings",
    "POST /listings/search",
    "GET /listings/{id}",
    "GET /resources",
    "GET /resources/{id}",
    "GET /resources/{id}/calendar",
];

/// Cases whose refusal is 404, not 403: the resource is looked up among the actor's own, so
/// another's is not found.
const NOT_FOUND_WHEN_DENIED: &[(&str, Target)] = &[
    ("DELETE /me/tokens/{id}", Other),
    // Another organisation's unpublished listing does not exist, as far as the actor knows.
    ("GET /listings/{id}", Other),
    ("GET /listings/{id}/matches", Other),
    ("PUT /listings/{id}/matches/{suggested_id}/feedback", Other),
    // Kept searches and inbox messages are looked up among the user's own.
    ("DELETE /me/saved-searches/{id}", Other),
    ("POST /me/inbox/{id}/read", Other),
    // A deal does not exist for an organisation not party to it (a bank has none of its own).
    ("GET /deals/{id}", Own),
    ("GET /deals/{id}", Other),
    ("POST /deals/{id}/messages", Own),
    ("POST /deals/{id}/messages", Other),
    ("POST /deals/{id}/terms", Own),
    ("POST /deals/{id}/terms", Other),
    ("POST /deals/{id}/acceptance", Own),
    ("POST /deals/{id}/acceptance", Other),
    ("POST /deals/{id}/withdrawal", Own),
    ("POST /deals/{id}/withdrawal", Other),
    ("POST /deals/{id}/registration", Own),
    ("POST /deals/{id}/registration", Other),
    ("POST /deals/{id}/registration-refusal", Own),
    ("POST /deals/{id}/registration-refusal", Other),
    ("POST /deals/{id}/outcome", Own),
    ("POST /deals/{id}/outcome", Other),
    // A submitted contract does not exist for an organisation with no part in it.
    ("GET /contract-submissions/{id}", Other),
    ("GET /contract-submissions/{id}/file", Other),
    ("PUT /contract-submissions/{id}", Other),
    ("POST /contract-submissions/{id}/decision", Other),
    ("POST /contract-submissions/{id}/reminders", Other),
    // Bookings, bills, vouchers and claims do not exist for organisations with no part in them.
    ("GET /bookings/{id}", Own),
    ("GET /bookings/{id}", Other),
    ("POST /bookings/{id}/actions", Own),
    ("POST /bookings/{id}/actions", Other),
    ("GET /bills/{id}", Own),
    ("GET /bills/{id}", Other),
    ("POST /bills/{id}/payments", Own),
    ("POST /bills/{id}/payments", Other),
    // A bill is reminded of by its issuer; an organisation with no part in it does not see it.
    ("POST /bills/{id}/reminders", Own),
    ("POST /bills/{id}/reminders", Other),
    ("GET /vouchers/{id}", Own),
    ("GET /vouchers/{id}", Other),
    ("GET /voucher-claims/{id}", Own),
    ("GET /voucher-claims/{id}", Other),
    ("POST /voucher-claims/{id}/actions", Own),
    ("POST /voucher-claims/{id}/actions", Other),
    // A fund's exits and an investment do not exist for those who may not see its portfolio.
    ("GET /capital/funds/{id}/exits", Own),
    ("GET /capital/funds/{id}/exits", Other),
    ("GET /capital/investments/{id}", Own),
    ("GET /capital/investments/{id}", Other),
    // A loan or a claim does not exist for an organisation with no part in it.
    ("GET /credit/loans/{id}", Own),
    ("GET /credit/loans/{id}", Other),
    ("POST /credit/loans/{id}/actions", Own),
    ("POST /credit/loans/{id}/actions", Other),
    ("POST /credit/loans/{id}/repayments", Own),
    ("POST /credit/loans/{id}/repayments", Other),
    ("POST /credit/loans/{id}/claims", Own),
    ("POST /credit/loans/{id}/claims", Other),
    ("GET /credit/claims/{id}", Own),
    ("GET /credit/claims/{id}", Other),
    ("POST /credit/claims/{id}/recoveries", Own),
    ("POST /credit/claims/{id}/recoveries", Other),
    // A 先投后股 project does not exist for an organisation that is neither its enterprise nor
    // its fund's manager.
    ("GET /capital/grants/{id}", Own),
    ("GET /capital/grants/{id}", Other),
    ("POST /capital/grants/{id}/milestones", Own),
    ("POST /capital/grants/{id}/milestones", Other),
    (
        "POST /capital/grants/{id}/milestones/{milestone_id}/achievement",
        Own,
    ),
    (
        "POST /capital/grants/{id}/milestones/{milestone_id}/achievement",
        Other,
    ),
    ("POST /capital/grants/{id}/actions", Own),
    ("POST /capital/grants/{id}/actions", Other),
    // A mentoring relationship does not exist for those with no part in it.
    ("GET /mentorships/{id}", Own),
    ("GET /mentorships/{id}", Other),
    ("POST /mentorships/{id}/sessions", Own),
    ("POST /mentorships/{id}/sessions", Other),
    ("POST /mentorships/{id}/end", Own),
    ("POST /mentorships/{id}/end", Other),
    // A service request does not exist for an organisation that is not party to it.
    ("GET /services/requests/{id}", Other),
    ("POST /services/requests/{id}/actions", Other),
    ("POST /services/requests/{id}/steps/{position}/files", Other),
    ("GET /services/requests/{id}/files/{file_id}", Other),
];

/// A parent's stage path (the seed's, 中车株洲所).
const STAGES: [&str; 5] = [
    "科研立项",
    "技术攻关",
    "产品研发",
    "事业部发展",
    "新公司成型",
];

/// The columns of the table: the acting users.
const ROLES: [&str; 9] = [
    "bureau_admin",
    "bureau_staff",
    "carrier_manager",
    "enterprise_manager",
    "enterprise_user",
    "institution_user",
    "financier",
    "viewer",
    "service_provider",
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    Own,
    Other,
    None,
}

use Target::{None as Nil, Other, Own};

/// (endpoint, target, allowed for each role in `ROLES` order).
const TABLE: &[(&str, Target, [bool; 9])] = &[
    (
        "GET /me",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PATCH /me",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /me/tokens",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /me/tokens",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    // Own: a token of the actor's; Other: another user's token, which is not found among the
    // actor's own (404).
    (
        "DELETE /me/tokens/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "DELETE /me/tokens/{id}",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "PUT /me/password",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /organisations",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /organisations",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /organisations/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /organisations/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PATCH /organisations/{id}",
        Own,
        [true, true, true, true, false, true, true, false, true],
    ),
    (
        "PATCH /organisations/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /organisations/{id}/active",
        Own,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "PUT /organisations/{id}/active",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /organisations/{id}/users",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /organisations/{id}/users",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /organisations/{id}/users",
        Own,
        [true, false, true, true, false, true, true, false, true],
    ),
    (
        "POST /organisations/{id}/users",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /users/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /users/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    // Filtered rather than refused (checked after the table).
    (
        "GET /users",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PUT /users/{id}/active",
        Own,
        [true, false, true, true, false, true, true, false, true],
    ),
    (
        "PUT /users/{id}/active",
        Other,
        [true, false, false, false, false, false, false, false, false],
    ),
    (
        "POST /users/{id}/password-reset",
        Own,
        [true, false, true, true, false, true, true, false, true],
    ),
    (
        "POST /users/{id}/password-reset",
        Other,
        [true, false, false, false, false, false, false, false, false],
    ),
    (
        "GET /audit-entries",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    // Anyone may apply to join, signed in or not.
    (
        "POST /applications",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /applications",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /applications/{id}",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /applications/{id}/approval",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /applications/{id}/decline",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    // The registry. Own: the carrier operated by the carrier manager's organisation, its 2024
    // report, and an enterprise incubating there that is the enterprise organisation's own record.
    // Other: a carrier of another operator, its report and its incubatee.
    (
        "GET /carriers",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /carriers",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /carriers/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /carriers/{id}",
        Other,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PATCH /carriers/{id}",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "PATCH /carriers/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /carriers/{id}/ratings",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /carriers/{id}/ratings",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /carriers/{id}/revocation",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /carriers/{id}/revocation",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    // Imports go into a fresh carrier of the side's operator: the bureau, or that carrier's managers.
    (
        "POST /carriers/{id}/imports",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /carriers/{id}/imports",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    // A blank template: for anyone signed in.
    (
        "GET /import-template",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /enterprises",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /enterprises",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /enterprises/{id}",
        Own,
        [true, true, true, true, true, false, false, true, false],
    ),
    (
        "GET /enterprises/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PATCH /enterprises/{id}",
        Own,
        [true, true, true, true, true, false, false, false, false],
    ),
    (
        "PATCH /enterprises/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises/{id}/incubations",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises/{id}/incubations",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises/{id}/exit",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises/{id}/exit",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /reports",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /reports/late",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /reports/late/reminders",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /reports/deadline",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PUT /reports/deadline",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /carriers/{id}/reports",
        Own,
        [false, false, true, false, false, false, false, false, false],
    ),
    (
        "POST /carriers/{id}/reports",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /reports/{id}",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "GET /reports/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /reports/{id}/figures",
        Own,
        [false, false, true, false, false, false, false, false, false],
    ),
    (
        "PUT /reports/{id}/figures",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "PUT /reports/{id}/indicators",
        Own,
        [false, false, true, false, false, false, false, false, false],
    ),
    (
        "PUT /reports/{id}/indicators",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "DELETE /reports/{id}/indicators/{enterprise_id}",
        Own,
        [false, false, true, false, false, false, false, false, false],
    ),
    (
        "DELETE /reports/{id}/indicators/{enterprise_id}",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /reports/{id}/submission",
        Own,
        [false, false, true, false, false, false, false, false, false],
    ),
    (
        "POST /reports/{id}/submission",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /reports/{id}/review",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /reports/{id}/review",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /counties",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /zones",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /chains",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    // The bureau keeps the reference data.
    (
        "POST /zones",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /chains",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PATCH /chains/{id}",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    // Aggregates from approved reports: for everyone signed in.
    (
        "GET /statistics",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /annual-report",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /annual-report/export.docx",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    // Spin-off lineages. Nil: a parent with a path, which everyone signed in browses. Own: the
    // enterprise organisation's own enterprise (incubating at the carrier manager's carrier); Other:
    // another enterprise organisation's. Until it has a path or projects, an enterprise's lineage
    // is its record, seen as the enterprise is; the bureau and the parent's own users keep it.
    (
        "GET /spinoffs",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /spinoffs/{id}",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /spinoffs/{id}",
        Own,
        [true, true, true, true, true, false, false, true, false],
    ),
    (
        "GET /spinoffs/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /spinoffs/{id}/path",
        Own,
        [true, true, false, true, true, false, false, false, false],
    ),
    (
        "PUT /spinoffs/{id}/path",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /spinoffs/{id}/projects",
        Own,
        [true, true, false, true, true, false, false, false, false],
    ),
    (
        "POST /spinoffs/{id}/projects",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /spinoff-projects/{id}/advance",
        Own,
        [true, true, false, true, true, false, false, false, false],
    ),
    (
        "POST /spinoff-projects/{id}/advance",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    // The market: searching is open to everyone; an organisation writes its own listings (the
    // kinds its kind may list; a viewer none); drafts are seen by their owner and the bureau.
    (
        "GET /listings",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /listings/search",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /listings",
        Nil,
        [true, true, true, true, true, true, true, false, true],
    ),
    (
        "GET /listings/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /listings/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /listings/{id}",
        Own,
        [true, true, true, true, true, true, true, false, true],
    ),
    (
        "PUT /listings/{id}",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /listings/{id}/actions",
        Own,
        [true, true, true, true, true, true, true, false, true],
    ),
    (
        "POST /listings/{id}/actions",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /me/listings",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /moderation/listings",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    // Matching: a listing's suggestions are its owner's (and the bureau's) to see, its writers'
    // to judge; kept searches and the inbox are each user's own.
    (
        "GET /listings/{id}/matches",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /listings/{id}/matches",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /listings/{id}/matches/{suggested_id}/feedback",
        Own,
        [true, true, true, true, true, true, true, false, true],
    ),
    (
        "PUT /listings/{id}/matches/{suggested_id}/feedback",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /me/saved-searches",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /me/saved-searches",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "DELETE /me/saved-searches/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "DELETE /me/saved-searches/{id}",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /me/inbox",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /me/work",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /me/inbox/unread",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /me/inbox/read-all",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /me/inbox/{id}/read",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /me/inbox/{id}/read",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    // Pilot lines and instruments: the catalogue and calendars are public; resources are kept by
    // their owners' writers (carrier operators, institutions, enterprises); bookings are requested
    // on others' resources, seen by both sides and the bureau (404 for anyone else), acted on by
    // both sides' writers; bills are paid by the payer; vouchers are the bureau's to issue and
    // revoke, the holder's and the bureau's to see; owners claim, the bureau decides. Own: the
    // actor's organisation's (for organisations that cannot have one, the other side's).
    (
        "GET /resources",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /resources",
        Nil,
        [false, false, true, true, true, true, false, false, true],
    ),
    (
        "GET /resources/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /resources/{id}",
        Other,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PUT /resources/{id}",
        Own,
        [false, false, true, true, true, true, false, false, true],
    ),
    (
        "PUT /resources/{id}",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /resources/{id}/activation",
        Own,
        [false, false, true, true, true, true, false, false, true],
    ),
    (
        "POST /resources/{id}/activation",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /resources/{id}/calendar",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /resources/{id}/calendar",
        Other,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /resources/{id}/maintenance",
        Own,
        [false, false, true, true, true, true, false, false, true],
    ),
    (
        "POST /resources/{id}/maintenance",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "DELETE /resources/{id}/maintenance/{block_id}",
        Own,
        [false, false, true, true, true, true, false, false, true],
    ),
    (
        "DELETE /resources/{id}/maintenance/{block_id}",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /resources/{id}/bookings",
        Own,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /resources/{id}/bookings",
        Other,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "GET /me/resources",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /bookings",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /bookings/{id}",
        Own,
        [true, true, true, true, true, true, false, true, false],
    ),
    (
        "GET /bookings/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /bookings/{id}/actions",
        Own,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "POST /bookings/{id}/actions",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /bills",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /bills/{id}",
        Own,
        [true, true, true, true, true, true, false, true, false],
    ),
    (
        "GET /bills/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /bills/reminders",
        Nil,
        [true, true, true, true, true, true, true, false, true],
    ),
    (
        "POST /bills/{id}/reminders",
        Own,
        [true, true, true, true, true, true, false, false, true],
    ),
    (
        "POST /bills/{id}/reminders",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /bills/{id}/payments",
        Own,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "POST /bills/{id}/payments",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /vouchers",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /vouchers",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /vouchers/{id}",
        Own,
        [true, true, false, true, true, false, false, true, false],
    ),
    (
        "GET /vouchers/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /vouchers/{id}/revocation",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /vouchers/{id}/revocation",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /voucher-claims",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /voucher-claims",
        Nil,
        [false, false, true, true, true, true, false, false, true],
    ),
    (
        "GET /voucher-claims/claimable",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /voucher-claims/{id}",
        Own,
        [true, true, true, true, true, true, false, true, true],
    ),
    (
        "GET /voucher-claims/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /voucher-claims/{id}/actions",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /voucher-claims/{id}/actions",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /pilot-statistics",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    // Deals: an organisation that trades (not the bureau, not a bank) declares intent on another's
    // published listing, never its own; a deal is its two organisations' and the bureau's to read
    // (404 for anyone else), its parties' writers' to negotiate, the registrar's to register;
    // either party or the registrar records the outcome. Own: a deal of the actor's organisation
    // (for the bureau and a bank, which take no side, a deal between two others).
    (
        "GET /deals",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /deals",
        Own,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /deals",
        Other,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "GET /deals/{id}",
        Own,
        [true, true, true, true, true, true, false, true, false],
    ),
    (
        "GET /deals/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /deals/{id}/messages",
        Own,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "POST /deals/{id}/messages",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /deals/{id}/terms",
        Own,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "POST /deals/{id}/terms",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /deals/{id}/acceptance",
        Own,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "POST /deals/{id}/acceptance",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /deals/{id}/withdrawal",
        Own,
        [false, false, true, true, true, true, false, false, false],
    ),
    (
        "POST /deals/{id}/withdrawal",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /deals/{id}/registration",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /deals/{id}/registration",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /deals/{id}/registration-refusal",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /deals/{id}/registration-refusal",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /deals/{id}/outcome",
        Own,
        [true, true, true, true, true, true, false, false, false],
    ),
    (
        "POST /deals/{id}/outcome",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /contracts",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    // The register's workbook and the import of past registrations are the office's (the
    // bureau); the import's template is anyone's.
    (
        "GET /contracts/export.xlsx",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /contracts/imports",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("GET /contracts/template", Nil, [true; 9]),
    // Contracts concluded anywhere: every organisation lists its own; a party's writers (and the
    // bureau on its behalf) submit; the bureau, the submitter and the parties see one; the
    // submitter (or the bureau) resubmits a returned one; the bureau decides. Own: the actor's
    // organisation is the seller; Other: the other organisation is.
    ("GET /contract-submissions", Nil, [true; 9]),
    (
        "POST /contract-submissions",
        Own,
        [true, true, true, true, true, true, false, false, false],
    ),
    (
        "POST /contract-submissions",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("GET /contract-submissions/{id}", Own, [true; 9]),
    (
        "GET /contract-submissions/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("GET /contract-submissions/{id}/file", Own, [true; 9]),
    (
        "GET /contract-submissions/{id}/file",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /contract-submissions/{id}",
        Own,
        [true, true, true, true, true, true, false, false, false],
    ),
    (
        "PUT /contract-submissions/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /contract-submissions/{id}/decision",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /contract-submissions/{id}/decision",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /contract-submissions/{id}/reminders",
        Own,
        [true, true, true, true, true, true, false, false, false],
    ),
    (
        "POST /contract-submissions/{id}/reminders",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /contract-statistics",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    // Funds and investments: fund names and sizes are public; a fund's manager (here the world's
    // carrier operator, keeping a seed fund) and the bureau keep it and see its portfolio; the
    // enterprise invested in sees its investment. Own: the world's operator's seed fund and its
    // investment in the world's enterprise; Other: a fresh investor's fund and its investment in
    // the other enterprise.
    ("GET /capital/funds", Nil, [true; 9]),
    (
        "POST /capital/funds",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    ("GET /capital/funds/{id}", Own, [true; 9]),
    ("GET /capital/funds/{id}", Other, [true; 9]),
    (
        "PUT /capital/funds/{id}",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "PUT /capital/funds/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /capital/funds/{id}/exits",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "GET /capital/funds/{id}/exits",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("GET /capital/statistics", Nil, [true; 9]),
    ("GET /capital/investments", Nil, [true; 9]),
    (
        "POST /capital/investments",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "GET /capital/investments/{id}",
        Own,
        [true, true, true, true, true, false, false, true, false],
    ),
    (
        "GET /capital/investments/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /capital/exits",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /capital/investments/imports",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    ("GET /capital/investments/template", Nil, [true; 9]),
    // Knowledge-value loans: the enterprise applies; a loan is its borrower's, its bank's and
    // the bureau's to see (404 for anyone else); the bank takes its steps and claims; the bureau
    // decides claims and keeps the pool, the policy and the breakers. Own: a loan between the
    // world's enterprise and bank; Other: one between the other enterprise and a second bank.
    (
        "GET /credit/loans",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /credit/loans",
        Nil,
        [false, false, false, true, true, false, false, false, false],
    ),
    (
        "GET /credit/loans/{id}",
        Own,
        [true, true, false, true, true, false, true, true, false],
    ),
    (
        "GET /credit/loans/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /credit/loans/{id}/actions",
        Own,
        [false, false, false, false, false, false, true, false, false],
    ),
    (
        "POST /credit/loans/{id}/actions",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /credit/loans/{id}/repayments",
        Own,
        [false, false, false, false, false, false, true, false, false],
    ),
    (
        "POST /credit/loans/{id}/repayments",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /credit/loans/{id}/claims",
        Own,
        [false, false, false, false, false, false, true, false, false],
    ),
    (
        "POST /credit/loans/{id}/claims",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /credit/claims",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /credit/claims/{id}",
        Own,
        [true, true, false, false, false, false, true, false, false],
    ),
    (
        "GET /credit/claims/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /credit/claims/{id}/actions",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /credit/claims/{id}/actions",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /credit/claims/{id}/recoveries",
        Own,
        [false, false, false, false, false, false, true, false, false],
    ),
    (
        "POST /credit/claims/{id}/recoveries",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /credit/policy",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PUT /credit/policy",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /credit/pool",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /credit/pool/funders",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /credit/pool/funders/{id}",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /credit/pool/contributions",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /credit/pool/ledger",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /credit/pool/proof",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /credit/risk",
        Nil,
        [true, true, false, false, false, false, true, false, false],
    ),
    (
        "POST /credit/risk/{bank_org_id}/lift",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /credit/target",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /credit/repayments/imports",
        Nil,
        [false, false, false, false, false, false, true, false, false],
    ),
    (
        "GET /credit/repayments/template",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    // The risk pool's what-if: the bureau's (administrators and staff) alone.
    (
        "POST /credit/what-if",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    // Credit scores: everyone reads the scorecards; the bureau makes versions, rescores and keeps
    // the negative list. A score is seen by the bureau, the enterprise's own users (Own: the
    // actor's enterprise; Other: the other side's) and a bank the enterprise asked for a loan
    // (Own: the bank has an application from the actor's side's enterprise).
    (
        "GET /credit/scorecards",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /credit/scorecards/{version}",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /credit/scorecards",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /credit/rescore",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /enterprises/{id}/credit-score",
        Own,
        [true, true, false, true, true, false, true, true, false],
    ),
    (
        "GET /enterprises/{id}/credit-score",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /enterprises/{id}/credit-scores",
        Own,
        [true, true, false, true, true, false, true, true, false],
    ),
    (
        "GET /enterprises/{id}/credit-scores",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises/{id}/credit-exclusions",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /enterprises/{id}/credit-exclusions",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "DELETE /enterprises/{id}/credit-exclusions/{exclusion_id}",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "DELETE /enterprises/{id}/credit-exclusions/{exclusion_id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    // 先投后股: the bureau grants; a project is the bureau's, its enterprise's and its fund's
    // manager's to see (404 for anyone else); the bureau and the fund's manager record milestones
    // and take the steps. Own: a project of the world's enterprise kept by a fund the world's
    // carrier operator manages; Other: the other enterprise's, kept by the other operator's fund.
    (
        "GET /capital/grants",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /capital/grants",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /capital/grants/{id}",
        Own,
        [true, true, true, true, true, false, false, true, false],
    ),
    (
        "GET /capital/grants/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /capital/grants/{id}/milestones",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /capital/grants/{id}/milestones",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /capital/grants/{id}/milestones/{milestone_id}/achievement",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /capital/grants/{id}/milestones/{milestone_id}/achievement",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /capital/grants/{id}/actions",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /capital/grants/{id}/actions",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ), // One-stop services: everyone browses; the bureau, carrier operators and service agencies
    // offer and keep their own (the bureau switches any off); an enterprise asks. Own: a service
    // of the actor's organisation; a request it is party to (an enterprise as the asker, which
    // withdraws it; anyone else as the provider, which accepts it). Other: the other operator's
    // service, and a request between the other enterprise and the other operator.
    (
        "GET /services",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /services",
        Nil,
        [true, true, true, false, false, false, false, false, true],
    ),
    (
        "GET /services/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /services/{id}",
        Other,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PUT /services/{id}",
        Own,
        [true, true, true, false, false, false, false, false, true],
    ),
    (
        "PUT /services/{id}",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "PUT /services/{id}/active",
        Own,
        [true, true, true, false, false, false, false, false, true],
    ),
    (
        "PUT /services/{id}/active",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /services/requests",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /services/requests",
        Nil,
        [false, false, false, true, true, false, false, false, false],
    ),
    (
        "GET /services/requests/{id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /services/requests/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /services/requests/{id}/actions",
        Own,
        [true, true, true, true, true, false, false, false, true],
    ),
    (
        "POST /services/requests/{id}/actions",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    // Files with a request's steps: the provider records them; the parties and the bureau read.
    (
        "POST /services/requests/{id}/steps/{position}/files",
        Own,
        [true, true, true, false, false, false, false, false, true],
    ),
    (
        "POST /services/requests/{id}/steps/{position}/files",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "GET /services/requests/{id}/files/{file_id}",
        Own,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /services/requests/{id}/files/{file_id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /services/statistics",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    // Need-collection campaigns: the bureau opens them; a carrier asks its own incubatees.
    // Evaluations of carriers. A fresh round of 2024 over a fresh carrier of the target side's
    // operator with an approved report: a draft to compute, a computed one to publish and adjust,
    // a published one to read (the carrier's operator reads its own carrier's result only).
    (
        "GET /evaluations",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /evaluations",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /evaluations/{id}",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /evaluations/{id}/compute",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /evaluations/{id}/publish",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /evaluations/{id}/results.xlsx",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "GET /evaluations/{id}/results/{carrier_id}",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "GET /evaluations/{id}/results/{carrier_id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /evaluations/{id}/results/{carrier_id}",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /evaluations/{id}/results/{carrier_id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /carriers/{id}/evaluations",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "GET /carriers/{id}/evaluations",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /campaigns",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /campaigns",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /campaigns/{id}",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "PUT /campaigns/{id}",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /campaigns/{id}/closure",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /campaigns/{id}/contacts",
        Own,
        [false, false, true, false, false, false, false, false, false],
    ),
    (
        "POST /campaigns/{id}/contacts",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    (
        "POST /campaigns/{id}/needs",
        Own,
        [false, false, true, false, false, false, false, false, false],
    ),
    (
        "POST /campaigns/{id}/needs",
        Other,
        [
            false, false, false, false, false, false, false, false, false,
        ],
    ),
    // Mentors: every signed-in user finds them; the keeping carrier and the bureau keep them;
    // a relationship is seen by the bureau, the carrier and the enterprise guided.
    (
        "GET /mentors",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "POST /mentors",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "GET /mentors/{id}",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "PUT /mentors/{id}",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "PUT /mentors/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /mentors/{id}/mentorships",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /mentors/{id}/mentorships",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /mentorships",
        Nil,
        [true, true, true, true, true, true, true, true, true],
    ),
    (
        "GET /mentorships/{id}",
        Own,
        [true, true, true, true, true, false, false, true, false],
    ),
    (
        "GET /mentorships/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /mentorships/{id}/sessions",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /mentorships/{id}/sessions",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /mentorships/{id}/end",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /mentorships/{id}/end",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "GET /mentoring-statistics",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    // The carrier alliance: both sides' carriers are members, the world's own carrier the chair.
    // Own: a member carrier (an offer, an event) of the world's carrier operator; Other: the
    // other operator's. The bureau keeps the alliance; the chair's manager posts notices; a
    // member's manager acts for its own carrier and shows interest in another member's offer
    // (never its own); everyone registers, cancels their own and reads events and calendars.
    ("GET /alliance", Nil, [true; 9]),
    (
        "POST /alliance/members",
        Nil,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /alliance/members/{id}",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "PUT /alliance/members/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "DELETE /alliance/members/{id}",
        Own,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "DELETE /alliance/members/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/notices",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/offers",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/offers",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("POST /alliance/offers/{id}/interest", Own, [false; 9]),
    (
        "POST /alliance/offers/{id}/interest",
        Other,
        [false, false, true, false, false, false, false, false, false],
    ),
    ("GET /alliance/events", Nil, [true; 9]),
    (
        "POST /alliance/events",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/events",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("GET /alliance/events/{id}", Own, [true; 9]),
    ("GET /alliance/events/{id}", Other, [true; 9]),
    (
        "PUT /alliance/events/{id}",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "PUT /alliance/events/{id}",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("POST /alliance/events/{id}/registration", Own, [true; 9]),
    ("POST /alliance/events/{id}/registration", Other, [true; 9]),
    ("DELETE /alliance/events/{id}/registration", Own, [true; 9]),
    (
        "DELETE /alliance/events/{id}/registration",
        Other,
        [true; 9],
    ),
    (
        "POST /alliance/events/{id}/check-ins",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/events/{id}/check-ins",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    ("GET /alliance/events/{id}/calendar", Own, [true; 9]),
    ("GET /alliance/events/{id}/calendar", Other, [true; 9]),
    ("GET /alliance/training", Nil, [true; 9]),
    (
        "POST /alliance/training/courses",
        Nil,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/training/records",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/training/records",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/training/certificates",
        Own,
        [true, true, true, false, false, false, false, false, false],
    ),
    (
        "POST /alliance/training/certificates",
        Other,
        [true, true, false, false, false, false, false, false, false],
    ),
];

struct Actor {
    token: String,
    login: &'static str,
    password: String,
    org_id: i64,
    /// A colleague in the same organisation whom the actor may act upon.
    colleague: i64,
}

struct World {
    actors: Vec<Actor>,
    other_org: i64,
    other_user: i64,
    /// A token of another organisation's user (the other side's carrier manager).
    other_token: i64,
    own: Side,
    other: Side,
    /// A parent enterprise with a stage path: a lineage everyone browses.
    lineage: i64,
    /// An industrial chain the bureau added, to be edited.
    chain: i64,
    /// The other enterprise organisation's user and a second bank: the parties of another's loan.
    other_ent: String,
    other_bank: String,
    other_bank_org: i64,
}

/// One side of the registry fixtures: an operator with its manager, a carrier, an enterprise
/// incubating there since 2024-01-10 (with its profile) and the carrier's 2024 report, a draft
/// holding that enterprise's figures.
struct Side {
    operator: i64,
    manager: String,
    carrier: i64,
    enterprise: i64,
    profile: Value,
    report: i64,
}

/// The bureau registers a carrier of `operator`.
async fn new_carrier(app: &TestApp, operator: i64, name: &str) -> i64 {
    let body = json!({
        "name": name, "kind": "incubator", "operator_org_id": operator, "county": "天元区",
        "established_year": 2015, "floor_area_m2": 10000
    });
    app.expect(
        &app.admin_token,
        Method::POST,
        "/carriers",
        Some(body),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("carrier id")
}

fn enterprise_profile(uscc: &str, name: &str) -> Value {
    json!({"uscc": uscc, "name": name, "county": "天元区", "chain": "轨道交通"})
}

/// The bureau registers an enterprise, entering it into `carrier` when one is given.
async fn new_enterprise(app: &TestApp, uscc: &str, carrier: Option<i64>) -> i64 {
    let mut body = json!({"enterprise": enterprise_profile(uscc, "矩阵企业")});
    if let Some(c) = carrier {
        body["carrier_id"] = json!(c);
        body["entered_on"] = json!("2024-01-10");
    }
    app.expect(
        &app.admin_token,
        Method::POST,
        "/enterprises",
        Some(body),
        StatusCode::CREATED,
    )
    .await["enterprise"]["id"]
        .as_i64()
        .expect("enterprise id")
}

fn indicators(enterprise: i64) -> Value {
    json!({"enterprise_id": enterprise, "indicators": {
        "employees": 10, "doctors": 1, "returnees": 0, "fresh_graduates": 1, "high_level_talent": 0,
        "revenue_k": 1000, "rd_spending_k": 100, "taxes_k": 50, "funding_raised_k": 0,
        "patent_applications": 1, "invention_applications": 0, "patent_grants": 0, "invention_grants": 0,
        "valid_ip": 1, "software_copyrights": 0, "tech_contracts": 0, "tech_contract_amount_k": 0
    }})
}

/// The carrier's 2024 report, opened by its manager.
async fn open_report(app: &TestApp, manager: &str, carrier: i64) -> i64 {
    app.expect(
        manager,
        Method::POST,
        &format!("/carriers/{carrier}/reports"),
        Some(json!({"year": 2024})),
        StatusCode::OK,
    )
    .await["id"]
        .as_i64()
        .expect("report id")
}

/// A fresh carrier of the side's operator with its 2024 report ready to submit (no incubatees;
/// staff and floor area given), submitted too when `submitted`.
async fn fresh_report(app: &TestApp, side: &Side, n: usize, submitted: bool) -> i64 {
    let carrier = new_carrier(app, side.operator, &format!("矩阵报告载体{n}")).await;
    let report = open_report(app, &side.manager, carrier).await;
    let figures = json!({"staff": 4, "floor_area_m2": 2000});
    let path = format!("/reports/{report}/figures");
    app.expect(
        &side.manager,
        Method::PUT,
        &path,
        Some(figures),
        StatusCode::OK,
    )
    .await;
    if submitted {
        let path = format!("/reports/{report}/submission");
        app.expect(&side.manager, Method::POST, &path, None, StatusCode::OK)
            .await;
    }
    report
}

async fn side(app: &TestApp, operator: i64, manager: String, name: &str, uscc: &str) -> Side {
    let carrier = new_carrier(app, operator, name).await;
    let profile = enterprise_profile(uscc, &format!("{name}在孵企业"));
    let body = json!({"enterprise": profile, "carrier_id": carrier, "entered_on": "2024-01-10"});
    let enterprise = app
        .expect(
            &manager,
            Method::POST,
            "/enterprises",
            Some(body),
            StatusCode::CREATED,
        )
        .await["enterprise"]["id"]
        .as_i64()
        .expect("enterprise id");
    let report = open_report(app, &manager, carrier).await;
    let path = format!("/reports/{report}/indicators");
    app.expect(
        &manager,
        Method::PUT,
        &path,
        Some(indicators(enterprise)),
        StatusCode::OK,
    )
    .await;
    Side {
        operator,
        manager,
        carrier,
        enterprise,
        profile,
        report,
    }
}

/// The request for a registry endpoint on the target's fixtures, building fresh ones where a
/// permitted call would spoil later cases.
async fn registry_request(
    app: &TestApp,
    w: &World,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let s = if target == Other { &w.other } else { &w.own };
    let fresh_uscc = crate::support::test_uscc(800_000 + n as u64);
    match endpoint {
        "GET /carriers" => ("/carriers".into(), None),
        "POST /carriers" => (
            "/carriers".into(),
            Some(json!({
                "name": format!("矩阵载体{n}"), "kind": "maker_space", "operator_org_id": w.own.operator,
                "county": "430211", "established_year": 2020
            })),
        ),
        "GET /carriers/{id}" => (format!("/carriers/{}", s.carrier), None),
        "PATCH /carriers/{id}" => {
            let (_, c) = app
                .admin(
                    Method::GET,
                    &format!("/api/v1/carriers/{}", s.carrier),
                    None,
                )
                .await;
            let c = &c["carrier"];
            (
                format!("/carriers/{}", s.carrier),
                Some(json!({
                    "name": c["name"], "kind": c["kind"], "operator_org_id": c["operator_org_id"],
                    "county": c["county_code"], "address": format!("第{n}次修改的地址"),
                    "floor_area_m2": c["floor_area_m2"], "established_year": c["established_year"]
                })),
            )
        }
        "POST /carriers/{id}/ratings" => (
            format!("/carriers/{}/ratings", s.carrier),
            Some(
                json!({"level": "municipal", "year_granted": 2015 + n % 150, "granting_body": "株洲市科学技术局"}),
            ),
        ),
        "PUT /carriers/{id}/revocation" => {
            let carrier = new_carrier(app, s.operator, &format!("矩阵撤销载体{n}")).await;
            (
                format!("/carriers/{carrier}/revocation"),
                Some(json!({"revoked_on": "2024-12-31", "reason": "不再符合认定条件"})),
            )
        }
        "GET /enterprises" => ("/enterprises".into(), None),
        "POST /enterprises" => {
            let mut body = json!({"enterprise": enterprise_profile(&fresh_uscc, "新登记企业")});
            if target != Nil {
                body["carrier_id"] = json!(s.carrier);
                body["entered_on"] = json!("2024-05-01");
            }
            ("/enterprises".into(), Some(body))
        }
        "GET /enterprises/{id}" => (format!("/enterprises/{}", s.enterprise), None),
        "PATCH /enterprises/{id}" => (
            format!("/enterprises/{}", s.enterprise),
            Some(s.profile.clone()),
        ),
        "POST /enterprises/{id}/incubations" => {
            let e = new_enterprise(app, &fresh_uscc, None).await;
            (
                format!("/enterprises/{e}/incubations"),
                Some(json!({"carrier_id": s.carrier, "entered_on": "2024-05-01"})),
            )
        }
        "POST /enterprises/{id}/exit" => {
            let e = new_enterprise(app, &fresh_uscc, Some(s.carrier)).await;
            (
                format!("/enterprises/{e}/exit"),
                Some(json!({"exited_on": "2024-12-31", "kind": "graduated"})),
            )
        }
        "GET /reports" => ("/reports".into(), None),
        "GET /reports/late" => ("/reports/late?year=2024".into(), None),
        "GET /reports/deadline" => ("/reports/deadline?year=2024".into(), None),
        "PUT /reports/deadline" => (
            "/reports/deadline".into(),
            Some(json!({"year": 2024, "due_on": "2025-04-30"})),
        ),
        "POST /reports/late/reminders" => (
            "/reports/late/reminders".into(),
            Some(json!({"year": 2024})),
        ),
        "POST /carriers/{id}/reports" => (
            format!("/carriers/{}/reports", s.carrier),
            Some(json!({"year": 2024})),
        ),
        "GET /reports/{id}" => (format!("/reports/{}", s.report), None),
        "PUT /reports/{id}/figures" => (
            format!("/reports/{}/figures", s.report),
            Some(json!({"staff": 5, "mentors": 2, "floor_area_m2": 9000})),
        ),
        "PUT /reports/{id}/indicators" => (
            format!("/reports/{}/indicators", s.report),
            Some(indicators(s.enterprise)),
        ),
        "DELETE /reports/{id}/indicators/{enterprise_id}" => {
            // The figures are put back before each case, so there is always a row to remove.
            let path = format!("/reports/{}/indicators", s.report);
            app.expect(
                &s.manager,
                Method::PUT,
                &path,
                Some(indicators(s.enterprise)),
                StatusCode::OK,
            )
            .await;
            (
                format!("/reports/{}/indicators/{}", s.report, s.enterprise),
                None,
            )
        }
        "POST /reports/{id}/submission" => {
            let report = fresh_report(app, s, n, false).await;
            (format!("/reports/{report}/submission"), None)
        }
        "POST /reports/{id}/review" => {
            let report = fresh_report(app, s, n, true).await;
            (
                format!("/reports/{report}/review"),
                Some(json!({"step": "approve"})),
            )
        }
        "GET /counties"
        | "GET /zones"
        | "GET /chains"
        | "GET /import-template"
        | "GET /spinoffs" => (
            endpoint.split_once(' ').expect("method and path").1.into(),
            None,
        ),
        "POST /carriers/{id}/imports" => {
            // The file itself is the body (see `import_csv`).
            let carrier = new_carrier(app, s.operator, &format!("矩阵导入载体{n}")).await;
            (format!("/carriers/{carrier}/imports?year=2024"), None)
        }
        "POST /zones" => (
            "/zones".into(),
            Some(json!({
                "code": format!("mx_zone_{n}"), "name_zh": format!("矩阵园区{n}"),
                "name_en": format!("Matrix park {n}"), "county": "天元区"
            })),
        ),
        "POST /chains" => (
            "/chains".into(),
            Some(json!({
                "code": format!("mx_chain_{n}"), "name_zh": format!("矩阵链{n}"),
                "name_en": format!("Matrix chain {n}"), "divisions": ["37"]
            })),
        ),
        "PATCH /chains/{id}" => (
            format!("/chains/{}", w.chain),
            Some(json!({
                "code": "mx_chain", "name_zh": format!("矩阵产业链{n}"),
                "name_en": format!("Matrix chain, edit {n}"), "divisions": ["37", "38"]
            })),
        ),
        "GET /statistics" => ("/statistics?year=2024".into(), None),
        "GET /annual-report" => ("/annual-report?year=2024".into(), None),
        "GET /annual-report/export.docx" => ("/annual-report/export.docx?year=2024".into(), None),
        "GET /spinoffs/{id}" => {
            let parent = if target == Nil {
                w.lineage
            } else {
                s.enterprise
            };
            (format!("/spinoffs/{parent}"), None)
        }
        "PUT /spinoffs/{id}/path" => (
            format!("/spinoffs/{}/path", s.enterprise),
            Some(json!({"stages": STAGES})),
        ),
        "POST /spinoffs/{id}/projects" => {
            set_path(app, s.enterprise).await;
            (
                format!("/spinoffs/{}/projects", s.enterprise),
                Some(json!({"name": format!("矩阵裂变项目{n}"), "started_on": "2024-01-01"})),
            )
        }
        "POST /spinoff-projects/{id}/advance" => {
            set_path(app, s.enterprise).await;
            let project = app
                .expect(
                    &app.admin_token,
                    Method::POST,
                    &format!("/spinoffs/{}/projects", s.enterprise),
                    Some(json!({"name": format!("矩阵推进项目{n}"), "started_on": "2024-01-01"})),
                    StatusCode::CREATED,
                )
                .await["id"]
                .as_i64()
                .expect("project id");
            (
                format!("/spinoff-projects/{project}/advance"),
                Some(json!({"position": 2, "reached_on": "2024-06-01"})),
            )
        }
        other => panic!("no request written for {other}"),
    }
}

/// The bureau gives a parent enterprise the seed's stage path (again: it is the same path).
async fn set_path(app: &TestApp, parent: i64) {
    app.expect(
        &app.admin_token,
        Method::PUT,
        &format!("/spinoffs/{parent}/path"),
        Some(json!({"stages": STAGES})),
        StatusCode::OK,
    )
    .await;
}

/// A small valid import: one new enterprise entering the carrier in 2024, as CSV.
fn import_csv(n: usize) -> String {
    format!(
        "统一社会信用代码,企业名称,所在区县,产业链,入孵日期,从业人员\n{},矩阵导入企业{n}有限公司,天元区,轨道交通,2024-03-01,12\n",
        crate::support::test_uscc(900_000 + n as u64)
    )
}

async fn add_user(app: &TestApp, org_id: i64, login: &str, role: &str) -> (i64, String) {
    let (status, body) = app
        .admin(
            Method::POST,
            &format!("/api/v1/organisations/{org_id}/users"),
            Some(json!({"login": login, "display_name": "成员", "role": role})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["user"]["id"].as_i64().expect("id");
    (
        id,
        body["one_time_password"]
            .as_str()
            .expect("one-time password")
            .to_string(),
    )
}

async fn world(app: &TestApp) -> World {
    let (_, me) = app.admin(Method::GET, "/api/v1/me", None).await;
    let bureau = me["organisation"]["id"].as_i64().expect("bureau id");
    let (staff_id, staff_pw) = add_user(app, bureau, "staff1", "bureau_staff").await;
    let _ = staff_id;
    let staff = app.ready_token("staff1", &staff_pw).await;
    let (bureau_colleague, _) = add_user(app, bureau, "bureau.viewer", "viewer").await;

    let (carrier, carrier_token) = app.org_with_user("carrier_operator", "carrier1").await;
    let (other_operator, other_manager) = app.org_with_user("carrier_operator", "carrier2").await;
    let (enterprise, ent_token) = app.org_with_user("enterprise", "ent1").await;
    let (institution, inst_token) = app.org_with_user("institution", "inst1").await;
    let (bank, bank_token) = app.org_with_user("bank", "bank1").await;
    let (agency, agency_token) = app.org_with_user("service_agency", "svc1").await;
    let (other_org, other_ent) = app.org_with_user("enterprise", "other1").await;
    let (other_bank_org, other_bank) = app.org_with_user("bank", "bank2").await;

    let (_, plain_pw) = add_user(app, enterprise, "ent.plain", "enterprise_user").await;
    let plain = app.ready_token("ent.plain", &plain_pw).await;
    let (_, viewer_pw) = add_user(app, enterprise, "ent.viewer", "viewer").await;
    let viewer = app.ready_token("ent.viewer", &viewer_pw).await;

    let colleague =
        |org: i64, login: &'static str| async move { add_user(app, org, login, "viewer").await.0 };
    let c_carrier = colleague(carrier, "c.colleague").await;
    let c_ent = colleague(enterprise, "e.colleague").await;
    let c_inst = colleague(institution, "i.colleague").await;
    let c_bank = colleague(bank, "b.colleague").await;
    let c_agency = colleague(agency, "s.colleague").await;
    let other_user = colleague(other_org, "o.colleague").await;

    // The enterprise organisation's own record carries its code, so it is linked to it.
    let (_, ent_org) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{enterprise}"),
            None,
        )
        .await;
    let ent_uscc = ent_org["uscc"].as_str().expect("uscc").to_string();
    // So is the other enterprise organisation's, incubating at the other carrier.
    let (_, other_ent_org) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{other_org}"),
            None,
        )
        .await;
    let other_uscc = other_ent_org["uscc"].as_str().expect("uscc").to_string();
    let own = side(
        app,
        carrier,
        carrier_token.clone(),
        "矩阵本方孵化器",
        &ent_uscc,
    )
    .await;
    let other = side(
        app,
        other_operator,
        other_manager,
        "矩阵他方孵化器",
        &other_uscc,
    )
    .await;
    let (_, tokens) = app
        .call_with(&other.manager, Method::GET, "/api/v1/me/tokens", None)
        .await;
    let other_token = tokens[0]["id"].as_i64().expect("token id");
    let lineage = new_enterprise(app, &crate::support::test_uscc(610_000), None).await;
    set_path(app, lineage).await;
    let chain = app.expect(&app.admin_token,
        Method::POST,
        "/chains",
        Some(json!({"code": "mx_chain", "name_zh": "矩阵产业链", "name_en": "Matrix chain", "divisions": ["37"]})),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("chain id");

    World {
        actors: vec![
            Actor {
                token: app.admin_token.clone(),
                login: "admin",
                password: ADMIN_PASSWORD.into(),
                org_id: bureau,
                colleague: bureau_colleague,
            },
            Actor {
                token: staff,
                login: "staff1",
                password: secret("staff1"),
                org_id: bureau,
                colleague: bureau_colleague,
            },
            Actor {
                token: carrier_token,
                login: "carrier1",
                password: secret("carrier1"),
                org_id: carrier,
                colleague: c_carrier,
            },
            Actor {
                token: ent_token,
                login: "ent1",
                password: secret("ent1"),
                org_id: enterprise,
                colleague: c_ent,
            },
            Actor {
                token: plain,
                login: "ent.plain",
                password: secret("ent.plain"),
                org_id: enterprise,
                colleague: c_ent,
            },
            Actor {
                token: inst_token,
                login: "inst1",
                password: secret("inst1"),
                org_id: institution,
                colleague: c_inst,
            },
            Actor {
                token: bank_token,
                login: "bank1",
                password: secret("bank1"),
                org_id: bank,
                colleague: c_bank,
            },
            Actor {
                token: viewer,
                login: "ent.viewer",
                password: secret("ent.viewer"),
                org_id: enterprise,
                colleague: c_ent,
            },
            Actor {
                token: agency_token,
                login: "svc1",
                password: secret("svc1"),
                org_id: agency,
                colleague: c_agency,
            },
        ],
        other_org,
        other_user,
        other_token,
        own,
        other,
        lineage,
        chain,
        other_ent,
        other_bank,
        other_bank_org,
    }
}

/// A listing body of the kind an organisation's users may write, with that user's token: the
/// first actor of the organisation who is not a viewer.
fn listing_writer(w: &World, org_id: i64) -> (String, Value) {
    let col = w
        .actors
        .iter()
        .position(|a| a.org_id == org_id && !a.login.ends_with("viewer"))
        .expect("a writer in the organisation");
    let kind = match ROLES[col] {
        "bureau_admin" | "bureau_staff" => "policy",
        "carrier_manager" | "service_provider" => "service",
        "enterprise_manager" | "enterprise_user" => "need",
        "institution_user" => "achievement",
        _ => "capital",
    };
    (w.actors[col].token.clone(), listing_body(kind))
}

fn listing_body(kind: &str) -> Value {
    json!({
        "kind": kind, "title": format!("矩阵{kind}信息"), "summary": "用于权限矩阵的发布信息",
        "field": "rail_transit", "trl": 7, "modes": if kind == "need" { json!(["commissioned"]) } else if kind == "achievement" { json!(["licence"]) } else { json!([]) },
        "deadline": "2099-12-31", "indicators": "指标", "issuing_body": "株洲市科技局", "issued_on": "2025-01-01", "applies_to": "全市企业"
    })
}

async fn new_listing(app: &TestApp, token: &str, body: Value, publish: bool) -> i64 {
    let id = app
        .expect(
            token,
            Method::POST,
            "/listings",
            Some(body),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("listing id");
    if publish {
        app.expect(
            token,
            Method::POST,
            &format!("/listings/{id}/actions"),
            Some(json!({"step": "publish"})),
            StatusCode::OK,
        )
        .await;
    }
    id
}

/// Market requests: on a fresh listing of the actor's organisation (Own), or of the other
/// side's carrier operator — a draft to read, a published one to change (Other).
async fn market_request(
    app: &TestApp,
    w: &World,
    org_id: i64,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let own_or_other = |publish: bool| async move {
        if target == Other {
            new_listing(app, &w.other.manager, listing_body("service"), publish).await
        } else {
            let (token, body) = listing_writer(w, org_id);
            new_listing(app, &token, body, false).await
        }
    };
    match (method, path) {
        ("POST", "/listings/search") => (path.into(), Some(json!({"q": "矩阵 检测"}))),
        ("POST", "/listings") => {
            let col = w
                .actors
                .iter()
                .position(|a| a.org_id == org_id)
                .expect("actor");
            let (_, mut body) = listing_writer(w, w.actors[col].org_id);
            body["title"] = json!(format!("矩阵新发布{n}"));
            (path.into(), Some(body))
        }
        ("GET", "/listings/{id}") => {
            let id = own_or_other(false).await;
            (format!("/listings/{id}"), None)
        }
        ("PUT", "/listings/{id}") => {
            let id = own_or_other(true).await;
            let (_, body) = if target == Other {
                (String::new(), listing_body("service"))
            } else {
                listing_writer(w, org_id)
            };
            (format!("/listings/{id}"), Some(body))
        }
        ("GET", "/listings/{id}/matches") => {
            let id = own_or_other(false).await;
            (format!("/listings/{id}/matches"), None)
        }
        ("PUT", "/listings/{id}/matches/{suggested_id}/feedback") => {
            let id = own_or_other(false).await;
            let suggested = new_listing(app, &w.other.manager, listing_body("service"), true).await;
            (
                format!("/listings/{id}/matches/{suggested}/feedback"),
                Some(json!({"verdict": "off_field"})),
            )
        }
        ("POST", "/listings/{id}/actions") => {
            let id = own_or_other(true).await;
            let action = if target == Other { "close" } else { "publish" };
            (
                format!("/listings/{id}/actions"),
                Some(json!({"step": action})),
            )
        }
        _ => (path.into(), None),
    }
}

/// Kept searches and inbox messages: the actor's own, or another user's (the other side's
/// carrier manager's).
async fn inbox_request(
    app: &TestApp,
    w: &World,
    token: &str,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let owner = if target == Other {
        w.other.manager.clone()
    } else {
        token.to_string()
    };
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let word = format!("矩阵推送{n}号");
    let keep = |owner: String, word: String| async move {
        app.expect(
            &owner,
            Method::POST,
            "/me/saved-searches",
            Some(json!({"name": word, "query": {"q": word}})),
            StatusCode::CREATED,
        )
        .await["id"]
            .as_i64()
            .expect("search id")
    };
    match (method, path) {
        ("POST", "/me/saved-searches") => (
            path.into(),
            Some(json!({"name": "矩阵检索", "query": {"q": word}})),
        ),
        ("DELETE", "/me/saved-searches/{id}") => {
            let id = keep(owner, word).await;
            (format!("/me/saved-searches/{id}"), None)
        }
        ("POST", "/me/inbox/{id}/read") => {
            // A kept search, and a listing that fits it, published by someone else.
            keep(owner.clone(), word.clone()).await;
            let publisher = if target == Other {
                app.admin_token.clone()
            } else {
                w.other.manager.clone()
            };
            let mut body = listing_body(if target == Other { "policy" } else { "service" });
            body["title"] = json!(word);
            new_listing(app, &publisher, body, true).await;
            let inbox = app
                .expect(&owner, Method::GET, "/me/inbox", None, StatusCode::OK)
                .await;
            let id = inbox[0]["id"].as_i64().expect("a message");
            (format!("/me/inbox/{id}/read"), None)
        }
        _ => (path.into(), None),
    }
}

/// A writer of the other organisation (an enterprise), added once: with the other side's carrier
/// operator, it makes deals to which no actor's organisation is party.
async fn other_writer(app: &TestApp, w: &World) -> String {
    let (status, body) = app
        .admin(
            Method::POST,
            &format!("/api/v1/organisations/{}/users", w.other_org),
            Some(
                json!({"login": "deal.other", "display_name": "洽谈方", "role": "enterprise_user"}),
            ),
        )
        .await;
    if status == StatusCode::CREATED {
        let password = body["one_time_password"].as_str().expect("password");
        app.ready_token("deal.other", password).await
    } else {
        fruition::bootstrap::create_token(&app.db, "deal.other", "tests")
            .await
            .expect("token")
    }
}

/// A contract concluded anywhere for the matrix: Own — the actor's organisation is the seller
/// (the bureau: the world's enterprise), submitted by the actor when its role submits, else by
/// the bureau; Other — the other organisation is the seller, submitted by its own writer. The
/// buyer is registered outside the city. Returned first for a resubmission.
async fn submission_request(
    app: &TestApp,
    w: &World,
    org_id: i64,
    col: usize,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let seller_org = match target {
        Other => w.other_org,
        _ if col < 2 => w.actors[3].org_id,
        _ => org_id,
    };
    let (_, org) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{seller_org}"),
            None,
        )
        .await;
    let org = if org.get("organisation").is_some() {
        org["organisation"].clone()
    } else {
        org
    };
    let first17 = format!("91430100MA{:07}", n % 10_000_000);
    let buyer = format!(
        "{first17}{}",
        fruition_domain::uscc::check_char(&first17).expect("check")
    );
    let body = json!({
        "contract_type": "service", "title": format!("矩阵技术服务合同{n}"),
        "seller_name": org["name"], "seller_uscc": org["uscc"],
        "buyer_name": "长沙矩阵测试公司（合成）", "buyer_uscc": buyer,
        "contract_amount_fen": 1_000_000 + n as i64, "tech_amount_fen": 500_000,
        "chain_code": "rail_transit", "signed_on": "2025-03-01",
        "starts_on": "2025-03-01", "ends_on": "2025-12-31",
        "file_name": "contract.pdf", "file_base64": "JVBERi0xLjQK"
    });
    if path == "/contract-submissions" && (method == "POST" || method == "GET") {
        return (path.into(), (method == "POST").then_some(body));
    }
    let submitter = match target {
        Other => other_writer(app, w).await,
        _ if (2..=5).contains(&col) => w.actors[col].token.clone(),
        _ => app.admin_token.clone(),
    };
    let id = app
        .expect(
            &submitter,
            Method::POST,
            "/contract-submissions",
            Some(body.clone()),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("submission id");
    // The office reminds a party of a contract it returned (what waits on the office itself
    // is the office's to do, not to remind of).
    if path == "/contract-submissions/{id}" && method == "PUT"
        || path.ends_with("/reminders") && col < 2
    {
        app.expect(
            &app.admin_token,
            Method::POST,
            &format!("/contract-submissions/{id}/decision"),
            Some(json!({"step": "return", "reason": "请补充合同附件"})),
            StatusCode::OK,
        )
        .await;
    }
    let path = path.replace("{id}", &id.to_string());
    let body = match endpoint {
        e if e.starts_with("PUT") => Some(body),
        e if e.ends_with("/decision") => {
            Some(json!({"step": "refuse", "reason": "不属于技术合同"}))
        }
        _ => None,
    };
    (path, body)
}

/// Deal requests, on a fresh deal brought to the step the endpoint needs: the other side's
/// carrier operator publishes a service, and the actor's organisation (Own; for the bureau and a
/// bank, the enterprise) or the other organisation (Other) declares intent on it.
async fn deal_request(
    app: &TestApp,
    w: &World,
    org_id: i64,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let owner = w.other.manager.clone();
    let mut listing = listing_body("service");
    listing["title"] = json!(format!("矩阵洽谈服务{n}"));
    // The bureau, the bank and a service agency do not declare intents; a service agency's
    // deals start on its own service listings.
    let trades = ![0, 6, 8].iter().any(|&i| org_id == w.actors[i].org_id);
    match (method, path, target) {
        ("POST", "/deals", Own) => {
            let (token, body) = listing_writer(w, org_id);
            let id = new_listing(app, &token, body, true).await;
            return (
                path.into(),
                Some(json!({"listing_id": id, "message": format!("矩阵意向{n}")})),
            );
        }
        ("POST", "/deals", _) => {
            let id = new_listing(app, &owner, listing, true).await;
            return (
                path.into(),
                Some(json!({"listing_id": id, "message": format!("矩阵意向{n}")})),
            );
        }
        (
            "GET",
            "/contracts"
            | "/contract-statistics"
            | "/deals"
            | "/contracts/export.xlsx"
            | "/contracts/template",
            _,
        ) => {
            return (path.into(), None);
        }
        ("POST", "/contracts/imports", _) => {
            let uscc = |division: &str, k: usize| {
                let first17 = format!("91{division}MA{:07}", 3_000_000 + k);
                let c = fruition_domain::uscc::check_char(&first17).expect("check char");
                format!("{first17}{c}")
            };
            return (
                path.into(),
                Some(Value::String(format!(
                    "合同类型,卖方名称,卖方统一社会信用代码,买方名称,买方统一社会信用代码,合同总额(万元),技术交易额(万元),技术领域,签订日期,登记日期\n\
                     技术服务,矩阵历史卖方{n},{},矩阵历史买方{n},{},10,8,rail_transit,2023-03-01,2023-03-10\n",
                    uscc("430211", 2 * n),
                    uscc("430100", 2 * n + 1)
                ))),
            );
        }
        _ => {}
    }
    let initiator = match target {
        Other => other_writer(app, w).await,
        _ if trades => listing_writer(w, org_id).0,
        _ => listing_writer(w, w.actors[3].org_id).0,
    };
    let listing = new_listing(app, &owner, listing, true).await;
    let deal = app
        .expect(
            &initiator,
            Method::POST,
            "/deals",
            Some(json!({"listing_id": listing, "message": format!("矩阵洽谈{n}")})),
            StatusCode::CREATED,
        )
        .await["deal"]["id"]
        .as_i64()
        .expect("deal id");
    let terms = json!({
        "contract_type": "service", "contract_amount_k": 100 + n, "tech_amount_k": 50,
        "starts_on": "2025-01-01", "ends_on": "2025-12-31"
    });
    // The listing's owner proposes; for the steps after agreement, the initiator accepts.
    let mut terms_id = 0;
    if matches!(
        path,
        "/deals/{id}/acceptance"
            | "/deals/{id}/registration"
            | "/deals/{id}/registration-refusal"
            | "/deals/{id}/outcome"
    ) {
        terms_id = app
            .expect(
                &owner,
                Method::POST,
                &format!("/deals/{deal}/terms"),
                Some(terms.clone()),
                StatusCode::OK,
            )
            .await["deal"]["terms_id"]
            .as_i64()
            .expect("terms id");
    }
    if path != "/deals/{id}/acceptance" && terms_id > 0 {
        app.expect(
            &initiator,
            Method::POST,
            &format!("/deals/{deal}/acceptance"),
            Some(json!({"terms_id": terms_id})),
            StatusCode::OK,
        )
        .await;
    }
    if path == "/deals/{id}/outcome" {
        app.expect(
            &app.admin_token,
            Method::POST,
            &format!("/deals/{deal}/registration"),
            Some(json!({})),
            StatusCode::OK,
        )
        .await;
    }
    let body = match path {
        "/deals/{id}/messages" => Some(json!({"message": format!("矩阵留言{n}")})),
        "/deals/{id}/terms" => Some(terms),
        "/deals/{id}/acceptance" => Some(json!({"terms_id": terms_id})),
        "/deals/{id}/withdrawal" | "/deals/{id}/registration" => Some(json!({})),
        "/deals/{id}/registration-refusal" => Some(json!({"reason": "矩阵不予登记"})),
        "/deals/{id}/outcome" => {
            Some(json!({"outcome": "fulfilled", "on": fruition_app::clock::today()}))
        }
        _ => None,
    };
    (path.replace("{id}", &deal.to_string()), body)
}

/// The token of a writer of `org_id` when that organisation may offer resources and book them
/// (a carrier operator, an enterprise or an institution), else None.
fn pilot_writer(w: &World, org_id: i64) -> Option<String> {
    let bureau = w.actors[0].org_id;
    let bank = w.actors[6].org_id;
    (org_id != bureau && org_id != bank).then(|| listing_writer(w, org_id).0)
}

fn pilot_line(n: usize) -> Value {
    json!({
        "kind": "pilot_line", "name": format!("矩阵中试线{n}"), "capabilities": "用于权限矩阵的中试线",
        "place": "矩阵基地", "unit": "hour", "price": "100", "open_days": [1, 2, 3, 4, 5, 6, 7],
        "open_from": 0, "open_to": 24, "cancel_hours": 0
    })
}

/// A slot of its own for each case: two days ahead, then one hour later per case.
fn pilot_slot(n: usize) -> String {
    let day = fruition_domain::date::IsoDate::parse(&fruition_app::clock::today())
        .expect("today")
        .plus_days(2 + n as i64 / 24);
    format!("{day} {:02}:00", n % 24)
}

async fn pilot_resource(app: &TestApp, owner: &str, n: usize) -> i64 {
    app.expect(
        owner,
        Method::POST,
        "/resources",
        Some(pilot_line(n)),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("resource id")
}

/// A booking of `booker` on a fresh resource of `owner`, taken up to `to` (requested, billed,
/// or billed and paid with a voucher of the booker's enterprise): (booking, bill) ids.
async fn pilot_booking(
    app: &TestApp,
    owner: &str,
    booker: &str,
    booker_org: i64,
    n: usize,
    to: &str,
) -> (i64, i64) {
    let resource = pilot_resource(app, owner, n).await;
    let booking = app
        .expect(
            booker,
            Method::POST,
            &format!("/resources/{resource}/bookings"),
            Some(json!({"starts_at": pilot_slot(n), "units": 1, "purpose": "矩阵预约"})),
            StatusCode::CREATED,
        )
        .await["booking"]["id"]
        .as_i64()
        .expect("booking id");
    if to == "requested" {
        return (booking, 0);
    }
    for step in [
        json!({"step": "confirm"}),
        json!({"step": "record_use", "used_units": 1}),
        json!({"step": "bill"}),
    ] {
        app.expect(
            owner,
            Method::POST,
            &format!("/bookings/{booking}/actions"),
            Some(step),
            StatusCode::OK,
        )
        .await;
    }
    let bill = app
        .expect(
            booker,
            Method::GET,
            &format!("/bookings/{booking}"),
            None,
            StatusCode::OK,
        )
        .await["bill"]["id"]
        .as_i64()
        .expect("bill id");
    if to == "voucher_paid" {
        let voucher = pilot_voucher(app, booker_org).await;
        app.expect(
            booker,
            Method::POST,
            &format!("/bills/{bill}/payments"),
            Some(json!({"voucher_id": voucher, "voucher_amount": "50"})),
            StatusCode::OK,
        )
        .await;
    }
    (booking, bill)
}

async fn pilot_voucher(app: &TestApp, holder: i64) -> i64 {
    let today =
        fruition_domain::date::IsoDate::parse(&fruition_app::clock::today()).expect("today");
    app.expect(
        &app.admin_token,
        Method::POST,
        "/vouchers",
        Some(json!({
            "org_id": holder, "amount": "1000", "valid_from": today.plus_days(-1).to_string(),
            "valid_to": today.plus_days(365).to_string(), "share_pct": 50, "yearly_cap": "100000"
        })),
        StatusCode::CREATED,
    )
    .await["voucher"]["id"]
        .as_i64()
        .expect("voucher id")
}

/// Pilot requests. Resources, bookings, bills and claims of the actor's organisation (Own) or
/// of the other side's carrier operator, booked by the other enterprise (Other). Organisations
/// that can have none of their own (the bureau, a bank) get the other side's for Own too; the
/// enterprise's viewer gets its enterprise's, made by a colleague who can write.
async fn pilot_request(
    app: &TestApp,
    w: &World,
    org_id: i64,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let other_owner = w.other.manager.clone();
    let mine = if target == Own {
        pilot_writer(w, org_id)
    } else {
        None
    };
    let owner = mine.clone().unwrap_or_else(|| other_owner.clone());
    let other_booker = other_writer(app, w).await;
    let enterprise_of = |o: i64| o == w.actors[3].org_id;
    match (method, path) {
        (
            "GET",
            "/resources"
            | "/me/resources"
            | "/bookings"
            | "/bills"
            | "/vouchers"
            | "/voucher-claims"
            | "/voucher-claims/claimable"
            | "/pilot-statistics",
        ) => (path.into(), None),
        ("POST", "/resources") => (path.into(), Some(pilot_line(n))),
        ("POST", "/vouchers") => (
            path.into(),
            Some(json!({
                "org_id": w.actors[3].org_id, "amount": "500", "valid_from": fruition_app::clock::today(),
                "valid_to": "2099-12-31", "share_pct": 30, "yearly_cap": "10000"
            })),
        ),
        ("POST", "/voucher-claims") => {
            // Something to claim: a bill of the actor's organisation paid in part with a voucher.
            if let Some(me) = pilot_writer(w, org_id) {
                pilot_booking(app, &me, &other_booker, w.other_org, n, "voucher_paid").await;
            }
            (path.into(), None)
        }
        ("POST", "/resources/{id}/bookings") => {
            // Own: the actor's own resource (or, for those with none, the other side's); Other:
            // the other side's, booked by the actor.
            let resource = pilot_resource(app, &owner, n).await;
            (
                format!("/resources/{resource}/bookings"),
                Some(json!({"starts_at": pilot_slot(n), "units": 1, "purpose": "矩阵预约"})),
            )
        }
        _ if path.starts_with("/resources/{id}") => {
            let resource = pilot_resource(app, &owner, n).await;
            let mut path = path.replace("{id}", &resource.to_string());
            if path.contains("{block_id}") {
                let block = app.expect(&owner,
                    Method::POST,
                    &format!("/resources/{resource}/maintenance"),
                    Some(json!({"starts_at": pilot_slot(n), "ends_at": pilot_slot(n + 1), "reason": "矩阵维护"})),
                    StatusCode::CREATED,
                )
                .await["id"]
                    .as_i64()
                    .expect("block id");
                path = path.replace("{block_id}", &block.to_string());
            }
            let body = match (method, path.rsplit('/').next()) {
                ("PUT", _) => Some(pilot_line(n)),
                (_, Some("activation")) => Some(json!({"active": true})),
                (_, Some("maintenance")) => Some(
                    json!({"starts_at": pilot_slot(n), "ends_at": pilot_slot(n + 1), "reason": "矩阵维护"}),
                ),
                _ => None,
            };
            (path, body)
        }
        ("POST", "/bills/reminders") => (path.into(), None),
        ("POST", "/bills/{id}/reminders") => {
            // Own: a bill the actor's organisation issued (for those that offer nothing — the
            // bureau, the bank — one between the other sides); Other: the other side's bill.
            let issuer = mine.unwrap_or_else(|| other_owner.clone());
            let (_, bill) =
                pilot_booking(app, &issuer, &other_booker, w.other_org, n, "billed").await;
            app.exec_with_id("UPDATE bills SET due_on = '2020-01-31' WHERE id = $1", bill)
                .await;
            (format!("/bills/{bill}/reminders"), None)
        }
        _ if path.starts_with("/bookings/{id}") || path.starts_with("/bills/{id}") => {
            // Own: the actor's organisation books the other side's resource (for those that
            // cannot book — the bank, a service agency, which offers but does not book — the
            // other enterprise does); Other: the other enterprise books.
            let (booker, booker_org) = match mine.filter(|_| org_id != w.actors[8].org_id) {
                Some(token) => (token, org_id),
                None => (other_booker.clone(), w.other_org),
            };
            let to = if path.starts_with("/bills") {
                "billed"
            } else {
                "requested"
            };
            let (booking, bill) =
                pilot_booking(app, &other_owner, &booker, booker_org, n, to).await;
            if path.starts_with("/bookings") {
                let body = (method == "POST").then(|| json!({"step": "cancel"}));
                (path.replace("{id}", &booking.to_string()), body)
            } else {
                let body = (method == "POST").then(|| json!({"cash": "1"}));
                (path.replace("{id}", &bill.to_string()), body)
            }
        }
        _ if path.starts_with("/vouchers/{id}") => {
            let holder = if target == Own && enterprise_of(org_id) {
                org_id
            } else {
                w.other_org
            };
            let voucher = pilot_voucher(app, holder).await;
            (
                path.replace("{id}", &voucher.to_string()),
                (method == "POST").then(|| json!({})),
            )
        }
        _ if path.starts_with("/voucher-claims/{id}") => {
            pilot_booking(app, &owner, &other_booker, w.other_org, n, "voucher_paid").await;
            let claim = app
                .expect(
                    &owner,
                    Method::POST,
                    "/voucher-claims",
                    None,
                    StatusCode::CREATED,
                )
                .await["claim"]["id"]
                .as_i64()
                .expect("claim id");
            let body = (method == "POST").then(|| json!({"step": "approve"}));
            (path.replace("{id}", &claim.to_string()), body)
        }
        _ => panic!("no pilot request for {endpoint}"),
    }
}

/// Credit score requests. The scorecards are the city's; a score is the actor's side's enterprise's
/// (Own; the bank has an application from it) or the other side's (Other); exclusions are noted
/// on those enterprises after the bureau has lifted every live one, so each note is new.
async fn score_request(
    app: &TestApp,
    w: &World,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let enterprise = if target == Other {
        w.other.enterprise
    } else {
        w.own.enterprise
    };
    let bank = w.actors[6].org_id;
    let borrower = w.actors[3].org_id;
    crate::credit_scores::apply_once(app, w.own.enterprise, borrower, bank).await;
    let clear = async {
        let score = app
            .expect(
                &app.admin_token,
                Method::GET,
                &format!("/enterprises/{enterprise}/credit-score"),
                None,
                StatusCode::OK,
            )
            .await;
        for x in score["exclusions"].as_array().into_iter().flatten() {
            let id = x["id"].as_i64().expect("exclusion id");
            app.expect(
                &app.admin_token,
                Method::DELETE,
                &format!("/enterprises/{enterprise}/credit-exclusions/{id}"),
                None,
                StatusCode::NO_CONTENT,
            )
            .await;
        }
    };
    match (method, path) {
        ("GET", "/credit/scorecards") | ("POST", "/credit/rescore") => (path.into(), None),
        ("GET", "/credit/scorecards/{version}") => ("/credit/scorecards/1".into(), None),
        ("POST", "/credit/scorecards") => {
            let bands = json!([{"from": 1, "points": 10}, {"from": 3, "points": 20}]);
            (
                path.into(),
                Some(json!({
                    "note": format!("矩阵{n}"),
                    "items": [{"indicator": "intellectual_property", "bands": bands, "cap": 20}],
                    "grades": [
                        {"grade": "a", "min_score": 20, "line_fen": 300_000_000},
                        {"grade": "b", "min_score": 15, "line_fen": 200_000_000},
                        {"grade": "c", "min_score": 10, "line_fen": 120_000_000},
                        {"grade": "d", "min_score": 5, "line_fen": 80_000_000},
                        {"grade": "e", "min_score": 1, "line_fen": 40_000_000}
                    ]
                })),
            )
        }
        (_, "/enterprises/{id}/credit-score" | "/enterprises/{id}/credit-scores") => {
            (path.replace("{id}", &enterprise.to_string()), None)
        }
        ("POST", "/enterprises/{id}/credit-exclusions") => {
            clear.await;
            (
                path.replace("{id}", &enterprise.to_string()),
                Some(json!({"exclusion": "abnormal_operation", "note": format!("矩阵{n}")})),
            )
        }
        ("DELETE", "/enterprises/{id}/credit-exclusions/{exclusion_id}") => {
            clear.await;
            let id = app
                .expect(
                    &app.admin_token,
                    Method::POST,
                    &format!("/enterprises/{enterprise}/credit-exclusions"),
                    Some(json!({"exclusion": "serious_dishonesty", "note": format!("矩阵{n}")})),
                    StatusCode::CREATED,
                )
                .await["id"]
                .as_i64()
                .expect("exclusion id");
            (
                format!("/enterprises/{enterprise}/credit-exclusions/{id}"),
                None,
            )
        }
        _ => panic!("no credit request for {endpoint}"),
    }
}

/// The password `TestApp::ready_token` gives a user.
fn secret(login: &str) -> String {
    format!("{login}-secret-pw")
}

async fn new_application(app: &TestApp, n: usize) -> i64 {
    let body = json!({
        "name": format!("申请机构{n}"), "kind": "enterprise", "uscc": crate::support::test_uscc(500_000 + n as u64),
        "contact_name": "张三", "contact_phone": "13800138000", "login": format!("applicant{n}")
    });
    let (status, created) = app
        .call_with("", Method::POST, "/api/v1/applications", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("id")
}

async fn org_profile(app: &TestApp, id: i64) -> Value {
    let (_, org) = app
        .admin(Method::GET, &format!("/api/v1/organisations/{id}"), None)
        .await;
    json!({"name": org["name"], "uscc": org["uscc"]})
}

/// A new enterprise organisation with its registry record (linked by its code); its user's token.
async fn fresh_borrower(app: &TestApp, n: usize) -> String {
    let (org, token) = app
        .org_with_user("enterprise", &format!("mxborrower{n}"))
        .await;
    let (_, o) = app
        .admin(Method::GET, &format!("/api/v1/organisations/{org}"), None)
        .await;
    app.expect(
        &app.admin_token,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": {"uscc": o["uscc"], "name": o["name"], "county": "天元区", "chain": "轨道交通"}})),
        StatusCode::CREATED,
    )
    .await;
    token
}

/// How far a loan fixture has gone.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum LoanStage {
    Applied,
    Disbursed,
    Claimed,
    Paid,
}

/// A loan of 10万元 on the target's side taken to `stage`; returns it and its claim. A default
/// trips the bank's breaker (all its loans are bad), so the bureau lifts it again at once.
async fn credit_loan(
    app: &TestApp,
    w: &World,
    target: Target,
    stage: LoanStage,
    n: usize,
) -> (i64, i64) {
    let (ent, bank, bank_org) = if target == Other {
        (w.other_ent.clone(), w.other_bank.clone(), w.other_bank_org)
    } else {
        (
            w.actors[3].token.clone(),
            w.actors[6].token.clone(),
            w.actors[6].org_id,
        )
    };
    let admin = &app.admin_token;
    // A loan that will default puts its borrower on the negative list: borrow as a fresh
    // enterprise, so the world's enterprises may go on applying.
    let ent = if stage >= LoanStage::Claimed {
        fresh_borrower(app, n).await
    } else {
        ent
    };
    let loan = app
        .expect(
            &ent,
            Method::POST,
            "/credit/loans",
            Some(
                json!({"bank_org_id": bank_org, "requested_fen": 10_000_000, "requested_months": 12,
                        "purpose": format!("矩阵贷款{n}：购置检测设备"), "consent": true}),
            ),
            StatusCode::CREATED,
        )
        .await["loan"]["id"]
        .as_i64()
        .expect("loan id");
    let act = |who: String, body: Value| async move {
        app.expect(
            &who,
            Method::POST,
            &format!("/credit/loans/{loan}/actions"),
            Some(body),
            StatusCode::OK,
        )
        .await;
    };
    if stage >= LoanStage::Disbursed {
        act(
            bank.clone(),
            json!({"step": "approve", "amount_fen": 10_000_000, "rate_bp": 400,
            "term_months": 12, "over_line_reason": "矩阵测试"}),
        )
        .await;
        act(bank.clone(), json!({"step": "disburse"})).await;
    }
    let mut claim = 0;
    if stage >= LoanStage::Claimed {
        act(admin.clone(), json!({"step": "register"})).await;
        act(bank.clone(), json!({"step": "mark_overdue"})).await;
        act(bank.clone(), json!({"step": "default"})).await;
        let _ = app
            .call_with(
                admin,
                Method::POST,
                &format!("/api/v1/credit/risk/{bank_org}/lift"),
                Some(json!({"reason": "矩阵测试解除熔断"})),
            )
            .await;
        claim = app
            .expect(
                &bank,
                Method::POST,
                &format!("/credit/loans/{loan}/claims"),
                Some(json!({})),
                StatusCode::CREATED,
            )
            .await["id"]
            .as_i64()
            .expect("claim id");
    }
    if stage >= LoanStage::Paid {
        // Every active funder pays its share: give each enough.
        let pool = app
            .expect(admin, Method::GET, "/credit/pool", None, StatusCode::OK)
            .await;
        let mut funders: Vec<i64> = pool["funders"]
            .as_array()
            .expect("funders")
            .iter()
            .filter(|f| f["active"] == true)
            .filter_map(|f| f["id"].as_i64())
            .collect();
        if funders.is_empty() {
            funders.push(
                app.expect(
                    admin,
                    Method::POST,
                    "/credit/pool/funders",
                    Some(
                        json!({"name": format!("矩阵出资方{n}"), "level": "district", "ratio": 1}),
                    ),
                    StatusCode::CREATED,
                )
                .await["id"]
                    .as_i64()
                    .expect("funder id"),
            );
        }
        for funder in funders {
            app.expect(
                admin,
                Method::POST,
                "/credit/pool/contributions",
                Some(json!({"funder_id": funder, "amount_fen": 10_000_000})),
                StatusCode::CREATED,
            )
            .await;
        }
        for step in ["approve", "pay"] {
            app.expect(
                admin,
                Method::POST,
                &format!("/credit/claims/{claim}/actions"),
                Some(json!({"step": step})),
                StatusCode::OK,
            )
            .await;
        }
    }
    (loan, claim)
}

/// The request for a credit endpoint, with fresh fixtures where a permitted call changes them.
/// A seed fund of the world's carrier operator (Own) or of a fresh investor (Other), registered
/// by the bureau; with an investment in the side's enterprise when `invested`. Returns the fund
/// and the investment.
async fn matrix_fund(
    app: &TestApp,
    w: &World,
    target: Target,
    n: usize,
    invested: bool,
) -> (i64, Option<i64>, String) {
    let admin = &app.admin_token;
    let (manager, kind) = if target == Other {
        let (org, _) = app.org_with_user("investor", &format!("mxvc{n}")).await;
        (org, "venture")
    } else {
        (w.own.operator, "seed")
    };
    let name = format!("矩阵基金{n}");
    let fund = app
        .expect(
            admin,
            Method::POST,
            "/capital/funds",
            Some(
                json!({"name": name, "kind": kind, "manager_org_id": manager,
                        "size_k": 1_000_000, "established_year": 2018}),
            ),
            StatusCode::CREATED,
        )
        .await["fund"]["id"]
        .as_i64()
        .expect("fund id");
    let enterprise = if target == Other {
        w.other.enterprise
    } else {
        w.own.enterprise
    };
    let investment = if invested {
        Some(
            app.expect(
                admin,
                Method::POST,
                "/capital/investments",
                Some(
                    json!({"fund_id": fund, "enterprise_id": enterprise, "round": "seed",
                            "amount_fen": 1_000_000, "invested_on": "2024-03-01"}),
                ),
                StatusCode::CREATED,
            )
            .await["id"]
                .as_i64()
                .expect("investment id"),
        )
    } else {
        None
    };
    (fund, investment, name)
}

async fn capital_request(
    app: &TestApp,
    w: &World,
    org_id: i64,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let bureau = org_id == w.actors[0].org_id;
    match endpoint {
        "GET /capital/statistics" => ("/capital/statistics?year=2024".into(), None),
        "POST /capital/funds" => {
            let manager = if bureau {
                Some(
                    app.org_with_user("investor", &format!("mxvcnew{n}"))
                        .await
                        .0,
                )
            } else {
                None
            };
            (
                "/capital/funds".into(),
                Some(
                    json!({"name": format!("矩阵新基金{n}"), "kind": "seed", "manager_org_id": manager,
                            "size_k": 10_000, "established_year": 2020}),
                ),
            )
        }
        "GET /capital/funds/{id}" | "GET /capital/funds/{id}/exits" => {
            let (fund, _, _) = matrix_fund(app, w, target, n, false).await;
            (endpoint[4..].replace("{id}", &fund.to_string()), None)
        }
        "PUT /capital/funds/{id}" => {
            let (fund, _, name) = matrix_fund(app, w, target, n, false).await;
            let kind = if target == Other { "venture" } else { "seed" };
            (
                format!("/capital/funds/{fund}"),
                Some(
                    json!({"name": name, "kind": kind, "size_k": 2_000_000, "established_year": 2018}),
                ),
            )
        }
        "POST /capital/investments" => {
            let (fund, _, _) = matrix_fund(app, w, Own, n, false).await;
            (
                "/capital/investments".into(),
                Some(
                    json!({"fund_id": fund, "enterprise_id": w.own.enterprise, "round": "angel",
                            "amount_fen": 2_000_000, "invested_on": "2024-05-01"}),
                ),
            )
        }
        "GET /capital/investments/{id}" => {
            let (_, investment, _) = matrix_fund(app, w, target, n, true).await;
            (
                format!("/capital/investments/{}", investment.expect("investment")),
                None,
            )
        }
        "POST /capital/exits" => {
            let (fund, _, _) = matrix_fund(app, w, Own, n, true).await;
            (
                "/capital/exits".into(),
                Some(
                    json!({"fund_id": fund, "enterprise_id": w.own.enterprise, "kind": "buy_back",
                            "exited_on": "2025-01-10", "proceeds_fen": 1_200_000}),
                ),
            )
        }
        "POST /capital/investments/imports" => {
            let (_, _, name) = matrix_fund(app, w, Own, n, false).await;
            let uscc = w.own.profile["uscc"].as_str().expect("uscc");
            (
                "/capital/investments/imports".into(),
                Some(Value::String(format!(
                    "基金名称,被投企业统一社会信用代码,轮次,投资金额（元）,投资日期\n{name},{uscc},天使轮,20000,2024-06-01\n"
                ))),
            )
        }
        _ => (endpoint.split_once(' ').expect("path").1.into(), None),
    }
}

async fn credit_request(
    app: &TestApp,
    w: &World,
    org_id: i64,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let admin = &app.admin_token;
    let funder = |name: String| async move {
        app.expect(
            admin,
            Method::POST,
            "/credit/pool/funders",
            Some(json!({"name": name, "level": "city", "ratio": 2})),
            StatusCode::CREATED,
        )
        .await["id"]
            .as_i64()
            .expect("funder id")
    };
    match (method, path) {
        ("GET", _) if !path.contains("{") => (path.into(), None),
        ("POST", "/credit/loans") => (
            path.into(),
            Some(
                json!({"bank_org_id": w.actors[6].org_id, "requested_fen": 5_000_000,
                        "requested_months": 12, "purpose": format!("矩阵申请{n}：流动资金"), "consent": true}),
            ),
        ),
        ("GET", "/credit/loans/{id}") => {
            let (loan, _) = credit_loan(app, w, target, LoanStage::Applied, n).await;
            (format!("/credit/loans/{loan}"), None)
        }
        ("POST", "/credit/loans/{id}/actions") => {
            let (loan, _) = credit_loan(app, w, target, LoanStage::Applied, n).await;
            (
                format!("/credit/loans/{loan}/actions"),
                Some(
                    json!({"step": "approve", "amount_fen": 5_000_000, "rate_bp": 400, "term_months": 12,
                            "over_line_reason": "矩阵测试"}),
                ),
            )
        }
        ("POST", "/credit/loans/{id}/repayments") => {
            let (loan, _) = credit_loan(app, w, target, LoanStage::Disbursed, n).await;
            (
                format!("/credit/loans/{loan}/repayments"),
                Some(json!({"principal_fen": 100_000, "interest_fen": 3_000})),
            )
        }
        ("POST", "/credit/loans/{id}/claims") => {
            // A defaulted loan whose claim was rejected: claimable again.
            let (loan, claim) = credit_loan(app, w, target, LoanStage::Claimed, n).await;
            app.expect(
                admin,
                Method::POST,
                &format!("/credit/claims/{claim}/actions"),
                Some(json!({"step": "reject", "reason": "材料不全"})),
                StatusCode::OK,
            )
            .await;
            (
                format!("/credit/loans/{loan}/claims"),
                Some(json!({"note": "补充材料后重新申请"})),
            )
        }
        ("GET", "/credit/claims/{id}") => {
            let (_, claim) = credit_loan(app, w, target, LoanStage::Claimed, n).await;
            (format!("/credit/claims/{claim}"), None)
        }
        ("POST", "/credit/claims/{id}/actions") => {
            let (_, claim) = credit_loan(app, w, target, LoanStage::Claimed, n).await;
            (
                format!("/credit/claims/{claim}/actions"),
                Some(json!({"step": "approve"})),
            )
        }
        ("POST", "/credit/claims/{id}/recoveries") => {
            let (_, claim) = credit_loan(app, w, target, LoanStage::Paid, n).await;
            (
                format!("/credit/claims/{claim}/recoveries"),
                Some(json!({"recovered_fen": 1_000_000})),
            )
        }
        ("POST", "/credit/repayments/imports") => {
            // A repayment of 1,000 yuan on a disbursed loan of the world's bank.
            let (loan, _) = credit_loan(app, w, Own, LoanStage::Disbursed, n).await;
            let today = fruition_app::clock::today();
            (
                path.into(),
                Some(Value::String(format!(
                    "贷款编号,还款日期,归还本金（元）,支付利息（元）\n{loan},{today},1000,50\n"
                ))),
            )
        }
        ("PUT", "/credit/policy") => {
            let policy = app
                .expect(admin, Method::GET, "/credit/policy", None, StatusCode::OK)
                .await;
            (path.into(), Some(policy))
        }
        ("POST", "/credit/pool/funders") => (
            path.into(),
            Some(json!({"name": format!("矩阵新出资方{n}"), "level": "province", "ratio": 5})),
        ),
        ("PUT", "/credit/pool/funders/{id}") => {
            let id = funder(format!("矩阵待改出资方{n}")).await;
            (
                format!("/credit/pool/funders/{id}"),
                Some(json!({"ratio": 3, "active": true})),
            )
        }
        ("POST", "/credit/pool/contributions") => {
            let id = funder(format!("矩阵出资{n}")).await;
            (
                path.into(),
                Some(json!({"funder_id": id, "amount_fen": 1_000_000})),
            )
        }
        ("POST", "/credit/risk/{bank_org_id}/lift") => {
            // The bureau lifts a breaker that is on: a fresh bank whose only loan defaulted.
            let bank = if org_id == w.actors[0].org_id {
                let (bank_org, bank) = app.org_with_user("bank", &format!("mxbank{n}")).await;
                let ent = &fresh_borrower(app, n).await;
                let loan = app
                    .expect(ent, Method::POST, "/credit/loans",
                        Some(json!({"bank_org_id": bank_org, "requested_fen": 1_000_000, "requested_months": 6,
                                    "purpose": "矩阵熔断测试贷款", "consent": true})),
                        StatusCode::CREATED)
                    .await["loan"]["id"]
                    .as_i64()
                    .expect("loan id");
                for body in [
                    json!({"step": "approve", "amount_fen": 1_000_000, "rate_bp": 400, "term_months": 6, "over_line_reason": "矩阵"}),
                    json!({"step": "disburse"}),
                    json!({"step": "mark_overdue"}),
                ] {
                    app.expect(
                        &bank,
                        Method::POST,
                        &format!("/credit/loans/{loan}/actions"),
                        Some(body),
                        StatusCode::OK,
                    )
                    .await;
                }
                bank_org
            } else {
                w.actors[6].org_id
            };
            (
                format!("/credit/risk/{bank}/lift"),
                Some(json!({"reason": "矩阵测试：已完成整改"})),
            )
        }
        _ => panic!("no credit request for {endpoint}"),
    }
}

/// The request for a 先投后股 endpoint: a fresh project of the target's enterprise, kept by a
/// fresh fund of the target's carrier operator, for every case that needs one.
async fn grant_request(
    app: &TestApp,
    w: &World,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    if !path.contains("{id}") {
        let body = (method == "POST").then(|| {
            json!({"enterprise_id": w.own.enterprise, "title": format!("矩阵先投后股项目{n}"),
                   "amount_fen": 1_000_000, "granted_on": "2024-03-01", "discount_bp": 1000})
        });
        return (path.into(), body);
    }
    let side = if target == Other { &w.other } else { &w.own };
    let fund = crate::grants::fund(app, side.operator, &format!("矩阵种子基金{n}")).await;
    let id = crate::grants::grant(app, side.enterprise, Some(fund), 100, 0, "2024-03-01").await;
    match path {
        "/capital/grants/{id}" => (format!("/capital/grants/{id}"), None),
        "/capital/grants/{id}/milestones" => (
            format!("/capital/grants/{id}/milestones"),
            Some(json!({"title": format!("矩阵里程碑{n}")})),
        ),
        "/capital/grants/{id}/milestones/{milestone_id}/achievement" => {
            let d = app
                .expect(
                    &app.admin_token,
                    Method::POST,
                    &format!("/capital/grants/{id}/milestones"),
                    Some(json!({"title": format!("矩阵待达成里程碑{n}")})),
                    StatusCode::CREATED,
                )
                .await;
            let m = d["milestones"][0]["id"].as_i64().expect("milestone id");
            (
                format!("/capital/grants/{id}/milestones/{m}/achievement"),
                Some(json!({})),
            )
        }
        "/capital/grants/{id}/actions" => (
            format!("/capital/grants/{id}/actions"),
            Some(
                json!({"step": "trigger", "round": "a", "valuation_fen": 1_000_000_000, "date": "2024-06-01"}),
            ),
        ),
        _ => panic!("no 先投后股 request for {endpoint}"),
    }
}

/// The request for a campaign endpoint: a fresh open campaign for every case that needs one;
/// Own asks about the actor's side's incubatee at its carrier, Other about the other side's.
async fn campaign_request(
    app: &TestApp,
    w: &World,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let deadline = fruition_domain::date::IsoDate::parse(&fruition_app::clock::today())
        .expect("today")
        .plus_days(30)
        .to_string();
    let body =
        json!({"title": format!("矩阵需求征集{n}"), "theme": "走访在孵企业", "deadline": deadline});
    if path == "/campaigns" {
        return (path.into(), (method == "POST").then_some(body));
    }
    let id = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/campaigns",
            Some(body.clone()),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("campaign id");
    let side = if target == Other { &w.other } else { &w.own };
    let body = match path {
        "/campaigns/{id}" => (method == "PUT").then_some(body),
        "/campaigns/{id}/contacts" => Some(
            json!({"carrier_id": side.carrier, "enterprise_id": side.enterprise, "outcome": "no_need"}),
        ),
        "/campaigns/{id}/needs" => {
            let mut need = listing_body("need");
            need["title"] = json!(format!("矩阵征集需求{n}"));
            Some(
                json!({"carrier_id": side.carrier, "enterprise_id": side.enterprise, "need": need}),
            )
        }
        _ => None,
    };
    (path.replace("{id}", &id.to_string()), body)
}

/// The request for an evaluation endpoint: a fresh carrier of the target side's operator with an
/// approved 2024 report, and a fresh 2024 round in the state the operation needs.
async fn evaluation_request(
    app: &TestApp,
    w: &World,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let round = json!({"year": 2024});
    if path == "/evaluations" {
        return (path.into(), (method == "POST").then_some(round));
    }
    let side = if target == Other { &w.other } else { &w.own };
    let carrier = new_carrier(app, side.operator, &format!("矩阵评价载体{n}")).await;
    let report = open_report(app, &side.manager, carrier).await;
    let figures = json!({"staff": 4, "mentors": 2, "events_held": 3, "floor_area_m2": 2000});
    app.expect(
        &side.manager,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(figures),
        StatusCode::OK,
    )
    .await;
    app.expect(
        &side.manager,
        Method::POST,
        &format!("/reports/{report}/submission"),
        None,
        StatusCode::OK,
    )
    .await;
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/reports/{report}/review"),
        Some(json!({"action": "approve"})),
        StatusCode::OK,
    )
    .await;
    let id = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/evaluations",
            Some(round),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("round id");
    if path != "/evaluations/{id}/compute" {
        app.expect(
            &app.admin_token,
            Method::POST,
            &format!("/evaluations/{id}/compute"),
            None,
            StatusCode::OK,
        )
        .await;
    }
    let read = method == "GET";
    if read {
        app.expect(
            &app.admin_token,
            Method::POST,
            &format!("/evaluations/{id}/publish"),
            None,
            StatusCode::OK,
        )
        .await;
    }
    let body =
        (method == "PUT").then(|| json!({"points": 3, "reason": "现场核查服务台账完整，酌情加分"}));
    let path = if path == "/carriers/{id}/evaluations" {
        path.replace("{id}", &carrier.to_string())
    } else {
        path.replace("{id}", &id.to_string())
            .replace("{carrier_id}", &carrier.to_string())
    };
    (path, body)
}

/// The request for a mentor endpoint: a fresh mentor kept by the target side's carrier
/// operator (and a relationship with that side's incubatee) for every case that needs one.
async fn mentor_request(
    app: &TestApp,
    w: &World,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let side = if target == Other { &w.other } else { &w.own };
    let mentor_body = json!({"name": format!("矩阵导师{n}"), "expertise": "轨道交通装备研发", "operator_org_id": side.operator});
    if matches!(path, "/mentors" | "/mentorships" | "/mentoring-statistics") {
        return (path.into(), (method == "POST").then_some(mentor_body));
    }
    let mentor = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/mentors",
            Some(mentor_body.clone()),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("mentor id");
    if path.starts_with("/mentors/") {
        let body = match path {
            "/mentors/{id}" => (method == "PUT").then_some(mentor_body),
            _ => Some(json!({"enterprise_id": side.enterprise, "started_on": "2024-03-01"})),
        };
        return (path.replace("{id}", &mentor.to_string()), body);
    }
    let mentorship = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/mentors/{mentor}/mentorships"),
            Some(json!({"enterprise_id": side.enterprise, "started_on": "2024-03-01"})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("mentorship id");
    let body = match path {
        "/mentorships/{id}/sessions" => {
            Some(json!({"duration": "1.5", "topic": "商业计划书辅导", "held_on": "2024-04-01"}))
        }
        "/mentorships/{id}/end" => Some(json!({})),
        _ => None,
    };
    (path.replace("{id}", &mentorship.to_string()), body)
}

/// The request for a one-stop services endpoint (services and requests made through the store,
/// so any organisation can be a provider or an asker).
async fn services_request(
    app: &TestApp,
    w: &World,
    actor_org: i64,
    col: usize,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    use fruition_domain::service::{ServiceAudience, ServiceCategory};
    use fruition_store::services::{self as store, NewRequest, ServiceTerms};
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let provider = if target == Other {
        w.other.operator
    } else {
        actor_org
    };
    let terms = ServiceTerms {
        category: ServiceCategory::Legal,
        title: format!("矩阵法律咨询{n}"),
        description: "为企业提供合同审查与知识产权法律咨询服务。".into(),
        audience: ServiceAudience::Anyone,
        audience_chains: String::new(),
        materials: String::new(),
        response_hours: 24,
        steps: "受理\n咨询".into(),
        price_fen: 0,
        voucher_payable: false,
    };
    let ctx = fruition_store::audit::AuditCtx::system("tests");
    let mut tx = app.db.begin().await.expect("begin");
    let service = store::create_service(&mut tx, &ctx, provider, &terms)
        .await
        .expect("service");
    // For a request: an enterprise actor asks (of the other operator); anyone else provides
    // (to the other enterprise). Other: the other enterprise asked the other operator.
    let asks = target != Other && ROLES[col].starts_with("enterprise") || ROLES[col] == "viewer";
    let (requester, to) = match target {
        Other => (w.other_org, w.other.operator),
        _ if asks => (actor_org, w.other.operator),
        _ => (w.other_org, actor_org),
    };
    let request = store::create_request(
        &mut tx,
        &ctx,
        &NewRequest {
            service_id: None,
            provider_org_id: to,
            requester_org_id: requester,
            enterprise_id: None,
            carrier_id: None,
            category: ServiceCategory::Legal,
            need: "矩阵测试需求".into(),
            response_hours: 24,
            steps: Vec::new(),
            requested_at: fruition_store::clock::now_ms(),
        },
    )
    .await
    .expect("request");
    tx.commit().await.expect("commit");
    let (sid, rid) = (service.id, request.id);
    let body = json!({"category": "legal", "title": format!("矩阵服务{n}"),
        "description": "为企业提供合同审查与知识产权法律咨询服务。", "response_time": 2, "response_unit": "days"});
    match (method, path) {
        ("GET", "/services") | ("GET", "/services/requests") | ("GET", "/services/statistics") => {
            (path.into(), None)
        }
        ("POST", "/services") => (path.into(), Some(body)),
        ("GET", "/services/{id}") => (format!("/services/{sid}"), None),
        ("PUT", "/services/{id}") => (format!("/services/{sid}"), Some(body)),
        ("PUT", "/services/{id}/active") => (
            format!("/services/{sid}/active"),
            Some(json!({"active": false})),
        ),
        ("POST", "/services/requests") => {
            // An active service of the other operator, for anyone.
            let mut tx = app.db.begin().await.expect("begin");
            let s = store::create_service(&mut tx, &ctx, w.other.operator, &terms)
                .await
                .expect("service");
            tx.commit().await.expect("commit");
            (
                path.into(),
                Some(json!({"service_id": s.id, "need": format!("矩阵服务申请{n}")})),
            )
        }
        ("GET", "/services/requests/{id}") => (format!("/services/requests/{rid}"), None),
        ("POST", "/services/requests/{id}/actions") => {
            let step = if asks { "withdraw" } else { "accept" };
            (
                format!("/services/requests/{rid}/actions"),
                Some(json!({"step": step})),
            )
        }
        ("POST", "/services/requests/{id}/steps/{position}/files")
        | ("GET", "/services/requests/{id}/files/{file_id}") => {
            // A request with a step, accepted, with a file.
            let now = fruition_store::clock::now_ms();
            let mut tx = app.db.begin().await.expect("begin");
            let r = store::create_request(
                &mut tx,
                &ctx,
                &NewRequest {
                    service_id: None,
                    provider_org_id: to,
                    requester_org_id: requester,
                    enterprise_id: None,
                    carrier_id: None,
                    category: ServiceCategory::Legal,
                    need: "矩阵测试附件".into(),
                    response_hours: 24,
                    steps: vec!["受理".into()],
                    requested_at: now,
                },
            )
            .await
            .expect("request");
            use fruition_domain::service::ServiceRequestStatus as S;
            let accepted = store::StepFields {
                answered_at: Some(now),
                ..Default::default()
            };
            store::step(
                &mut tx,
                &ctx,
                r.id,
                S::Requested,
                S::Accepted,
                &accepted,
                now,
            )
            .await
            .expect("accept");
            let f = store::add_step_file(
                &mut tx,
                &ctx,
                &store::NewStepFile {
                    request_id: r.id,
                    position: 1,
                    name: "受理回执.pdf",
                    kind: fruition_domain::attachment::AttachmentKind::Pdf,
                    sha256: "00",
                    content: b"%PDF-1.4",
                    now,
                },
            )
            .await
            .expect("file");
            tx.commit().await.expect("commit");
            if method == "POST" {
                // The file itself as the body.
                (
                    format!("/services/requests/{}/steps/1/files?name=a.pdf", r.id),
                    Some(Value::String("%PDF-1.4 矩阵附件".into())),
                )
            } else {
                (format!("/services/requests/{}/files/{}", r.id, f.id), None)
            }
        }
        _ => panic!("no services request for {endpoint}"),
    }
}

/// Makes sure both sides' carriers are members (the world's own the chair).
async fn alliance_members(app: &TestApp, w: &World) {
    for (carrier, role) in [(w.own.carrier, "chair"), (w.other.carrier, "member")] {
        let (status, body) = app
            .admin(
                Method::POST,
                "/api/v1/alliance/members",
                Some(json!({"carrier_id": carrier, "role": role})),
            )
            .await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::CONFLICT,
            "{status} {body}"
        );
    }
}

fn alliance_event_body(carrier: i64, n: usize) -> Value {
    json!({"kind": "salon", "title": format!("矩阵沙龙{n}"), "place": "株洲市天元区",
           "starts_at": "2030-06-01 14:00", "ends_at": "2030-06-01 16:00", "capacity": 20,
           "carrier_id": carrier})
}

async fn alliance_request(
    app: &TestApp,
    w: &World,
    token: &str,
    endpoint: &str,
    target: Target,
    n: usize,
) -> (String, Option<Value>) {
    alliance_members(app, w).await;
    let (method, path) = endpoint.split_once(' ').expect("method and path");
    let side = if target == Other { &w.other } else { &w.own };
    let admin = app.admin_token.clone();
    let fresh_member = || async {
        let c = new_carrier(app, side.operator, &format!("矩阵联盟载体{n}")).await;
        app.expect(
            &admin,
            Method::POST,
            "/alliance/members",
            Some(json!({"carrier_id": c, "role": "member"})),
            StatusCode::CREATED,
        )
        .await;
        c
    };
    let event = || async {
        app.expect(
            &admin,
            Method::POST,
            "/alliance/events",
            Some(alliance_event_body(side.carrier, n)),
            StatusCode::CREATED,
        )
        .await["event"]["id"]
            .as_i64()
            .expect("event id")
    };
    match (method, path) {
        ("GET", "/alliance") | ("GET", "/alliance/training") => (path.into(), None),
        ("GET", "/alliance/events") => ("/alliance/events?year=2030".into(), None),
        ("POST", "/alliance/members") => {
            let c = new_carrier(app, side.operator, &format!("矩阵入盟载体{n}")).await;
            (
                path.into(),
                Some(json!({"carrier_id": c, "role": "member"})),
            )
        }
        ("PUT", "/alliance/members/{id}") => {
            let c = fresh_member().await;
            (
                format!("/alliance/members/{c}"),
                Some(json!({"role": "vice_chair"})),
            )
        }
        ("DELETE", "/alliance/members/{id}") => {
            let c = fresh_member().await;
            (format!("/alliance/members/{c}"), None)
        }
        ("POST", "/alliance/notices") => (
            path.into(),
            Some(json!({"title": format!("矩阵通知{n}"), "body": "请各成员单位知悉。"})),
        ),
        ("POST", "/alliance/offers") => (
            path.into(),
            Some(
                json!({"carrier_id": side.carrier, "kind": "venue", "title": format!("矩阵场地{n}"),
                        "description": "路演厅", "contact": "0731-28800000"}),
            ),
        ),
        ("POST", "/alliance/offers/{id}/interest") => {
            let offer = app.expect(&admin, Method::POST, "/alliance/offers",
                Some(json!({"carrier_id": side.carrier, "kind": "mentor", "title": format!("矩阵导师{n}"),
                            "description": "创业导师", "contact": "王老师"})),
                StatusCode::CREATED).await["id"].as_i64().expect("offer id");
            (
                format!("/alliance/offers/{offer}/interest"),
                Some(json!({})),
            )
        }
        ("POST", "/alliance/events") => (path.into(), Some(alliance_event_body(side.carrier, n))),
        ("GET", "/alliance/events/{id}") => (format!("/alliance/events/{}", event().await), None),
        ("GET", "/alliance/events/{id}/calendar") => {
            (format!("/alliance/events/{}/calendar", event().await), None)
        }
        ("PUT", "/alliance/events/{id}") => (
            format!("/alliance/events/{}", event().await),
            Some(alliance_event_body(side.carrier, n + 1)),
        ),
        ("POST", "/alliance/events/{id}/registration") => (
            format!("/alliance/events/{}/registration", event().await),
            None,
        ),
        ("DELETE", "/alliance/events/{id}/registration") => {
            let id = event().await;
            app.expect(
                token,
                Method::POST,
                &format!("/alliance/events/{id}/registration"),
                None,
                StatusCode::CREATED,
            )
            .await;
            (format!("/alliance/events/{id}/registration"), None)
        }
        ("POST", "/alliance/events/{id}/check-ins") => {
            let id = event().await;
            let d = app
                .expect(
                    &admin,
                    Method::POST,
                    &format!("/alliance/events/{id}/registration"),
                    None,
                    StatusCode::CREATED,
                )
                .await;
            let code = d["mine"]["code"].as_str().expect("code").to_string();
            (
                format!("/alliance/events/{id}/check-ins"),
                Some(json!({"code": code})),
            )
        }
        ("POST", "/alliance/training/courses") => (
            path.into(),
            Some(
                json!({"title": format!("矩阵培训{n}"), "provider": "科技局", "hours": 8, "held_on": "2024-05-01"}),
            ),
        ),
        ("POST", "/alliance/training/records") => {
            let course = app.expect(&admin, Method::POST, "/alliance/training/courses",
                Some(json!({"title": format!("矩阵课程{n}"), "provider": "科技局", "hours": 8, "held_on": "2024-05-01"})),
                StatusCode::CREATED).await["id"].as_i64().expect("course id");
            (
                path.into(),
                Some(
                    json!({"course_id": course, "person_name": format!("学员{n}"), "carrier_id": side.carrier}),
                ),
            )
        }
        ("POST", "/alliance/training/certificates") => (
            path.into(),
            Some(
                json!({"person_name": format!("学员{n}"), "carrier_id": side.carrier, "kind": "mentor",
                        "number": format!("CYDS-{n}"), "issuer": "湖南省科技厅", "issued_on": "2023-01-01",
                        "expires_on": "2026-01-01"}),
            ),
        ),
        _ => panic!("no alliance request for {endpoint}"),
    }
}

async fn matrix(app: TestApp) {
    let w = world(&app).await;
    let mut failures = Vec::new();
    let mut n = 0usize;
    for (endpoint, target, allowed) in TABLE {
        for (col, actor) in w.actors.iter().enumerate() {
            n += 1;
            let (org, user) = match target {
                Own => (actor.org_id, actor.colleague),
                Other => (w.other_org, w.other_user),
                Nil => (actor.org_id, actor.colleague),
            };
            let (method, path) = endpoint.split_once(' ').expect("method and path");
            let changed_password = format!("{}-changed-pw", actor.login);
            let (path, body): (String, Option<Value>) = match *endpoint {
                "PATCH /me" => (path.into(), Some(json!({"display_name": "改名"}))),
                "POST /me/tokens" => (path.into(), Some(json!({"name": "脚本"}))),
                "PUT /me/password" => (
                    path.into(),
                    Some(
                        json!({"current_password": actor.password, "new_password": changed_password}),
                    ),
                ),
                "DELETE /me/tokens/{id}" => {
                    let id = if *target == Other {
                        w.other_token
                    } else {
                        app.expect(
                            &actor.token,
                            Method::POST,
                            "/me/tokens",
                            Some(json!({"name": format!("待撤销{n}")})),
                            StatusCode::CREATED,
                        )
                        .await["info"]["id"]
                            .as_i64()
                            .expect("token id")
                    };
                    (format!("/me/tokens/{id}"), None)
                }
                "POST /applications" => (
                    path.into(),
                    Some(json!({
                        "name": format!("已登录申请机构{n}"), "kind": "enterprise",
                        "uscc": crate::support::test_uscc(500_000 + n as u64),
                        "contact_name": "李四", "contact_phone": "13800138000", "login": format!("signed.applicant{n}")
                    })),
                ),
                "POST /organisations" => (
                    path.into(),
                    Some(
                        json!({"kind": "enterprise", "name": format!("矩阵企业{n}"), "uscc": crate::support::test_uscc(700_000 + n as u64)}),
                    ),
                ),
                "PATCH /organisations/{id}" => (
                    format!("/organisations/{org}"),
                    Some(org_profile(&app, org).await),
                ),
                "PUT /organisations/{id}/active" => (
                    format!("/organisations/{org}/active"),
                    Some(json!({"active": true})),
                ),
                "POST /organisations/{id}/users" => (
                    format!("/organisations/{org}/users"),
                    Some(
                        json!({"login": format!("matrix{n}"), "display_name": "新成员", "role": "viewer"}),
                    ),
                ),
                "PUT /users/{id}/active" => (
                    format!("/users/{user}/active"),
                    Some(json!({"active": true})),
                ),
                "POST /credit/what-if" => (path.into(), Some(json!({"runs": 10, "months": 12}))),
                "POST /applications/{id}/decline" => {
                    let id = new_application(&app, n).await;
                    (
                        format!("/applications/{id}/decline"),
                        Some(json!({"reason": "材料不全，请补充"})),
                    )
                }
                e if e.contains("/applications/{id}") => {
                    let id = new_application(&app, n).await;
                    (path.replace("{id}", &id.to_string()), None)
                }
                e if [
                    "/credit/scorecards",
                    "/credit/rescore",
                    "/credit-score",
                    "/credit-exclusions",
                ]
                .iter()
                .any(|p| e.contains(p)) =>
                {
                    score_request(&app, &w, e, *target, n).await
                }
                e if e.contains(" /alliance") => {
                    alliance_request(&app, &w, &actor.token, e, *target, n).await
                }
                e if e.contains(" /capital/") && !e.contains("/capital/grants") => {
                    capital_request(&app, &w, actor.org_id, e, *target, n).await
                }
                e if e.contains(" /capital/grants") => grant_request(&app, &w, e, *target, n).await,
                e if e.contains(" /campaigns") => campaign_request(&app, &w, e, *target, n).await,
                e if e.contains("/evaluations") => {
                    evaluation_request(&app, &w, e, *target, n).await
                }
                e if e.contains(" /mentor") => mentor_request(&app, &w, e, *target, n).await,
                e if e.contains(" /services") => {
                    services_request(&app, &w, actor.org_id, col, e, *target, n).await
                }
                e if e.starts_with("GET /credit") || e.contains(" /credit") => {
                    credit_request(&app, &w, actor.org_id, e, *target, n).await
                }
                e if e.contains("/contract-submissions") => {
                    submission_request(&app, &w, actor.org_id, col, e, *target, n).await
                }
                e if e.contains("/deals") || e.contains("/contract") => {
                    deal_request(&app, &w, actor.org_id, e, *target, n).await
                }
                e if [
                    "/resources",
                    "/bookings",
                    "/bills",
                    "/voucher",
                    "/pilot-statistics",
                ]
                .iter()
                .any(|p| e.contains(p)) =>
                {
                    pilot_request(&app, &w, actor.org_id, e, *target, n).await
                }
                e if e.contains("/saved-searches") || e.contains("/inbox") => {
                    inbox_request(&app, &w, &actor.token, e, *target, n).await
                }
                e if e.contains("/listings") => {
                    market_request(&app, &w, actor.org_id, e, *target, n).await
                }
                e if [
                    "/carriers",
                    "/enterprises",
                    "/reports",
                    "/counties",
                    "/zones",
                    "/chains",
                    "/import-template",
                    "/statistics",
                    "/annual-report",
                    "/spinoffs",
                    "/spinoff-projects",
                ]
                .iter()
                .any(|p| path.starts_with(p)) =>
                {
                    registry_request(&app, &w, e, *target, n).await
                }
                _ => (
                    path.replace("/organisations/{id}", &format!("/organisations/{org}"))
                        .replace("/users/{id}", &format!("/users/{user}")),
                    None,
                ),
            };
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let (status, answer) = if *endpoint == "POST /carriers/{id}/imports" {
                app.send_csv(&actor.token, &path, import_csv(n)).await
            } else if let Some(Value::String(csv)) = &body {
                // A file as the body (the credit_request's repayment workbook, a step's file).
                app.send_csv(&actor.token, &path, csv.clone()).await
            } else {
                app.call_with(&actor.token, method, &format!("/api/v1{path}"), body)
                    .await
            };
            let ok = status.is_success();
            let denied = status == StatusCode::FORBIDDEN
                || status == StatusCode::NOT_FOUND
                    && NOT_FOUND_WHEN_DENIED.contains(&(*endpoint, *target));
            if ok && *endpoint == "PUT /me/password" {
                // Put the password back, so the world stays as it was.
                app.expect(&actor.token,
                    Method::PUT,
                    "/me/password",
                    Some(
                        json!({"current_password": changed_password, "new_password": actor.password}),
                    ),
                    StatusCode::OK,
                )
                .await;
            }
            if allowed[col] && !ok || !allowed[col] && !denied {
                failures.push(format!(
                    "{endpoint} ({target:?}) as {}: got {status} {answer}",
                    ROLES[col]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Lists are filtered rather than refused: only the bureau sees other organisations.
    for (col, actor) in w.actors.iter().enumerate() {
        let (_, orgs) = app
            .call_with(&actor.token, Method::GET, "/api/v1/organisations", None)
            .await;
        let ids: Vec<i64> = orgs
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|o| o["id"].as_i64())
            .collect();
        let sees_other = ids.contains(&w.other_org);
        assert_eq!(sees_other, col < 2, "{} sees {ids:?}", ROLES[col]);
        assert!(
            ids.contains(&actor.org_id),
            "{} must see their own organisation",
            ROLES[col]
        );
    }
    // The same for the list of users: the bureau sees everyone, others their own colleagues only.
    for (col, actor) in w.actors.iter().enumerate() {
        let (_, users) = app
            .call_with(&actor.token, Method::GET, "/api/v1/users", None)
            .await;
        let orgs: Vec<i64> = users
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|u| u["org_id"].as_i64())
            .collect();
        assert_eq!(
            orgs.contains(&w.other_org),
            col < 2,
            "{} sees users of {orgs:?}",
            ROLES[col]
        );
        assert!(
            orgs.iter().all(|o| col < 2 || *o == actor.org_id),
            "{} sees only colleagues",
            ROLES[col]
        );
    }
    // Enterprises and reports are listed, not refused: the bureau sees both sides, the carrier
    // manager its own incubatee and report, the enterprise's users their own record, others nothing.
    for (col, actor) in w.actors.iter().enumerate() {
        let listed = |v: Value| -> Vec<i64> {
            v.as_array()
                .expect("list")
                .iter()
                .filter_map(|x| x["id"].as_i64())
                .collect()
        };
        let (_, found) = app
            .call_with(
                &actor.token,
                Method::GET,
                "/api/v1/enterprises?limit=1000",
                None,
            )
            .await;
        let found = listed(found);
        let (sees_own, sees_other) = match ROLES[col] {
            "bureau_admin" | "bureau_staff" => (true, true),
            "carrier_manager" | "enterprise_manager" | "enterprise_user" | "viewer" => {
                (true, false)
            }
            _ => (false, false),
        };
        assert_eq!(
            (
                found.contains(&w.own.enterprise),
                found.contains(&w.other.enterprise)
            ),
            (sees_own, sees_other),
            "{} lists enterprises {found:?}",
            ROLES[col]
        );
        if matches!(
            ROLES[col],
            "enterprise_manager" | "enterprise_user" | "viewer"
        ) {
            assert_eq!(
                found,
                vec![w.own.enterprise],
                "{} sees only its own record",
                ROLES[col]
            );
        }
        let (_, reports) = app
            .call_with(&actor.token, Method::GET, "/api/v1/reports", None)
            .await;
        let reports = listed(reports);
        let (sees_own, sees_other) = match ROLES[col] {
            "bureau_admin" | "bureau_staff" => (true, true),
            "carrier_manager" => (true, false),
            _ => (false, false),
        };
        assert_eq!(
            (
                reports.contains(&w.own.report),
                reports.contains(&w.other.report)
            ),
            (sees_own, sees_other),
            "{} lists reports {reports:?}",
            ROLES[col]
        );
    }
    // Another user's token cannot be revoked: it is not found among the caller's own.
    let (_, mine) = app
        .call_with(&w.actors[2].token, Method::GET, "/api/v1/me/tokens", None)
        .await;
    let token_id = mine[0]["id"].as_i64().expect("token id");
    let (status, _) = app
        .call_with(
            &w.actors[3].token,
            Method::DELETE,
            &format!("/api/v1/me/tokens/{token_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nobody signed in: every endpoint but applying answers 401.
    for (endpoint, _, _) in TABLE.iter().filter(|(e, _, _)| !PUBLIC.contains(e)) {
        let (method, path) = endpoint.split_once(' ').expect("split");
        let path = path
            .replace("{id}", "1")
            .replace("{enterprise_id}", "1")
            .replace("{block_id}", "1")
            .replace("{version}", "1")
            .replace("{exclusion_id}", "1")
            .replace("{milestone_id}", "1");
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, _) = app
            .call_with("", method, &format!("/api/v1{path}"), Some(json!({})))
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{endpoint} without signing in"
        );
    }
}

on_both!(matrix);

/// The operations the OpenAPI snapshot documents, as `METHOD /path` below `/api/v1`.
fn documented() -> BTreeSet<String> {
    let text = std::fs::read_to_string(SNAPSHOT).expect("the OpenAPI snapshot");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let path = path.strip_prefix("/api/v1").unwrap_or(path);
            ops.insert(format!("{} {path}", method.to_uppercase()));
            // An operation without `security`, or whose `security` allows none (`{}`: a caller is
            // optional), needs no sign-in: it must be listed as public.
            let public = op["security"].as_array().is_none_or(|reqs| {
                reqs.iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            let key = format!("{} {path}", method.to_uppercase());
            assert_eq!(
                public,
                PUBLIC.contains(&key.as_str()),
                "{key}: documented as {}, but PUBLIC says otherwise",
                if public { "public" } else { "signed-in only" }
            );
        }
    }
    ops
}

/// Every documented operation is in the table, and the table holds nothing undocumented, so the
/// matrix cannot fall behind the API again.
#[test]
fn the_table_covers_every_documented_operation() {
    let documented = documented();
    let tabled: BTreeSet<String> = TABLE.iter().map(|(e, _, _)| e.to_string()).collect();
    let missing: Vec<&String> = documented.difference(&tabled).collect();
    let stale: Vec<&String> = tabled.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "documented operations missing from the authorisation matrix (add a row for each, with \
         the roles allowed on the actor's own and on another organisation's resource): {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "the matrix lists operations the API does not document: {stale:?}"
    );
    // An endpoint tried on the actor's own organisation's resource is tried on another's too;
    // and no case is written twice.
    let mut seen = BTreeSet::new();
    for (endpoint, target, _) in TABLE {
        assert!(
            seen.insert((*endpoint, format!("{target:?}"))),
            "{endpoint} ({target:?}) is in the table twice"
        );
    }
    for (endpoint, target, _) in TABLE {
        if *target == Own {
            assert!(
                TABLE.iter().any(|(e, t, _)| e == endpoint && *t == Other),
                "{endpoint} is checked on the actor's own organisation but not on another's"
            );
        }
    }
}
