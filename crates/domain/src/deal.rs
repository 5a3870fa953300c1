//! Deals in the technology elements market: from one organisation's intent on another's listing,
//! through private messages and agreed terms, to a technology contract registered by the bureau's
//! registrar (技术合同登记) and its outcome.
//!
//! The life of a deal is a pure state machine ([`DealStatus::after`]):
//!
//! ```text
//! negotiating ──accept──▶ agreed ──register──▶ registered ──fulfil──▶ fulfilled
//!   ▲  │ propose            │ │                           └─terminate─▶ terminated
//!   │  └────────────────────┘ │ propose (reopens) / refuse_registration
//!   └─────────────────────────┘
//! negotiating | agreed ──withdraw──▶ withdrawn
//! ```

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::date::IsoDate;
use crate::market::{self, ListingKind};
use crate::org::string_enum;

string_enum! {
    /// Where a deal stands.
    DealStatus {
        Negotiating = "negotiating", "洽谈中", "Negotiating";
        Agreed = "agreed", "条款已商定（待登记）", "Terms agreed (awaiting registration)";
        Registered = "registered", "合同已登记", "Contract registered";
        Fulfilled = "fulfilled", "合同已履行", "Contract fulfilled";
        Terminated = "terminated", "合同已终止", "Contract terminated";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

string_enum! {
    /// What happens to a deal.
    DealStep {
        Propose = "propose", "提出条款", "Propose terms";
        Accept = "accept", "接受条款", "Accept the terms";
        Register = "register", "登记合同", "Register the contract";
        RefuseRegistration = "refuse_registration", "不予登记", "Refuse registration";
        Fulfil = "fulfil", "记录履行完毕", "Record as fulfilled";
        Terminate = "terminate", "记录终止", "Record as terminated";
        Withdraw = "withdraw", "撤回洽谈", "Withdraw";
    }
}

/// Who may take a step (beyond being allowed to act on the deal at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepBy {
    /// The two organisations' users who can write.
    Parties,
    /// The bureau's registrar (`authz::Action::RegisterContracts`).
    Registrar,
    /// Either: the parties know first, the bureau records it from its own follow-up.
    PartiesOrRegistrar,
}

impl DealStatus {
    /// The status after `step`, if the step is possible now.
    /// The status after `step` on a deal about a listing of `kind`: a capital deal takes no
    /// technology contract terms — it ends when the investor records the investment (see
    /// [`concluded_by_investment`]) or a party withdraws.
    pub fn after_on(self, kind: ListingKind, step: DealStep) -> Option<DealStatus> {
        if kind == ListingKind::Capital && step != DealStep::Withdraw {
            return None;
        }
        self.after(step)
    }

    pub fn after(self, step: DealStep) -> Option<DealStatus> {
        use DealStatus::*;
        use DealStep::*;
        match (self, step) {
            // A new proposal replaces an unaccepted one, and reopens agreed terms before registration.
            (Negotiating | Agreed, Propose) => Some(Negotiating),
            (Negotiating, Accept) => Some(Agreed),
            (Agreed, Register) => Some(Registered),
            // The registrar sends the deal back to the parties, with a reason.
            (Agreed, RefuseRegistration) => Some(Negotiating),
            (Registered, Fulfil) => Some(Fulfilled),
            (Registered, Terminate) => Some(Terminated),
            // Either party may walk away before the contract is registered.
            (Negotiating | Agreed, Withdraw) => Some(Withdrawn),
            _ => None,
        }
    }

    /// Still being negotiated: at most one such deal per listing and initiating organisation.
    pub fn is_open(self) -> bool {
        matches!(self, DealStatus::Negotiating | DealStatus::Agreed)
    }

    /// Over: no more messages or steps.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            DealStatus::Withdrawn | DealStatus::Fulfilled | DealStatus::Terminated
        )
    }

    /// A registered technology contract (whatever became of it since).
    pub fn is_contract(self) -> bool {
        matches!(
            self,
            DealStatus::Registered | DealStatus::Fulfilled | DealStatus::Terminated
        )
    }

    /// Whether the parties may still write messages.
    pub fn takes_messages(self) -> bool {
        !self.is_closed()
    }
}

