//! The capital side of incubation: funds (guidance funds and their sub-funds, carriers' seed
//! funds, angel, venture and industry funds) with their managers; investments by funds in
//! enterprises with follow-ons and exits, kept as positions; each fund's portfolio figures; and
//! 先投后股 projects from grant to conversion, holding and exit.

pub mod funds;
pub mod grants;
pub mod investments;
pub mod portfolio;
