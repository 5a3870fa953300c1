//! Authorisation in one place: whether a user may perform an action on a resource.
//!
//! The API and the pages both ask [`can`]; lists ask [`org_scope`]. Nothing else decides.

use crate::market::ListingKind;
use crate::org::{OrgKind, Role};

/// Who is acting: a signed-in user, with the organisation they belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub org_id: i64,
    pub org_kind: OrgKind,
    pub role: Role,
    /// The organisation's own manager may add and deactivate colleagues.
    pub is_manager: bool,
}

/// What the actor wants to do, with the facts about the resource the decision needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// See an organisation's profile.
    ViewOrg { org_id: i64 },
    /// Register a new organisation (with its first user).
    CreateOrg,
    /// Change an organisation's profile.
    UpdateOrg { org_id: i64 },
    /// Activate or deactivate a whole organisation.
    SetOrgActive { org_id: i64 },
    /// See the users of an organisation.
    ViewUsers { org_id: i64 },
    /// Add a user with `role` to an organisation of kind `org_kind`.
    CreateUser {
        org_id: i64,
        org_kind: OrgKind,
        role: Role,
    },
    /// Deactivate or reactivate a user.
    SetUserActive {
        org_id: i64,
        user_id: i64,
        role: Role,
    },
    /// Reset another user's password to a one-time password.
    ResetPassword {
        org_id: i64,
        user_id: i64,
        role: Role,
    },
    /// Browse the audit log.
    ViewAudit,
    /// Register a carrier, rate it, or revoke it (the bureau's decisions).
    RegisterCarrier,
    /// Keep a carrier's profile: the bureau, or a carrier manager of its operator.
    UpdateCarrier { operator_org_id: i64 },
    /// See an enterprise's details and indicators: the bureau, the operators of carriers that
    /// incubate or incubated it, and the enterprise's own organisation.
    ViewEnterprise { related_orgs: Vec<i64> },
    /// Register or change an enterprise, its incubation spells and indicators: the bureau, the
    /// carrier managers of an operator incubating it, or the enterprise's own users (profile only).
    UpdateEnterprise { related_orgs: Vec<i64> },
    /// Register a new incubatee at a carrier (and import incubatees): the bureau or that carrier's managers.
    AddIncubatee { operator_org_id: i64 },
    /// Prepare and submit a carrier's yearly report: that carrier's managers.
    FileReport { operator_org_id: i64 },
    /// Return or approve yearly reports, see who is late.
    ReviewReports,
    /// Keep the reference data: functional zones, industrial chains, funds.
    EditReference,
    /// Define a parent enterprise's spin-off path and move its projects: the bureau or the parent's own users.
    ManageSpinoffs { parent_org_id: Option<i64> },
    /// See, approve or decline applications to join.
    ReviewApplications,
    /// Write a new market listing of `kind` for the actor's own organisation.
    CreateListing { kind: ListingKind },
    /// Change, publish or close a listing: its owner organisation's users who can write.
    EditListing { owner_org_id: i64 },
    /// See a listing that is not published (a draft, closed or hidden one): its owner or the bureau.
    ViewUnpublishedListing { owner_org_id: i64 },
    /// Hide a published listing with a reason, or restore it: the bureau.
    ModerateListings,
    /// Declare intent on another organisation's published listing, opening a deal with its owner:
    /// users who can write, of an enterprise, an institution or a carrier operator; never on the
    /// organisation's own listing (the bureau registers contracts and takes no side).
    DeclareIntent { owner_org_id: i64 },
    /// Read a deal and its private messages: the users of its two organisations, and the bureau.
    ViewDeal { party_org_ids: [i64; 2] },
    /// Write on a deal — messages, terms, acceptance, withdrawal: the users of its two
    /// organisations who can write (the bureau reads but does not post).
    ActOnDeal { party_org_ids: [i64; 2] },
    /// Register agreed deals as technology contracts (or refuse with a reason) and keep the
    /// register: the bureau's administrators and staff.
    RegisterContracts,
    /// Submit a technology contract concluded anywhere for registration: a party's users who
    /// can write (an enterprise, an institution, a carrier operator — `party`: its USCC is the
    /// seller's or the buyer's), or the registration office on a party's behalf.
    SubmitContract { party: bool },
    /// See a submitted contract and its signed file: the bureau, the submitter and the parties
    /// known on the platform.
    ViewContractSubmission { related_orgs: Vec<i64> },
    /// Record a registered contract as fulfilled or terminated: either party's users who can
    /// write, or the bureau's registrar.
    RecordContractOutcome { party_org_ids: [i64; 2] },
    /// Offer a pilot line, an instrument or a testing service for booking: users who can write,
    /// of a carrier operator, an institution or an enterprise.
    CreateResource,
    /// Keep a resource and run its bookings — rules, maintenance, confirming, declining,
    /// recording use, billing, receiving payments, claiming vouchers back: the owner's users
    /// who can write.
    ManageResource { owner_org_id: i64 },
    /// See a resource's bookings with the bookers' names, its bills and claims: the owner and the bureau.
    ViewResourceBookings { owner_org_id: i64 },
    /// Ask for a slot on another organisation's resource: users who can write, of an enterprise,
    /// an institution or a carrier operator.
    RequestBooking { owner_org_id: i64 },
    /// See a booking and its bill: the booker, the owner and the bureau.
    ViewBooking {
        booker_org_id: i64,
        owner_org_id: i64,
    },
    /// Cancel a booking or pay its bill: the booker's or the owner's users who can write (what
    /// each side may do beyond that — the deadline, vouchers, refunds — is the booking's rule).
    ActOnBooking {
        booker_org_id: i64,
        owner_org_id: i64,
    },
    /// Remind the payer of an overdue bill (催缴): the bill's issuer's users who can write, and
    /// the bureau's users who can write.
    RemindPayer { owner_org_id: i64 },
    /// Issue innovation vouchers, decide reimbursement claims: the bureau.
    ManageVouchers,
    /// See a voucher and its ledger: the holder and the bureau.
    ViewVoucher { holder_org_id: i64 },
    /// Apply for a knowledge-value loan, or withdraw the application: the borrowing enterprise's
    /// users who can write.
    Borrow { borrower_org_id: i64 },
    /// See a loan: its borrower, its bank, its guarantor, and the bureau.
    ViewLoan {
        borrower_org_id: i64,
        bank_org_id: i64,
        guarantor_org_id: Option<i64>,
    },
    /// The bank's part of a loan (review, disburse, repayments, overdue, default, claims,
    /// recoveries): users of that bank who can write.
    Lend { bank_org_id: i64 },
    /// See a bank's claims and its non-performing ratio: the bank and the bureau.
    ViewBankCredit { bank_org_id: i64 },
    /// Register loans for compensation, decide and pay claims, keep the pool, its funders and
    /// the credit policy, lift a breaker: the bureau.
    ManageCreditPool,
    /// Run the risk compensation pool's what-if (simulated outlooks before committing money):
    /// the bureau only.
    RunWhatIf,
    /// Make a new version of the credit scorecard, rescore every enterprise, note or lift an
    /// exclusion (负面清单) on an enterprise: the bureau.
    ManageScorecards,
    /// Read the credit scorecards, the rules every score follows: every signed-in user.
    ViewScorecards,
    /// See an enterprise's credit score and its working: the bureau, the users of the
    /// enterprise's own organisation, and a bank the enterprise has asked for a loan.
    ViewCreditScore {
        enterprise_org_id: Option<i64>,
        bank_org_ids: Vec<i64>,
    },
    /// Register a fund managed by `manager_org_id`: the bureau (for any manager), or users who
    /// can write of an investor or a carrier operator (its seed fund), for their own organisation.
    RegisterFund { manager_org_id: Option<i64> },
    /// Keep a fund and its portfolio — its figures, investments, follow-ons and exits: the
    /// bureau, or the manager's users who can write.
    KeepFund { manager_org_id: Option<i64> },
    /// See a fund's investments and portfolio figures: the bureau and the manager's users.
    ViewPortfolio { manager_org_id: Option<i64> },
    /// See one investment: the bureau, the fund's manager and the enterprise invested in.
    ViewInvestment {
        manager_org_id: Option<i64>,
        enterprise_org_id: Option<i64>,
    },
    /// Grant 先投后股 project funding: the bureau.
    GrantEquityFunding,
    /// Record milestones and take the steps of a 先投后股 project: the bureau, or users who can
    /// write of the manager of the fund the bureau named for it.
    ActOnEquityGrant { fund_manager_org_id: Option<i64> },
    /// See a 先投后股 project: the bureau, the named fund's manager and the enterprise.
    ViewEquityGrant {
        enterprise_org_id: Option<i64>,
        fund_manager_org_id: Option<i64>,
    },
    /// Open a need-collection campaign, change or close it: the bureau.
    OpenCampaign,
    /// See the campaigns and their coverage: the bureau (every carrier's) and the users of
    /// carrier operators (their own carriers' rows).
    ViewCampaigns,
    /// Record firms asked and needs collected in a campaign for a carrier operated by
    /// `operator_org_id`: its carrier managers.
    CollectNeeds { operator_org_id: i64 },
    /// Keep a carrier's mentors, their mentoring relationships and sessions: the bureau, or the
    /// carrier managers of the operator that engaged the mentor.
    KeepMentors { operator_org_id: i64 },
    /// See a mentoring relationship and its sessions: the bureau, the operator's users and the
    /// mentored enterprise's users.
    ViewMentorship {
        operator_org_id: i64,
        enterprise_org_id: Option<i64>,
    },
    /// Browse the one-stop services catalogue (active services): every signed-in user.
    BrowseServices,
    /// Offer a new service for the actor's own organisation: users who can write, of the
    /// bureau, a carrier operator or a service agency.
    OfferService,
    /// Change a service (its words, terms, steps, price): the provider's users who can write
    /// (the provider being the bureau, a carrier operator or a service agency).
    KeepService { provider_org_id: i64 },
    /// Deactivate or reactivate a service: the provider's users who can write, and the bureau
    /// (for every provider's).
    SetServiceActive { provider_org_id: i64 },
    /// Ask for a service of another organisation: users who can write, of an enterprise.
    RequestService { provider_org_id: i64 },
    /// See a service request and its steps: the requester, the provider and the bureau.
    ViewServiceRequest {
        requester_org_id: i64,
        provider_org_id: i64,
    },
    /// Accept or decline a request, record its steps, complete it: the provider's users who
    /// can write (the provider being the bureau, a carrier operator or a service agency).
    AnswerServiceRequest { provider_org_id: i64 },
    /// Withdraw a request before it is answered, rate it once completed: the requester's users
    /// who can write.
    FollowServiceRequest { requester_org_id: i64 },
    /// See a provider's service statistics: the bureau (every provider's) and the provider's
    /// own users.
    ViewServiceStatistics { provider_org_id: i64 },
    /// Admit carriers to the alliance (载体联盟), set their roles and remove them: the bureau.
    ManageAlliance,
    /// Read the alliance's notices: the bureau and the users of an organisation operating a
    /// member carrier (`member` says whether the actor's organisation does).
    ReadAllianceNotices { member: bool },
    /// Post a notice to the alliance's members: the bureau, or users who can write of the
    /// organisation operating the chair carrier (理事长单位).
    PostAllianceNotice { chair_operator_org_id: Option<i64> },
    /// Act for a member carrier — offer a shared resource, organise an event in its name: the
    /// bureau, or a carrier manager of the organisation operating it.
    ActForMember { operator_org_id: i64 },
    /// Show interest in another member's shared offer: a carrier manager of an organisation
    /// operating a member carrier (`member`), never on its own organisation's offer.
    ShowInterest { offerer_org_id: i64, member: bool },
    /// Change or cancel an event, see its registrations, waiting list and attendance, check
    /// people in: the bureau, or users who can write of the organising organisation.
    ManageEvent { organiser_org_id: i64 },
    /// Register for an event, or cancel one's own registration: every signed-in user.
    RegisterForEvent,
    /// Record training courses, attendance and certificates of a carrier's staff: the bureau
    /// (any carrier, and courses of its own), or a carrier manager of the carrier's operator.
    KeepTraining { operator_org_id: Option<i64> },
    /// See a carrier's staff training and certificates: the bureau and the users of the
    /// carrier's operator.
    ViewTraining { operator_org_id: i64 },
    /// Create an evaluation round of the carriers, compute it, adjust a result with a reason,
    /// publish it: the bureau (administrators and staff).
    ManageEvaluations,
    /// See evaluation results: the bureau's administrators and staff every round in every
    /// state; once a round is published, the bureau's viewers every carrier's result, and the
    /// users of a carrier's operator its own carriers' results (`operator_org_id`: the carrier's
    /// operator; none when reading the rounds or a round's table, which carrier operators see
    /// narrowed to their own carriers).
    ViewEvaluations {
        operator_org_id: Option<i64>,
        published: bool,
    },
}

