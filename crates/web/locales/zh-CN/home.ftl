### 首页 / The home page
### Used by pages/home.rs and its templates.

welcome = 欢迎
home_intro = 株洲市科技成果转化平台体系的工作平台：载体与企业登记、科技要素市场、中试平台、科技金融、一站式服务与载体联盟。
home_signed_out = 请登录使用平台；尚无账户的机构可申请入驻。
pending_applications = 待审核的入驻申请
