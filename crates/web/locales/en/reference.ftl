### 基础数据 / Reference data
### Used by pages/reference.rs and its templates.

zones = Functional zones
zones_intro = Functional zones (such as a national high-tech zone) are reported on their own and lie inside a county.
add_zone = Add a functional zone
name_zh = Chinese name
name_en = English name
chains = Industrial chains
chains_intro = Each chain maps to GB/T 4754-2017 sections or divisions.
divisions = Industry divisions
divisions_hint = Two-digit division codes or a section letter, comma-separated, e.g. 37,38 or I.
sort_order = Order
in_use = In use
add_chain = Add an industrial chain