/// Why an action was refused (for logs and messages; the API answers 403 or 404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The role never allows this action.
    Role,
    /// The resource belongs to another organisation.
    OtherOrg,
    /// The role is not one an organisation of that kind can hold, or outranks the actor.
    RoleNotAssignable,
    /// A user may not do this to themself.
    SelfAction,
}

/// Which organisations' records a list shows the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgScope {
    All,
    Own(i64),
}

impl Actor {
    fn is_bureau(&self) -> bool {
        self.org_kind == OrgKind::Bureau && self.role.is_bureau()
    }
    fn is_admin(&self) -> bool {
        self.org_kind == OrgKind::Bureau && self.role == Role::BureauAdmin
    }
    fn own(&self, org_id: i64) -> bool {
        self.org_id == org_id
    }
    /// A carrier manager of the organisation operating a carrier.
    fn keeps_carrier_of(&self, operator_org_id: i64) -> bool {
        self.own(operator_org_id)
            && self.org_kind == OrgKind::CarrierOperator
            && self.role == Role::CarrierManager
    }
    /// Any role but the viewer changes what belongs to its organisation.
    fn can_write(&self) -> bool {
        self.role != Role::Viewer
    }
    /// The bureau, carrier operators and service agencies offer one-stop services.
    fn offers_services(&self) -> bool {
        matches!(
            self.org_kind,
            OrgKind::Bureau | OrgKind::CarrierOperator | OrgKind::ServiceAgency
        )
    }
    /// A manager of their own organisation who can change things (a viewer never can).
    fn manages(&self, org_id: i64) -> bool {
        self.own(org_id) && self.is_manager && self.role != Role::Viewer
    }
}

