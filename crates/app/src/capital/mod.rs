//! The capital side of incubation: funds and their managers (`funds`), investments with
//! follow-ons, exits and the investors' workbook (`investments`), each fund's portfolio figures
//! and the city's capital statistics (`portfolio`), and 先投后股 projects (`grants`).

pub mod funds;
pub mod grants;
pub mod investments;
pub mod portfolio;
