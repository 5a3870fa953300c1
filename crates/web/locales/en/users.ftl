### 用户 / Users
### Used by pages/users.rs and its templates.

search_user = Login or name contains
