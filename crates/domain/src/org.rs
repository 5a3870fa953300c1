//! Organisations, their kinds, and the roles their users can hold.

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable identifier used in the database and the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            pub fn label(self, lang: $crate::lang::Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en)),+ }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(code: String) -> Result<Self, String> {
                $name::parse(&code).ok_or_else(|| format!("unknown {} `{code}`", stringify!($name)))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// What an organisation is.
    OrgKind {
        Bureau = "bureau", "科技主管部门", "Science and technology bureau";
        CarrierOperator = "carrier_operator", "孵化载体运营主体", "Carrier operator";
        Enterprise = "enterprise", "企业", "Enterprise";
        Institution = "institution", "高校或科研院所", "University or research institute";
        Bank = "bank", "银行", "Bank";
        Guarantor = "guarantor", "担保机构", "Guarantor";
        Investor = "investor", "投资机构", "Investor";
        ServiceAgency = "service_agency", "服务机构", "Service agency";
    }
}

string_enum! {
    /// What a user may do follows from the role and the user's organisation.
    Role {
        BureauAdmin = "bureau_admin", "科技局管理员", "Bureau administrator";
        BureauStaff = "bureau_staff", "科技局工作人员", "Bureau staff";
        CarrierManager = "carrier_manager", "载体管理人员", "Carrier manager";
        EnterpriseUser = "enterprise_user", "企业用户", "Enterprise user";
        InstitutionUser = "institution_user", "高校院所用户", "Institution user";
        Financier = "financier", "金融机构用户", "Financier";
        ServiceProvider = "service_provider", "服务机构用户", "Service provider";
        Viewer = "viewer", "只读用户", "Viewer";
    }
}

impl OrgKind {
    /// The roles a user of an organisation of this kind may hold.
    pub fn allowed_roles(self) -> &'static [Role] {
        match self {
            OrgKind::Bureau => &[Role::BureauAdmin, Role::BureauStaff, Role::Viewer],
            OrgKind::CarrierOperator => &[Role::CarrierManager, Role::Viewer],
            OrgKind::Enterprise => &[Role::EnterpriseUser, Role::Viewer],
            OrgKind::Institution => &[Role::InstitutionUser, Role::Viewer],
            OrgKind::Bank | OrgKind::Guarantor | OrgKind::Investor => {
                &[Role::Financier, Role::Viewer]
            }
            OrgKind::ServiceAgency => &[Role::ServiceProvider, Role::Viewer],
        }
    }

    /// The role an organisation's first user gets.
    pub fn first_user_role(self) -> Role {
        self.allowed_roles()[0]
    }

    /// Kinds an organisation may choose when it applies to join (the bureau is never applied for).
    pub fn can_apply(self) -> bool {
        self != OrgKind::Bureau
    }
}

impl Role {
    pub fn is_bureau(self) -> bool {
        matches!(self, Role::BureauAdmin | Role::BureauStaff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_first_role_it_allows() {
        for kind in OrgKind::ALL {
            assert!(kind.allowed_roles().contains(&kind.first_user_role()));
        }
    }

    #[test]
    fn codes_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.code()), Some(*kind));
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(*role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_the_bureau_has_bureau_roles() {
        for kind in OrgKind::ALL {
            let has = kind.allowed_roles().iter().any(|r| r.is_bureau());
            assert_eq!(has, *kind == OrgKind::Bureau, "{kind}");
        }
    }
}
