### 登录 / Signing in
### Used by pages/session.rs and its templates.

demo_accounts = 演示账户
demo_accounts_intro = 每个角色一个演示账户（金融机构用户有银行和担保机构各一个），密码均为
