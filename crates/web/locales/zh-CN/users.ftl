### 用户 / Users
### Used by pages/users.rs and its templates.

search_user = 登录名或姓名包含
