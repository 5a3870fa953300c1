//! Spreadsheets (being written).
