### 基础数据 / Reference data
### Used by pages/reference.rs and its templates.

zones = 功能区
zones_intro = 功能区（如国家高新区）在统计中单列，位于某个区县之内。
add_zone = 新增功能区
name_zh = 中文名称
name_en = 英文名称
chains = 产业链
chains_intro = 产业链对应 GB/T 4754-2017 国民经济行业分类的门类或大类。
divisions = 行业大类
divisions_hint = 两位大类代码或一位门类字母，用逗号分隔，如 37,38 或 I。
sort_order = 排序
in_use = 启用
add_chain = 新增产业链
