### 登录 / Signing in
### Used by pages/session.rs and its templates.

demo_accounts = Demo accounts
demo_accounts_intro = One demo account for each role; every password is
