//! Amounts in 元 as typed (`1,200.50`, `１２００元`, `¥800`), and bills and vouchers that hold them.
#![no_main]

use fruition_domain::billing::{PaymentInput, payment};
use fruition_domain::money::{MAX_FEN, parse_yuan, yuan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);

    match parse_yuan("price", &s) {
        Ok(fen) => {
            assert!((0..=MAX_FEN).contains(&fen));
            assert_eq!(parse_yuan("price", &yuan(fen)), Ok(fen));
        }
        Err(e) => assert_eq!(e.field, "price"),
    }

    // A payment form: cash, voucher part and reference are the input's lines.
    let mut fields = s.split('\n');
    let input = PaymentInput {
        cash: fields.next().unwrap_or("").to_owned(),
        voucher_id: Some(1),
        voucher_amount: fields.next().unwrap_or("").to_owned(),
        reference: fields.next().unwrap_or("").to_owned(),
        refund: data.first().is_some_and(|b| b & 1 == 1),
    };
    if let Err(errors) = payment(&input) {
        assert!(!errors.is_empty());
    }
});
