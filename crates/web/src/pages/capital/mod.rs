//! The pages of the capital side of incubation, one module per part, merged here: funds and
//! their portfolios (`funds`), investments and exits (`investments`), 先投后股 projects (`grants`).

mod grants;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(grants::router())
}