impl DealStep {
    pub fn by(self) -> StepBy {
        match self {
            DealStep::Propose | DealStep::Accept | DealStep::Withdraw => StepBy::Parties,
            DealStep::Register | DealStep::RefuseRegistration => StepBy::Registrar,
            DealStep::Fulfil | DealStep::Terminate => StepBy::PartiesOrRegistrar,
        }
    }
}

string_enum! {
    /// The five types of technology contract the registrar records (技术合同认定登记).
    ContractType {
        Development = "development", "技术开发", "Technology development";
        Transfer = "transfer", "技术转让", "Technology transfer";
        Licence = "licence", "技术许可", "Technology licence";
        Consulting = "consulting", "技术咨询", "Technology consulting";
        Service = "service", "技术服务", "Technology service";
    }
}

impl ContractType {
    /// Reads a type as its code, its Chinese name with or without 技术 (开发, 技术转让, …), or its
    /// English name.
    pub fn read(input: &str) -> Result<ContractType, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                "contract_type",
                "required",
                "请选择合同类型（技术开发、转让、许可、咨询或服务）",
                "Choose the contract type (development, transfer, licence, consulting or service)",
            ));
        }
        ContractType::ALL
            .iter()
            .copied()
            .find(|t| {
                let zh = t.label(crate::lang::Lang::ZhCn);
                s == t.code()
                    || s == zh
                    || Some(s) == zh.strip_prefix("技术")
                    || s.eq_ignore_ascii_case(t.label(crate::lang::Lang::En))
            })
            .ok_or_else(|| {
                FieldError::new(
                    "contract_type",
                    "invalid",
                    format!("“{}”不是技术合同类型，应为技术开发、转让、许可、咨询或服务", crate::echo(s)),
                    format!(
                        "“{}” is not a contract type: development, transfer, licence, consulting or service", crate::echo(s)
                    ),
                )
            })
    }
}

string_enum! {
    /// What became of a registered contract.
    ContractOutcome {
        Fulfilled = "fulfilled", "履行完毕", "Fulfilled";
        Terminated = "terminated", "终止", "Terminated";
    }
}

impl ContractOutcome {
    pub fn step(self) -> DealStep {
        match self {
            ContractOutcome::Fulfilled => DealStep::Fulfil,
            ContractOutcome::Terminated => DealStep::Terminate,
        }
    }
}

/// Which side of a technology contract the owner of a listing takes: the owner of an
/// achievement, a service or an expert's listing sells (技术输出方); the owner of a need buys (技术吸纳方).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerSide {
    Seller,
    Buyer,
}

/// The side the listing's owner takes, or None when a listing of that kind leads to no
/// technology contract (instruments are booked, policies are not traded here). A capital deal
/// has parties but no contract: it ends in an investment.
pub fn owner_side(kind: ListingKind) -> Option<OwnerSide> {
    match kind {
        // An investor's capital listing: the investor supplies, the enterprise takes.
        ListingKind::Achievement
        | ListingKind::Service
        | ListingKind::Expert
        | ListingKind::Capital => Some(OwnerSide::Seller),
        ListingKind::Need => Some(OwnerSide::Buyer),
        ListingKind::Instrument | ListingKind::Policy => None,
    }
}

impl DealStatus {
    /// The status in words for a deal about a listing of `kind`: a capital deal that ended in an
    /// investment has no contract to have been fulfilled.
    pub fn label_on(self, kind: ListingKind, lang: crate::lang::Lang) -> &'static str {
        if kind == ListingKind::Capital && self == DealStatus::Fulfilled {
            lang.pick("已形成投资记录", "Concluded by an investment")
        } else {
            self.label(lang)
        }
    }
}

/// Whether recording an investment concludes a deal in `status` (a capital deal still open),
/// and the status it then takes.
pub fn concluded_by_investment(kind: ListingKind, status: DealStatus) -> Option<DealStatus> {
    (kind == ListingKind::Capital && matches!(status, DealStatus::Negotiating | DealStatus::Agreed))
        .then_some(DealStatus::Fulfilled)
}

/// The two parties of a deal: (seller, buyer) organisations.
pub fn parties(kind: ListingKind, owner_org_id: i64, initiator_org_id: i64) -> Option<(i64, i64)> {
    owner_side(kind).map(|side| match side {
        OwnerSide::Seller => (owner_org_id, initiator_org_id),
        OwnerSide::Buyer => (initiator_org_id, owner_org_id),
    })
}

