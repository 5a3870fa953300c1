### 贷款目标进度 / The lending target
### Used by pages/credit/target.rs and its template.

target_intro = Knowledge-value loans issued in the city against the target, by year, bank, county, sector and grade.
issued = Issued
issued_yuan = Issued (yuan)
target_loans = Loans
target_enterprises = Enterprises
target_progress = Progress towards the target
breakdown_year = Year of the breakdowns
all_years = All years
year_suffix = {""}
target_by_year = By year disbursed
target_by_bank = By bank
target_by_county = By county
target_by_sector = By sector
target_by_grade = By grade
sector = Sector (GB/T 4754 section)
target_chart_description = Knowledge-value loans disbursed, by amount
