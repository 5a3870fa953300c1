//! Funds open to enterprises (种子基金、天使投资、创业投资、产业基金), kept by the bureau.

use crate::org::string_enum;

string_enum! {
    /// What a fund invests in.
    FundKind {
        Seed = "seed", "种子基金", "Seed fund";
        Angel = "angel", "天使投资基金", "Angel fund";
        Venture = "venture", "创业投资基金", "Venture fund";
        Industry = "industry", "产业投资基金", "Industry fund";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in FundKind::ALL {
            assert_eq!(FundKind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(FundKind::parse("loan"), None);
    }
}