/// A message's length limit, in characters.
pub const MESSAGE_MAX: usize = 2_000;
/// A reason's (withdrawal, refusal, termination) length limit.
pub const REASON_MAX: usize = market::SUMMARY_MAX;

/// A message between the parties: required, at most [`MESSAGE_MAX`] characters.
pub fn message(field: &'static str, input: &str) -> Result<String, FieldError> {
    market::text(field, input, MESSAGE_MAX)
}

/// Terms as proposed: contract type, amounts in 千元, dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub contract_type: ContractType,
    /// The whole contract's amount (合同成交额), 千元.
    pub contract_amount_k: i64,
    /// The part of it paid for technology (技术交易额), 千元; at most the contract amount.
    pub tech_amount_k: i64,
    pub starts_on: IsoDate,
    pub ends_on: IsoDate,
}

/// Terms as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermsInput<'a> {
    pub contract_type: &'a str,
    pub contract_amount_k: Option<i64>,
    pub tech_amount_k: Option<i64>,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
}

impl Terms {
    /// Checks every field; all problems at once, each naming its field.
    pub fn parse(input: &TermsInput<'_>) -> Result<Terms, Vec<FieldError>> {
        let mut errors = Vec::new();
        fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
            r.map_err(|e| errors.push(e)).ok()
        }
        let contract_type = keep(&mut errors, ContractType::read(input.contract_type));
        let amount = |field: &'static str, v: Option<i64>| match v {
            None => Err(FieldError::new(field, "required", "必填", "is required")),
            Some(v) => market::amount_k(field, v),
        };
        let contract_amount_k = keep(
            &mut errors,
            amount("contract_amount_k", input.contract_amount_k).and_then(|v| {
                if v > 0 {
                    Ok(v)
                } else {
                    Err(FieldError::new(
                        "contract_amount_k",
                        "out_of_range",
                        "合同金额应大于 0",
                        "The contract amount must be more than 0",
                    ))
                }
            }),
        );
        let tech_amount_k = keep(&mut errors, amount("tech_amount_k", input.tech_amount_k));
        let starts_on = keep(
            &mut errors,
            IsoDate::parse_field(input.starts_on, "starts_on"),
        );
        let ends_on = keep(&mut errors, IsoDate::parse_field(input.ends_on, "ends_on"));
        if let (Some(c), Some(t)) = (contract_amount_k, tech_amount_k)
            && t > c
        {
            errors.push(FieldError::new(
                "tech_amount_k",
                "exceeds_contract",
                format!("技术交易额（{t} 千元）不能超过合同金额（{c} 千元）"),
                format!(
                    "The technology-transaction amount ({t} thousand yuan) cannot exceed the contract amount ({c} thousand yuan)"
                ),
            ));
        }
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.push(FieldError::new(
                "ends_on",
                "before_start",
                "合同终止日期不能早于起始日期",
                "The contract cannot end before it starts",
            ));
        }
        match (
            contract_type,
            contract_amount_k,
            tech_amount_k,
            starts_on,
            ends_on,
        ) {
            (
                Some(contract_type),
                Some(contract_amount_k),
                Some(tech_amount_k),
                Some(s),
                Some(e),
            ) if errors.is_empty() => Ok(Terms {
                contract_type,
                contract_amount_k,
                tech_amount_k,
                starts_on: s,
                ends_on: e,
            }),
            _ => Err(errors),
        }
    }
}

/// A registration number in the registrar's readable form: the city's GB/T 2260 code, the year of
/// registration and a six-digit serial within that year — `4302002025000123`.
pub fn registration_number(city_code: &str, year: i64, serial: i64) -> String {
    format!("{city_code}{year:04}{serial:06}")
}

