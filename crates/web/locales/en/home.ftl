### 首页 / The home page
### Used by pages/home.rs and its templates.

welcome = Welcome
home_intro = The working platform of Zhuzhou's technology transfer system: the registry of carriers and enterprises, the technology elements market, pilot platforms, technology finance, one-stop services and the carrier alliance.
home_signed_out = Sign in to use the platform; organisations without an account can apply to join.
pending_applications = Applications waiting for review
