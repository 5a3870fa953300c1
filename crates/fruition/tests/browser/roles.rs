//! Every role finds its way on the demo data: each demo account signs in, and its home page and
//! every page of its navigation open, on a desktop (1366 px) and on a phone (390 px). Each page
//! is checked with axe-core (WCAG 2 A and AA, see [`Browser::audit`]); on the phone no page
//! is wider than the screen outside a scroll container.

use fruition::demo;
use fruition_app::Settings;
use fruition_app::session::DEMO_PASSWORD;

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::TestApp;

pub async fn set_up(app: &TestApp) {
    demo::load(&app.db, &Settings::default())
        .await
        .expect("the demo loads");
}

pub async fn scenario(b: Browser, (): ()) {
    for (width, height) in [(1366, 900), (390, 844)] {
        b.c.set_window_size(width, height)
            .await
            .expect("the window's size");
        for (login, ..) in fruition_web::pages::session::DEMO_ACCOUNTS {
            sign_in(&b, login, DEMO_PASSWORD).await;
            b.assert_lang_zh().await;
            let hrefs = b.nav_hrefs().await;
            assert!(
                hrefs.len() >= 3,
                "{login}'s navigation has its pages: {hrefs:?}"
            );
            if width < 600 {
                b.assert_fits_the_screen(login).await;
            }
            for href in hrefs {
                b.goto(&href).await;
                b.find("main h1").await;
                if width < 600 {
                    b.assert_fits_the_screen(login).await;
                }
            }
            sign_out(&b).await;
        }
    }
}
