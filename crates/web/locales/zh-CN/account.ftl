### 我的账户 / My account
### Used by pages/account.rs and its templates.

current_password = 当前密码
new_password = 新密码
new_password_hint = 至少 10 个字符，不能与登录名相同，且不易被猜到：几个不常见的词连成的长句最好。
change_password = 修改密码
must_change_password = 这是一次性密码，请先设置您自己的密码。
lang_pref = 界面语言
lang_browser = 跟随浏览器
profile = 个人资料
manager = 机构管理员
api_tokens = API 令牌
api_tokens_intro = 供脚本调用 API 使用，请求时发送 Authorization: Bearer 令牌。令牌只显示一次。
token_name = 令牌用途
create_token = 创建令牌
token_created = 新令牌如下，只显示这一次，请立即妥善保存：
revoked = 已吊销
prefix = 前缀
last_used = 最近使用
no_tokens = 还没有令牌。
