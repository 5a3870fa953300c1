//! The carrier alliance (载体联盟): members, notices and shared offers (`members`); events with
//! registration, the waiting list and check-in (`events`); staff training and certificates
//! (`training`).

pub mod events;
pub mod members;
pub mod training;
