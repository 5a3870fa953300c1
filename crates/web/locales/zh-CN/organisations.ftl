### 机构 / Organisations
### Used by pages/organisations.rs and its templates.

new_organisation = 登记机构
first_user = 首个用户（机构管理员）
first_user_hint = 系统生成一次性密码，请转交该用户；首次登录须修改。
no_organisations = 没有符合条件的机构。
add_user = 添加用户
deactivate = 停用
reactivate = 恢复
reset_password = 重置密码
