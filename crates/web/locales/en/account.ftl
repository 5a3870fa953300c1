### 我的账户 / My account
### Used by pages/account.rs and its templates.

current_password = Current password
new_password = New password
new_password_hint = At least 10 characters, not your login, and hard to guess: a long phrase of uncommon words works well.
change_password = Change password
must_change_password = This is a one-time password: set a password of your own first.
lang_pref = Interface language
lang_browser = Follow the browser
profile = Profile
manager = Organisation manager
api_tokens = API tokens
api_tokens_intro = For scripts calling the API: send Authorization: Bearer followed by the token. A token is shown only once.
token_name = What the token is for
create_token = Create token
token_created = Your new token is below. It is shown only this once; store it safely now:
revoked = Revoked
prefix = Prefix
last_used = Last used
no_tokens = No tokens yet.