pub fn org_scope(actor: &Actor) -> OrgScope {
    if actor.is_bureau() {
        OrgScope::All
    } else {
        OrgScope::Own(actor.org_id)
    }
}

/// Decides whether `actor` may perform `action`.
pub fn can(actor: &Actor, action: &Action) -> Result<(), Denied> {
    use Action::*;
    let deny_other = |org_id: i64| {
        if actor.own(org_id) {
            Denied::Role
        } else {
            Denied::OtherOrg
        }
    };
    match *action {
        ViewOrg { org_id } | ViewUsers { org_id } => {
            if actor.is_bureau() || actor.own(org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        CreateOrg | ReviewApplications | ViewAudit | RegisterCarrier | ReviewReports
        | EditReference | ModerateListings | ManageVouchers | RunWhatIf | ManageScorecards
        | GrantEquityFunding | ManageAlliance | ManageEvaluations => {
            if actor.is_bureau() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        UpdateOrg { org_id } => {
            if actor.is_bureau() || actor.manages(org_id) {
                Ok(())
            } else {
                Err(deny_other(org_id))
            }
        }
        SetOrgActive { org_id } => {
            if actor.own(org_id) {
                Err(Denied::SelfAction)
            } else if actor.is_bureau() {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        CreateUser {
            org_id,
            org_kind,
            role,
        } => {
            if !org_kind.allowed_roles().contains(&role) {
                return Err(Denied::RoleNotAssignable);
            }
            if actor.is_admin() {
                return Ok(());
            }
            if role == Role::BureauAdmin {
                return Err(Denied::RoleNotAssignable);
            }
            if (actor.is_bureau() && org_kind != OrgKind::Bureau) || actor.manages(org_id) {
                Ok(())
            } else {
                Err(deny_other(org_id))
            }
        }
        UpdateCarrier { operator_org_id } | AddIncubatee { operator_org_id } => {
            if actor.is_bureau() || actor.keeps_carrier_of(operator_org_id) {
                Ok(())
            } else {
                Err(deny_other(operator_org_id))
            }
        }
        FileReport { operator_org_id } => {
            if actor.keeps_carrier_of(operator_org_id) {
                Ok(())
            } else {
                Err(deny_other(operator_org_id))
            }
        }
        ViewEnterprise { ref related_orgs } => {
            if actor.is_bureau() || related_orgs.contains(&actor.org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        UpdateEnterprise { ref related_orgs } => {
            if actor.is_bureau() || (related_orgs.contains(&actor.org_id) && actor.can_write()) {
                Ok(())
            } else if related_orgs.contains(&actor.org_id) {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        CreateListing { kind } => {
            if !actor.can_write() || !ListingKind::allowed_for(actor.org_kind).contains(&kind) {
                Err(Denied::Role)
            } else {
                Ok(())
            }
        }
        EditListing { owner_org_id } => {
            if actor.own(owner_org_id) && actor.can_write() {
                Ok(())
            } else {
                Err(deny_other(owner_org_id))
            }
        }
        ViewUnpublishedListing { owner_org_id } => {
            if actor.is_bureau() || actor.own(owner_org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        DeclareIntent { owner_org_id } => {
            let trades = matches!(
                actor.org_kind,
                OrgKind::Enterprise | OrgKind::Institution | OrgKind::CarrierOperator
            );
            if !trades || !actor.can_write() {
                Err(Denied::Role)
            } else if actor.own(owner_org_id) {
                Err(Denied::SelfAction)
            } else {
                Ok(())
            }
        }
        ViewDeal { party_org_ids } => {
            if actor.is_bureau() || party_org_ids.contains(&actor.org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ActOnDeal { party_org_ids } => {
            if party_org_ids.contains(&actor.org_id) && actor.can_write() {
                Ok(())
            } else if party_org_ids.contains(&actor.org_id) || actor.is_bureau() {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        RegisterContracts => {
            if actor.is_bureau() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        SubmitContract { party } => {
            let trades = matches!(
                actor.org_kind,
                OrgKind::Enterprise | OrgKind::Institution | OrgKind::CarrierOperator
            );
            if actor.is_bureau() && actor.can_write() {
                Ok(())
            } else if !trades || !actor.can_write() {
                Err(Denied::Role)
            } else if party {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ViewContractSubmission { ref related_orgs } => {
            if actor.is_bureau() || related_orgs.contains(&actor.org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        RecordContractOutcome { party_org_ids } => {
            if actor.is_bureau() || (party_org_ids.contains(&actor.org_id) && actor.can_write()) {
                Ok(())
            } else if party_org_ids.contains(&actor.org_id) {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        CreateResource => {
            let offers = matches!(
                actor.org_kind,
                OrgKind::CarrierOperator
                    | OrgKind::Institution
                    | OrgKind::Enterprise
                    | OrgKind::ServiceAgency
            );
            if offers && actor.can_write() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        ManageResource { owner_org_id } => {
            if actor.own(owner_org_id) && actor.can_write() {
                Ok(())
            } else {
                Err(deny_other(owner_org_id))
            }
        }
        RemindPayer { owner_org_id } => {
            if (actor.is_bureau() || actor.own(owner_org_id)) && actor.can_write() {
                Ok(())
            } else if actor.is_bureau() || actor.own(owner_org_id) {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ViewResourceBookings { owner_org_id }
        | ViewVoucher {
            holder_org_id: owner_org_id,
        } => {
            if actor.is_bureau() || actor.own(owner_org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        RequestBooking { owner_org_id } => {
            let books = matches!(
                actor.org_kind,
                OrgKind::Enterprise | OrgKind::Institution | OrgKind::CarrierOperator
            );
            if !books || !actor.can_write() {
                Err(Denied::Role)
            } else if actor.own(owner_org_id) {
                Err(Denied::SelfAction)
            } else {
                Ok(())
            }
        }
        ViewBooking {
            booker_org_id,
            owner_org_id,
        } => {
            if actor.is_bureau() || actor.own(booker_org_id) || actor.own(owner_org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ActOnBooking {
            booker_org_id,
            owner_org_id,
        } => {
            let party = actor.own(booker_org_id) || actor.own(owner_org_id);
            if party && actor.can_write() {
                Ok(())
            } else if party || actor.is_bureau() {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        Borrow { borrower_org_id } => {
            if actor.own(borrower_org_id)
                && actor.org_kind == OrgKind::Enterprise
                && actor.can_write()
            {
                Ok(())
            } else {
                Err(deny_other(borrower_org_id))
            }
        }
        ViewLoan {
            borrower_org_id,
            bank_org_id,
            guarantor_org_id,
        } => {
            if actor.is_bureau()
                || actor.own(borrower_org_id)
                || actor.own(bank_org_id)
                || guarantor_org_id == Some(actor.org_id)
            {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        Lend { bank_org_id } => {
            if actor.own(bank_org_id) && actor.org_kind == OrgKind::Bank && actor.can_write() {
                Ok(())
            } else {
                Err(deny_other(bank_org_id))
            }
        }
        ViewBankCredit { bank_org_id } => {
            if actor.is_bureau() || actor.own(bank_org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ManageCreditPool => {
            if actor.is_bureau() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        ViewScorecards => Ok(()),
        ViewCreditScore {
            enterprise_org_id,
            ref bank_org_ids,
        } => {
            let own = enterprise_org_id == Some(actor.org_id);
            let asked = actor.org_kind == OrgKind::Bank && bank_org_ids.contains(&actor.org_id);
            if actor.is_bureau() || own || asked {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        RegisterFund { manager_org_id } => {
            let manages_funds =
                matches!(actor.org_kind, OrgKind::Investor | OrgKind::CarrierOperator);
            let own = manager_org_id == Some(actor.org_id);
            if actor.is_bureau() || (own && manages_funds && actor.can_write()) {
                Ok(())
            } else if own {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        KeepFund { manager_org_id }
        | ActOnEquityGrant {
            fund_manager_org_id: manager_org_id,
        } => {
            let own = manager_org_id == Some(actor.org_id);
            if actor.is_bureau() || (own && actor.can_write()) {
                Ok(())
            } else if own {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        OpenCampaign => {
            if actor.is_bureau() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        ViewCampaigns => {
            if actor.is_bureau() || actor.org_kind == OrgKind::CarrierOperator {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        CollectNeeds { operator_org_id } => {
            if actor.keeps_carrier_of(operator_org_id) {
                Ok(())
            } else {
                Err(deny_other(operator_org_id))
            }
        }
        KeepMentors { operator_org_id } => {
            if actor.is_bureau() || actor.keeps_carrier_of(operator_org_id) {
                Ok(())
            } else {
                Err(deny_other(operator_org_id))
            }
        }
        ViewMentorship {
            operator_org_id,
            enterprise_org_id,
        } => {
            if actor.is_bureau()
                || actor.own(operator_org_id)
                || enterprise_org_id == Some(actor.org_id)
            {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ViewPortfolio { manager_org_id } => {
            if actor.is_bureau() || manager_org_id == Some(actor.org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ViewInvestment {
            manager_org_id,
            enterprise_org_id,
        }
        | ViewEquityGrant {
            enterprise_org_id,
            fund_manager_org_id: manager_org_id,
        } => {
            if actor.is_bureau()
                || manager_org_id == Some(actor.org_id)
                || enterprise_org_id == Some(actor.org_id)
            {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ViewEvaluations {
            operator_org_id,
            published,
        } => {
            if actor.is_bureau() {
                Ok(())
            } else if !published {
                Err(Denied::Role)
            } else if actor.org_kind == OrgKind::Bureau {
                Ok(())
            } else {
                match operator_org_id {
                    // Its own carrier's result: whoever operates it (a university operates its
                    // science park).
                    Some(org) if actor.own(org) => Ok(()),
                    Some(_) if actor.org_kind == OrgKind::CarrierOperator => Err(Denied::OtherOrg),
                    None if actor.org_kind == OrgKind::CarrierOperator => Ok(()),
                    _ => Err(Denied::Role),
                }
            }
        }
        BrowseServices => Ok(()),
        OfferService => {
            if actor.offers_services() && actor.can_write() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        RegisterForEvent => Ok(()),
        ReadAllianceNotices { member } => {
            if actor.is_bureau() || member {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        KeepService { provider_org_id } | AnswerServiceRequest { provider_org_id } => {
            if actor.own(provider_org_id) && actor.can_write() && actor.offers_services() {
                Ok(())
            } else if actor.is_bureau() {
                Err(Denied::Role)
            } else {
                Err(deny_other(provider_org_id))
            }
        }
        FollowServiceRequest { requester_org_id } => {
            if actor.own(requester_org_id) && actor.can_write() {
                Ok(())
            } else if actor.is_bureau() {
                Err(Denied::Role)
            } else {
                Err(deny_other(requester_org_id))
            }
        }
        SetServiceActive { provider_org_id } => {
            if actor.is_bureau()
                || (actor.own(provider_org_id) && actor.can_write() && actor.offers_services())
            {
                Ok(())
            } else {
                Err(deny_other(provider_org_id))
            }
        }
        RequestService { provider_org_id } => {
            if actor.org_kind != OrgKind::Enterprise || !actor.can_write() {
                Err(Denied::Role)
            } else if actor.own(provider_org_id) {
                Err(Denied::SelfAction)
            } else {
                Ok(())
            }
        }
        ViewServiceRequest {
            requester_org_id,
            provider_org_id,
        } => {
            if actor.is_bureau() || actor.own(requester_org_id) || actor.own(provider_org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ViewServiceStatistics { provider_org_id } => {
            if actor.is_bureau() || actor.own(provider_org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        PostAllianceNotice {
            chair_operator_org_id,
        } => {
            let chair = chair_operator_org_id == Some(actor.org_id);
            if actor.is_bureau() || (chair && actor.can_write()) {
                Ok(())
            } else if chair {
                Err(Denied::Role)
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ActForMember { operator_org_id }
        | KeepTraining {
            operator_org_id: Some(operator_org_id),
        } => {
            if actor.is_bureau() || actor.keeps_carrier_of(operator_org_id) {
                Ok(())
            } else {
                Err(deny_other(operator_org_id))
            }
        }
        KeepTraining {
            operator_org_id: None,
        } => {
            if actor.is_bureau() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        ShowInterest {
            offerer_org_id,
            member,
        } => {
            if actor.own(offerer_org_id) {
                Err(Denied::SelfAction)
            } else if member
                && actor.org_kind == OrgKind::CarrierOperator
                && actor.role == Role::CarrierManager
            {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        ManageEvent { organiser_org_id } => {
            if actor.is_bureau() || (actor.own(organiser_org_id) && actor.can_write()) {
                Ok(())
            } else {
                Err(deny_other(organiser_org_id))
            }
        }
        ViewTraining { operator_org_id } => {
            if actor.is_bureau() || actor.own(operator_org_id) {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        ManageSpinoffs { parent_org_id } => {
            if actor.is_bureau()
                || (parent_org_id == Some(actor.org_id) && actor.role == Role::EnterpriseUser)
            {
                Ok(())
            } else {
                Err(Denied::OtherOrg)
            }
        }
        SetUserActive {
            org_id,
            user_id,
            role,
        }
        | ResetPassword {
            org_id,
            user_id,
            role,
        } => {
            if user_id == actor.user_id {
                return Err(Denied::SelfAction);
            }
            if actor.is_admin() {
                return Ok(());
            }
            if role == Role::BureauAdmin {
                return Err(if actor.own(org_id) {
                    Denied::RoleNotAssignable
                } else {
                    Denied::OtherOrg
                });
            }
            if actor.manages(org_id) {
                Ok(())
            } else {
                Err(deny_other(org_id))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(kind: OrgKind, role: Role, manager: bool) -> Actor {
        Actor {
            user_id: 1,
            org_id: 10,
            org_kind: kind,
            role,
            is_manager: manager,
        }
    }

    #[test]
    fn enterprise_manager_adds_colleagues_only_in_own_org() {
        let a = actor(OrgKind::Enterprise, Role::EnterpriseUser, true);
        let own = Action::CreateUser {
            org_id: 10,
            org_kind: OrgKind::Enterprise,
            role: Role::Viewer,
        };
        let other = Action::CreateUser {
            org_id: 11,
            org_kind: OrgKind::Enterprise,
            role: Role::Viewer,
        };
        assert_eq!(can(&a, &own), Ok(()));
        assert_eq!(can(&a, &other), Err(Denied::OtherOrg));
        let not_manager = actor(OrgKind::Enterprise, Role::EnterpriseUser, false);
        assert_eq!(can(&not_manager, &own), Err(Denied::Role));
    }

    #[test]
    fn roles_must_fit_the_org_kind() {
        let admin = actor(OrgKind::Bureau, Role::BureauAdmin, true);
        let wrong = Action::CreateUser {
            org_id: 11,
            org_kind: OrgKind::Bank,
            role: Role::CarrierManager,
        };
        assert_eq!(can(&admin, &wrong), Err(Denied::RoleNotAssignable));
        let staff = actor(OrgKind::Bureau, Role::BureauStaff, false);
        let new_admin = Action::CreateUser {
            org_id: 10,
            org_kind: OrgKind::Bureau,
            role: Role::BureauAdmin,
        };
        assert_eq!(can(&staff, &new_admin), Err(Denied::RoleNotAssignable));
        assert_eq!(can(&admin, &new_admin), Ok(()));
    }

    #[test]
    fn nobody_deactivates_themself() {
        let admin = actor(OrgKind::Bureau, Role::BureauAdmin, true);
        let me = Action::SetUserActive {
            org_id: 10,
            user_id: 1,
            role: Role::BureauAdmin,
        };
        assert_eq!(can(&admin, &me), Err(Denied::SelfAction));
    }

    #[test]
    fn only_the_bureau_sees_everything() {
        for role in Role::ALL {
            let kind = if role.is_bureau() {
                OrgKind::Bureau
            } else {
                OrgKind::Enterprise
            };
            let a = actor(kind, *role, false);
            let expected = if role.is_bureau() {
                OrgScope::All
            } else {
                OrgScope::Own(10)
            };
            assert_eq!(org_scope(&a), expected, "{role}");
            assert_eq!(can(&a, &Action::ViewAudit).is_ok(), role.is_bureau());
        }
    }

    #[test]
    fn only_the_bureau_runs_the_pools_what_if() {
        for kind in OrgKind::ALL {
            for role in kind.allowed_roles() {
                for manager in [false, true] {
                    let a = actor(*kind, *role, manager);
                    let allowed = *kind == OrgKind::Bureau && role.is_bureau();
                    assert_eq!(
                        can(&a, &Action::RunWhatIf),
                        if allowed { Ok(()) } else { Err(Denied::Role) },
                        "{kind} {role}"
                    );
                }
            }
        }
        // The bureau's own viewer does not run it either.
        let viewer = actor(OrgKind::Bureau, Role::Viewer, false);
        assert_eq!(can(&viewer, &Action::RunWhatIf), Err(Denied::Role));
    }

    #[test]
    fn a_viewer_marked_manager_still_cannot_change_anything() {
        let v = actor(OrgKind::Enterprise, Role::Viewer, true);
        assert!(can(&v, &Action::UpdateOrg { org_id: 10 }).is_err());
        let add = Action::CreateUser {
            org_id: 10,
            org_kind: OrgKind::Enterprise,
            role: Role::Viewer,
        };
        assert!(can(&v, &add).is_err());
    }

    #[test]
    fn each_party_sees_only_its_own_loans_and_only_the_bank_lends() {
        let (ent, bank, guarantor, other_bank) = (10, 20, 30, 40);
        let loan = Action::ViewLoan {
            borrower_org_id: ent,
            bank_org_id: bank,
            guarantor_org_id: Some(guarantor),
        };
        let at = |kind, role, org_id| Actor {
            org_id,
            ..actor(kind, role, false)
        };
        assert!(can(&at(OrgKind::Enterprise, Role::EnterpriseUser, ent), &loan).is_ok());
        assert!(can(&at(OrgKind::Bank, Role::Financier, bank), &loan).is_ok());
        assert!(can(&at(OrgKind::Guarantor, Role::Financier, guarantor), &loan).is_ok());
        assert_eq!(
            can(&at(OrgKind::Bank, Role::Financier, other_bank), &loan),
            Err(Denied::OtherOrg)
        );
        let lend = Action::Lend { bank_org_id: bank };
        assert!(can(&at(OrgKind::Bank, Role::Financier, bank), &lend).is_ok());
        assert!(can(&at(OrgKind::Guarantor, Role::Financier, bank), &lend).is_err());
        assert!(can(&at(OrgKind::Bank, Role::Viewer, bank), &lend).is_err());
        assert!(can(&at(OrgKind::Bank, Role::Financier, other_bank), &lend).is_err());
        let borrow = Action::Borrow {
            borrower_org_id: ent,
        };
        assert!(can(&at(OrgKind::Enterprise, Role::EnterpriseUser, ent), &borrow).is_ok());
        assert!(can(&at(OrgKind::Bank, Role::Financier, bank), &borrow).is_err());
        assert!(
            can(
                &at(OrgKind::Bureau, Role::BureauStaff, 1),
                &Action::ManageCreditPool
            )
            .is_ok()
        );
        assert_eq!(
            can(
                &at(OrgKind::Bank, Role::Financier, bank),
                &Action::ManageCreditPool
            ),
            Err(Denied::Role)
        );
    }

    #[test]
    fn credit_scores_are_seen_by_the_bureau_the_enterprise_and_the_banks_it_asked() {
        let score = |bank_org_ids: Vec<i64>| Action::ViewCreditScore {
            enterprise_org_id: Some(10),
            bank_org_ids,
        };
        // The enterprise's own users, whatever their role.
        for role in [Role::EnterpriseUser, Role::Viewer] {
            let own = actor(OrgKind::Enterprise, role, false);
            assert_eq!(can(&own, &score(vec![])), Ok(()));
        }
        let mut other = actor(OrgKind::Enterprise, Role::EnterpriseUser, true);
        other.org_id = 11;
        assert_eq!(can(&other, &score(vec![])), Err(Denied::OtherOrg));
        // A bank only once the enterprise has asked it for a loan.
        let mut bank = actor(OrgKind::Bank, Role::Financier, false);
        bank.org_id = 20;
        assert_eq!(can(&bank, &score(vec![21])), Err(Denied::OtherOrg));
        assert_eq!(can(&bank, &score(vec![20, 21])), Ok(()));
        // Not an investor or a guarantor named as if it were a bank.
        let mut investor = actor(OrgKind::Investor, Role::Financier, false);
        investor.org_id = 20;
        assert_eq!(can(&investor, &score(vec![20])), Err(Denied::OtherOrg));
        // An enterprise not linked to an organisation: the bureau only.
        let unlinked = Action::ViewCreditScore {
            enterprise_org_id: None,
            bank_org_ids: vec![],
        };
        assert_eq!(can(&other, &unlinked), Err(Denied::OtherOrg));
        let mut staff = actor(OrgKind::Bureau, Role::BureauStaff, false);
        staff.org_id = 1;
        assert_eq!(can(&staff, &unlinked), Ok(()));
        assert_eq!(can(&staff, &score(vec![])), Ok(()));
    }

    #[test]
    fn only_the_bureau_keeps_the_scorecards_and_everyone_reads_them() {
        for role in Role::ALL {
            let kind = if role.is_bureau() {
                OrgKind::Bureau
            } else {
                OrgKind::Bank
            };
            let a = actor(kind, *role, true);
            assert_eq!(
                can(&a, &Action::ManageScorecards).is_ok(),
                role.is_bureau(),
                "{role}"
            );
            assert_eq!(can(&a, &Action::ViewScorecards), Ok(()), "{role}");
        }
        // A viewer of the bureau reads but does not keep them.
        let viewer = actor(OrgKind::Bureau, Role::Viewer, false);
        assert_eq!(can(&viewer, &Action::ManageScorecards), Err(Denied::Role));
    }

    #[test]
    fn a_carrier_collects_needs_and_keeps_mentors_only_for_itself() {
        let carrier = actor(OrgKind::CarrierOperator, Role::CarrierManager, true);
        assert_eq!(
            can(
                &carrier,
                &Action::CollectNeeds {
                    operator_org_id: 10
                }
            ),
            Ok(())
        );
        assert_eq!(
            can(
                &carrier,
                &Action::CollectNeeds {
                    operator_org_id: 11
                }
            ),
            Err(Denied::OtherOrg)
        );
        assert_eq!(
            can(
                &carrier,
                &Action::KeepMentors {
                    operator_org_id: 10
                }
            ),
            Ok(())
        );
        assert_eq!(can(&carrier, &Action::OpenCampaign), Err(Denied::Role));
        let viewer = actor(OrgKind::CarrierOperator, Role::Viewer, false);
        assert_eq!(
            can(
                &viewer,
                &Action::CollectNeeds {
                    operator_org_id: 10
                }
            ),
            Err(Denied::Role)
        );
        assert_eq!(can(&viewer, &Action::ViewCampaigns), Ok(()));
        let staff = actor(OrgKind::Bureau, Role::BureauStaff, false);
        assert_eq!(can(&staff, &Action::OpenCampaign), Ok(()));
        // The bureau follows the campaign; the carrier asks its own incubatees.
        assert_eq!(
            can(
                &staff,
                &Action::CollectNeeds {
                    operator_org_id: 11
                }
            ),
            Err(Denied::OtherOrg)
        );
        assert_eq!(
            can(
                &staff,
                &Action::KeepMentors {
                    operator_org_id: 11
                }
            ),
            Ok(())
        );
        let firm = actor(OrgKind::Enterprise, Role::EnterpriseUser, true);
        assert_eq!(can(&firm, &Action::ViewCampaigns), Err(Denied::Role));
        let mentored = Action::ViewMentorship {
            operator_org_id: 11,
            enterprise_org_id: Some(10),
        };
        assert_eq!(can(&firm, &mentored), Ok(()));
        let mut other = firm.clone();
        other.org_id = 12;
        assert_eq!(can(&other, &mentored), Err(Denied::OtherOrg));
    }

    #[test]
    fn services_are_offered_by_providers_and_asked_for_by_enterprises() {
        let agency = actor(OrgKind::ServiceAgency, Role::ServiceProvider, false);
        let carrier = actor(OrgKind::CarrierOperator, Role::CarrierManager, false);
        let ent = actor(OrgKind::Enterprise, Role::EnterpriseUser, false);
        let viewer = actor(OrgKind::ServiceAgency, Role::Viewer, false);
        let bureau = actor(OrgKind::Bureau, Role::BureauStaff, false);
        assert_eq!(can(&agency, &Action::OfferService), Ok(()));
        assert_eq!(can(&carrier, &Action::OfferService), Ok(()));
        assert_eq!(can(&bureau, &Action::OfferService), Ok(()));
        assert_eq!(can(&ent, &Action::OfferService), Err(Denied::Role));
        assert_eq!(can(&viewer, &Action::OfferService), Err(Denied::Role));
        // A provider keeps its own services; the bureau only switches them off and on.
        let own = Action::KeepService {
            provider_org_id: 10,
        };
        let other = Action::KeepService {
            provider_org_id: 11,
        };
        assert_eq!(can(&agency, &own), Ok(()));
        assert_eq!(can(&agency, &other), Err(Denied::OtherOrg));
        assert_eq!(can(&bureau, &other), Err(Denied::Role));
        assert_eq!(
            can(
                &bureau,
                &Action::SetServiceActive {
                    provider_org_id: 11
                }
            ),
            Ok(())
        );
        assert_eq!(
            can(
                &agency,
                &Action::SetServiceActive {
                    provider_org_id: 11
                }
            ),
            Err(Denied::OtherOrg)
        );
        // Only an enterprise asks, never of itself.
        assert_eq!(
            can(
                &ent,
                &Action::RequestService {
                    provider_org_id: 11
                }
            ),
            Ok(())
        );
        assert_eq!(
            can(
                &ent,
                &Action::RequestService {
                    provider_org_id: 10
                }
            ),
            Err(Denied::SelfAction)
        );
        assert_eq!(
            can(
                &carrier,
                &Action::RequestService {
                    provider_org_id: 11
                }
            ),
            Err(Denied::Role)
        );
        // A request is the two parties' and the bureau's to see; each side acts on its part.
        let view = Action::ViewServiceRequest {
            requester_org_id: 10,
            provider_org_id: 11,
        };
        assert_eq!(can(&ent, &view), Ok(()));
        assert_eq!(can(&bureau, &view), Ok(()));
        let stranger = Actor {
            org_id: 12,
            ..agency.clone()
        };
        assert_eq!(can(&stranger, &view), Err(Denied::OtherOrg));
        assert_eq!(
            can(
                &ent,
                &Action::FollowServiceRequest {
                    requester_org_id: 10
                }
            ),
            Ok(())
        );
        assert_eq!(
            can(
                &ent,
                &Action::AnswerServiceRequest {
                    provider_org_id: 11
                }
            ),
            Err(Denied::OtherOrg)
        );
        assert_eq!(
            can(
                &bureau,
                &Action::AnswerServiceRequest {
                    provider_org_id: 11
                }
            ),
            Err(Denied::Role)
        );
        assert_eq!(
            can(
                &viewer,
                &Action::AnswerServiceRequest {
                    provider_org_id: 10
                }
            ),
            Err(Denied::Role)
        );
        assert_eq!(
            can(
                &bureau,
                &Action::ViewServiceStatistics {
                    provider_org_id: 11
                }
            ),
            Ok(())
        );
        assert_eq!(
            can(
                &agency,
                &Action::ViewServiceStatistics {
                    provider_org_id: 11
                }
            ),
            Err(Denied::OtherOrg)
        );
        assert_eq!(can(&ent, &Action::BrowseServices), Ok(()));
    }

    #[test]
    fn the_bureau_keeps_the_alliance_and_members_act_for_their_own_carriers() {
        let bureau = actor(OrgKind::Bureau, Role::BureauStaff, false);
        let manager = actor(OrgKind::CarrierOperator, Role::CarrierManager, false);
        let viewer = actor(OrgKind::CarrierOperator, Role::Viewer, false);
        let firm = actor(OrgKind::Enterprise, Role::EnterpriseUser, false);
        assert_eq!(can(&bureau, &Action::ManageAlliance), Ok(()));
        assert_eq!(can(&manager, &Action::ManageAlliance), Err(Denied::Role));
        let own = Action::ActForMember {
            operator_org_id: 10,
        };
        let other = Action::ActForMember {
            operator_org_id: 11,
        };
        assert_eq!(can(&manager, &own), Ok(()));
        assert_eq!(can(&manager, &other), Err(Denied::OtherOrg));
        assert_eq!(can(&viewer, &own), Err(Denied::Role));
        assert_eq!(can(&bureau, &other), Ok(()));
        // Notices: members and the bureau read; the chair's operator and the bureau post.
        for (a, member, reads) in [
            (&manager, true, true),
            (&viewer, true, true),
            (&firm, false, false),
            (&bureau, false, true),
        ] {
            assert_eq!(
                can(a, &Action::ReadAllianceNotices { member }).is_ok(),
                reads
            );
        }
        let chair = |org| Action::PostAllianceNotice {
            chair_operator_org_id: Some(org),
        };
        assert_eq!(can(&manager, &chair(10)), Ok(()));
        assert_eq!(can(&viewer, &chair(10)), Err(Denied::Role));
        assert_eq!(can(&manager, &chair(11)), Err(Denied::OtherOrg));
        assert_eq!(
            can(
                &bureau,
                &Action::PostAllianceNotice {
                    chair_operator_org_id: None
                }
            ),
            Ok(())
        );
    }

    #[test]
    fn interest_is_a_members_and_never_in_its_own_offer() {
        let manager = actor(OrgKind::CarrierOperator, Role::CarrierManager, false);
        let interest = |offerer_org_id, member| Action::ShowInterest {
            offerer_org_id,
            member,
        };
        assert_eq!(can(&manager, &interest(11, true)), Ok(()));
        assert_eq!(can(&manager, &interest(10, true)), Err(Denied::SelfAction));
        assert_eq!(can(&manager, &interest(11, false)), Err(Denied::Role));
        let bureau = actor(OrgKind::Bureau, Role::BureauAdmin, true);
        assert_eq!(can(&bureau, &interest(11, false)), Err(Denied::Role));
    }

    #[test]
    fn events_are_their_organisers_and_everyone_registers() {
        let manager = actor(OrgKind::CarrierOperator, Role::CarrierManager, false);
        let viewer = actor(OrgKind::CarrierOperator, Role::Viewer, false);
        let bureau = actor(OrgKind::Bureau, Role::BureauStaff, false);
        let event = |organiser_org_id| Action::ManageEvent { organiser_org_id };
        assert_eq!(can(&manager, &event(10)), Ok(()));
        assert_eq!(can(&manager, &event(11)), Err(Denied::OtherOrg));
        assert_eq!(can(&viewer, &event(10)), Err(Denied::Role));
        assert_eq!(can(&bureau, &event(11)), Ok(()));
        for kind in OrgKind::ALL {
            for role in kind.allowed_roles() {
                assert_eq!(
                    can(&actor(*kind, *role, false), &Action::RegisterForEvent),
                    Ok(())
                );
            }
        }
    }

    #[test]
    fn training_is_kept_by_the_carriers_manager_and_seen_by_its_operator() {
        let manager = actor(OrgKind::CarrierOperator, Role::CarrierManager, false);
        let viewer = actor(OrgKind::CarrierOperator, Role::Viewer, false);
        let bureau = actor(OrgKind::Bureau, Role::BureauStaff, false);
        let keep = |operator_org_id| Action::KeepTraining { operator_org_id };
        assert_eq!(can(&manager, &keep(Some(10))), Ok(()));
        assert_eq!(can(&manager, &keep(Some(11))), Err(Denied::OtherOrg));
        assert_eq!(can(&manager, &keep(None)), Err(Denied::Role));
        assert_eq!(can(&viewer, &keep(Some(10))), Err(Denied::Role));
        assert_eq!(can(&bureau, &keep(None)), Ok(()));
        let view = |operator_org_id| Action::ViewTraining { operator_org_id };
        assert_eq!(can(&viewer, &view(10)), Ok(()));
        assert_eq!(can(&viewer, &view(11)), Err(Denied::OtherOrg));
        assert_eq!(can(&bureau, &view(11)), Ok(()));
    }

    #[test]
    fn the_bureau_evaluates_and_carriers_see_their_own_published_results() {
        let staff = actor(OrgKind::Bureau, Role::BureauStaff, false);
        let viewer = actor(OrgKind::Bureau, Role::Viewer, false);
        let carrier = actor(OrgKind::CarrierOperator, Role::CarrierManager, true);
        let carrier_viewer = actor(OrgKind::CarrierOperator, Role::Viewer, false);
        let firm = actor(OrgKind::Enterprise, Role::EnterpriseUser, true);
        assert_eq!(can(&staff, &Action::ManageEvaluations), Ok(()));
        assert_eq!(can(&viewer, &Action::ManageEvaluations), Err(Denied::Role));
        assert_eq!(can(&carrier, &Action::ManageEvaluations), Err(Denied::Role));
        let view = |operator_org_id, published| Action::ViewEvaluations {
            operator_org_id,
            published,
        };
        assert_eq!(can(&staff, &view(Some(99), false)), Ok(()));
        assert_eq!(can(&viewer, &view(Some(99), true)), Ok(()));
        assert_eq!(can(&viewer, &view(Some(99), false)), Err(Denied::Role));
        assert_eq!(can(&carrier, &view(Some(10), true)), Ok(()));
        assert_eq!(can(&carrier_viewer, &view(Some(10), true)), Ok(()));
        assert_eq!(can(&carrier, &view(Some(10), false)), Err(Denied::Role));
        assert_eq!(can(&carrier, &view(Some(99), true)), Err(Denied::OtherOrg));
        assert_eq!(can(&carrier, &view(None, true)), Ok(()));
        assert_eq!(can(&firm, &view(None, true)), Err(Denied::Role));
        let university = actor(OrgKind::Institution, Role::InstitutionUser, true);
        assert_eq!(can(&university, &view(Some(10), true)), Ok(()));
        assert_eq!(can(&university, &view(Some(99), true)), Err(Denied::Role));
        assert_eq!(can(&university, &view(None, true)), Err(Denied::Role));
    }
}
