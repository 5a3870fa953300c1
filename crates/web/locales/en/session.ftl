### 登录 / Signing in
### Used by pages/session.rs and its templates.

demo_accounts = Demo accounts
demo_accounts_intro = One demo account for each role (financiers: one at a bank, one at a guarantor); every password is