/// An amount in 千元 as a document words it: 亿元 with up to two decimals from one 亿, else 万元
/// ("1.25亿元", "350万元", "12.5万元").
pub fn amount_words(thousand_yuan: i64) -> String {
    if thousand_yuan >= 100_000 {
        return crate::wording::yi_yuan(thousand_yuan);
    }
    let (wan, tenth) = (thousand_yuan / 10, thousand_yuan % 10);
    if tenth == 0 {
        format!("{wan}万元")
    } else {
        format!("{wan}.{tenth}万元")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deal_life_cycle() {
        use DealStatus::*;
        use DealStep::*;
        assert_eq!(Negotiating.after(Propose), Some(Negotiating));
        assert_eq!(Negotiating.after(Accept), Some(Agreed));
        assert_eq!(Agreed.after(Accept), None, "accepted once");
        assert_eq!(Agreed.after(Propose), Some(Negotiating), "reopened");
        assert_eq!(Agreed.after(Register), Some(Registered));
        assert_eq!(Negotiating.after(Register), None, "only agreed terms");
        assert_eq!(Agreed.after(RefuseRegistration), Some(Negotiating));
        assert_eq!(Registered.after(Fulfil), Some(Fulfilled));
        assert_eq!(Registered.after(Terminate), Some(Terminated));
        assert_eq!(Agreed.after(Fulfil), None, "only a registered contract");
        assert_eq!(Negotiating.after(Withdraw), Some(Withdrawn));
        assert_eq!(Agreed.after(Withdraw), Some(Withdrawn));
        assert_eq!(
            Registered.after(Withdraw),
            None,
            "a contract is not withdrawn"
        );
        for closed in [Withdrawn, Fulfilled, Terminated] {
            assert!(closed.is_closed() && !closed.takes_messages());
            for step in DealStep::ALL {
                assert_eq!(closed.after(*step), None, "{closed} is final");
            }
        }
        assert!(Negotiating.is_open() && Agreed.is_open() && !Registered.is_open());
        assert!(Registered.is_contract() && Terminated.is_contract() && !Agreed.is_contract());
    }

    #[test]
    fn who_takes_each_step() {
        assert_eq!(DealStep::Accept.by(), StepBy::Parties);
        assert_eq!(DealStep::Register.by(), StepBy::Registrar);
        assert_eq!(DealStep::RefuseRegistration.by(), StepBy::Registrar);
        assert_eq!(DealStep::Terminate.by(), StepBy::PartiesOrRegistrar);
        assert_eq!(
            ContractOutcome::Fulfilled.step(),
            DealStep::Fulfil,
            "an outcome is a step"
        );
    }

    #[test]
    fn sellers_and_buyers_follow_the_listing() {
        assert_eq!(parties(ListingKind::Achievement, 1, 2), Some((1, 2)));
        assert_eq!(parties(ListingKind::Need, 1, 2), Some((2, 1)));
        assert_eq!(parties(ListingKind::Service, 1, 2), Some((1, 2)));
        assert_eq!(parties(ListingKind::Policy, 1, 2), None);
        assert_eq!(parties(ListingKind::Capital, 1, 2), Some((1, 2)));
        assert_eq!(
            DealStatus::Negotiating.after_on(ListingKind::Capital, DealStep::Propose),
            None
        );
        assert_eq!(
            DealStatus::Negotiating.after_on(ListingKind::Capital, DealStep::Withdraw),
            Some(DealStatus::Withdrawn)
        );
        assert_eq!(
            concluded_by_investment(ListingKind::Capital, DealStatus::Negotiating),
            Some(DealStatus::Fulfilled)
        );
        assert_eq!(
            concluded_by_investment(ListingKind::Need, DealStatus::Agreed),
            None
        );
        assert_eq!(
            DealStatus::Fulfilled.label_on(ListingKind::Capital, crate::lang::Lang::ZhCn),
            "已形成投资记录"
        );
        assert_eq!(
            DealStatus::Fulfilled.label_on(ListingKind::Need, crate::lang::Lang::ZhCn),
            DealStatus::Fulfilled.label(crate::lang::Lang::ZhCn)
        );
        assert_eq!(parties(ListingKind::Instrument, 1, 2), None);
    }

    fn input<'a>(t: &'a str, c: i64, x: i64, s: &'a str, e: &'a str) -> TermsInput<'a> {
        TermsInput {
            contract_type: t,
            contract_amount_k: Some(c),
            tech_amount_k: Some(x),
            starts_on: s,
            ends_on: e,
        }
    }

    #[test]
    fn terms_are_checked_field_by_field() {
        let ok = Terms::parse(&input("许可", 3000, 2500, "2025-01-01", "2027-12-31")).expect("ok");
        assert_eq!(ok.contract_type, ContractType::Licence);
        assert_eq!(ok.tech_amount_k, 2500);
        for t in ["development", "技术开发", "开发", "Technology development"] {
            assert_eq!(ContractType::read(t), Ok(ContractType::Development), "{t}");
        }
        let e = Terms::parse(&input("licence", 1000, 1200, "2025-01-01", "2025-12-31"))
            .expect_err("more technology than contract");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "tech_amount_k");
        assert!(e[0].zh.contains("不能超过合同金额"), "{}", e[0].zh);
        let e = Terms::parse(&input("贸易", 0, -1, "2025-13-01", "2024-01-01")).expect_err("bad");
        let fields: Vec<&str> = e.iter().map(|x| x.field).collect();
        assert_eq!(
            fields,
            vec![
                "contract_type",
                "contract_amount_k",
                "tech_amount_k",
                "starts_on"
            ]
        );
        let e =
            Terms::parse(&input("转让", 10, 10, "2025-06-01", "2025-05-31")).expect_err("order");
        assert_eq!(e[0].field, "ends_on");
        let missing = Terms::parse(&TermsInput::default()).expect_err("empty");
        assert_eq!(missing.len(), 5);
    }

    #[test]
    fn registration_numbers_read_city_year_serial() {
        assert_eq!(registration_number("430200", 2025, 123), "4302002025000123");
        assert_eq!(registration_number("430200", 2025, 1).len(), 16);
    }

    #[test]
    fn amounts_in_words() {
        assert_eq!(amount_words(125_000), "1.25亿元");
        assert_eq!(amount_words(3_500), "350万元");
        assert_eq!(amount_words(125), "12.5万元");
        assert_eq!(amount_words(0), "0万元");
    }

    #[test]
    fn who_may_trade_and_read() {
        use crate::authz::{Action, Actor, Denied, can};
        use crate::org::{OrgKind, Role};
        let actor = |org_id, org_kind, role| Actor {
            user_id: 1,
            org_id,
            org_kind,
            role,
            is_manager: false,
        };
        let firm = actor(10, OrgKind::Enterprise, Role::EnterpriseUser);
        let viewer = actor(10, OrgKind::Enterprise, Role::Viewer);
        let bank = actor(11, OrgKind::Bank, Role::Financier);
        let bureau = actor(1, OrgKind::Bureau, Role::BureauStaff);
        let intent = |owner| Action::DeclareIntent {
            owner_org_id: owner,
        };
        assert_eq!(can(&firm, &intent(20)), Ok(()));
        assert_eq!(can(&firm, &intent(10)), Err(Denied::SelfAction));
        assert_eq!(can(&viewer, &intent(20)), Err(Denied::Role));
        assert_eq!(can(&bank, &intent(20)), Err(Denied::Role));
        assert_eq!(can(&bureau, &intent(20)), Err(Denied::Role));
        let parties = [10, 20];
        let view = Action::ViewDeal {
            party_org_ids: parties,
        };
        let act = Action::ActOnDeal {
            party_org_ids: parties,
        };
        assert!(can(&viewer, &view).is_ok() && can(&bureau, &view).is_ok());
        assert_eq!(can(&bank, &view), Err(Denied::OtherOrg));
        assert_eq!(can(&viewer, &act), Err(Denied::Role));
        assert_eq!(
            can(&bureau, &act),
            Err(Denied::Role),
            "the bureau does not post"
        );
        assert_eq!(can(&firm, &Action::RegisterContracts), Err(Denied::Role));
        assert_eq!(can(&bureau, &Action::RegisterContracts), Ok(()));
        let outcome = Action::RecordContractOutcome {
            party_org_ids: parties,
        };
        assert!(can(&firm, &outcome).is_ok() && can(&bureau, &outcome).is_ok());
        assert_eq!(can(&bank, &outcome), Err(Denied::OtherOrg));
    }

    #[test]
    fn messages_are_bounded() {
        assert!(message("message", "  ").is_err());
        assert!(message("message", &"字".repeat(MESSAGE_MAX + 1)).is_err());
        assert_eq!(message("message", " 您好 ").as_deref(), Ok("您好"));
    }
}
