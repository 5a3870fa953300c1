//! The demo's carrier alliance (synthetic): ten member carriers — the chair the demo carrier
//! manager's national incubator, two vice chairs, seven members; notices, shared offers and
//! interest; events across 2024 (exchange visits, salons, roadshows, training) with
//! registrations by the demo accounts, waiting lists and check-ins, and two upcoming events open
//! for registration; staff training courses with attendance and hours, and certificates (some
//! expired, some expiring within 60 days). Written after everything else, in a transaction of
//! its own, from a fixed seed, so nothing drawn before shifts.

use fruition_domain::alliance::{
    CODE_ALPHABET, CODE_LEN, CertificateKind, EventKind, EventStatus, MemberRole, OfferKind,
    parse_china_time,
};
use fruition_domain::carrier::{CarrierKind, Level};
use fruition_domain::date::IsoDate;
use fruition_store::Db;
use fruition_store::alliance::events::{self, CheckIn, NewEvent};
use fruition_store::alliance::members::{self, NewOffer};
use fruition_store::alliance::training::{self, NewCertificate, NewCourse, NewRecord};
use fruition_store::audit::AuditCtx;
use fruition_store::users;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::plan::Plan;

const SEED: u64 = 0xA111_A9CE;

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub members: usize,
    pub events: usize,
    pub registrations: usize,
    pub courses: usize,
    pub records: usize,
    pub certificates: usize,
}

/// The member carriers (indexes into the plan's carriers) with their roles: the demo operator's
/// national incubator chairs; two national carriers of other operators are vice chairs; seven
/// more carriers of other operators, not revoked, are members.
pub fn members_of(plan: &Plan) -> Vec<(usize, MemberRole)> {
    let national = |i: usize| {
        plan.carriers[i]
            .ratings
            .last()
            .is_some_and(|(l, _)| *l == Level::National)
    };
    let live = |i: usize| plan.carriers[i].revoked.is_none();
    let n = plan.carriers.len();
    let chair = (0..n)
        .find(|&i| {
            plan.carriers[i].operator == plan.demo_operator
                && plan.carriers[i].kind == CarrierKind::Incubator
                && national(i)
                && live(i)
        })
        .or_else(|| (0..n).find(|&i| plan.carriers[i].operator == plan.demo_operator))
        .expect("the demo operator runs a carrier");
    let mut out = vec![(chair, MemberRole::Chair)];
    let mut operators = vec![plan.carriers[chair].operator];
    for want_national in [true, false] {
        for i in 0..n {
            if out.len() >= 10 {
                break;
            }
            let c = &plan.carriers[i];
            if !live(i) || operators.contains(&c.operator) || national(i) != want_national {
                continue;
            }
            let role = if out.len() < 3 {
                MemberRole::ViceChair
            } else {
                MemberRole::Member
            };
            operators.push(c.operator);
            out.push((i, role));
        }
    }
    out
}

fn at(s: &str) -> i64 {
    parse_china_time(s, "demo").expect("a demo time")
}

fn code(rng: &mut StdRng) -> String {
    (0..CODE_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// (kind, title, place, start, end, capacity, organised by a member (index into the members) or the bureau)
type PastEvent = (
    EventKind,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<usize>,
);

const PAST: &[PastEvent] = &[
    (
        EventKind::Exchange,
        "赴长沙岳麓山大学科技城交流调研（演示数据）",
        "长沙市岳麓区岳麓山大学科技城",
        "2024-03-14 09:00",
        "2024-03-14 17:00",
        6,
        None,
    ),
    (
        EventKind::Salon,
        "创新创业沙龙：轨道交通装备配套企业对接会（演示数据）",
        "株洲市天元区中小企业促进中心三楼",
        "2024-04-18 14:30",
        "2024-04-18 17:30",
        8,
        Some(0),
    ),
    (
        EventKind::Training,
        "孵化载体服务能力提升培训班（第一期，演示数据）",
        "株洲市科技局五楼会议室",
        "2024-05-22 09:00",
        "2024-05-23 17:00",
        5,
        None,
    ),
    (
        EventKind::Roadshow,
        "新材料与先进陶瓷项目路演（演示数据）",
        "株洲高新区动力谷创新中心路演厅",
        "2024-06-20 14:00",
        "2024-06-20 17:30",
        6,
        Some(1),
    ),
    (
        EventKind::Salon,
        "创新创业沙龙：知识价值信用贷款政策解读（演示数据）",
        "株洲市石峰区创新创业服务中心",
        "2024-08-15 15:00",
        "2024-08-15 17:00",
        7,
        Some(2),
    ),
    (
        EventKind::Exchange,
        "赴醴陵陶瓷产业孵化基地交流调研（演示数据）",
        "醴陵市经济开发区陶瓷产业孵化基地",
        "2024-09-12 09:30",
        "2024-09-12 16:00",
        5,
        Some(0),
    ),
    (
        EventKind::Training,
        "孵化载体服务能力提升培训班（第二期，演示数据）",
        "株洲市科技局五楼会议室",
        "2024-10-24 09:00",
        "2024-10-25 17:00",
        6,
        None,
    ),
    (
        EventKind::Roadshow,
        "2024年度优秀在孵项目路演（演示数据）",
        "株洲高新区动力谷创新中心路演厅",
        "2024-12-05 14:00",
        "2024-12-05 18:00",
        8,
        Some(0),
    ),
];

/// The 2024 courses: (title, provider, hours, held on, the past event that was it).
const COURSES: &[(&str, &str, i64, &str, Option<usize>)] = &[
    (
        "孵化载体服务能力提升培训班（第一期）",
        "株洲市科学技术局",
        12,
        "2024-05-22",
        Some(2),
    ),
    (
        "技术经纪人（初级）培训",
        "湖南省技术市场协会",
        24,
        "2024-06-27",
        None,
    ),
    (
        "创业导师能力建设专题培训",
        "湖南省科技企业孵化器协会",
        8,
        "2024-07-18",
        None,
    ),
    (
        "科技成果转化政策与实务",
        "湘潭大学技术转移中心",
        6,
        "2024-09-05",
        None,
    ),
    (
        "孵化载体服务能力提升培训班（第二期）",
        "株洲市科学技术局",
        12,
        "2024-10-24",
        Some(6),
    ),
    (
        "孵化器绩效评价与统计填报",
        "株洲市科学技术局",
        4,
        "2024-11-14",
        None,
    ),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: &[&str] = &[
    "静", "磊", "婷", "强", "敏", "伟", "芳", "军", "丽", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚",
];

/// Writes the alliance after the rest of the demo; `carrier_ids` and `operators` as written.
pub async fn write(
    db: &Db,
    ctx: &AuditCtx,
    plan: &Plan,
    carrier_ids: &[i64],
    operators: &[i64],
    bureau: i64,
    today: IsoDate,
) -> anyhow::Result<Written> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut w = Written::default();
    let chosen = members_of(plan);
    // The demo accounts take part in events.
    let mut people = Vec::new();
    for (login, _, _) in super::ACCOUNTS {
        if let Some(u) = users::get_by_login(db, login).await? {
            people.push(u.id);
        }
    }
    let mut tx = db.begin().await?;
    let member_ids: Vec<(i64, i64)> = chosen
        .iter()
        .map(|(i, _)| (carrier_ids[*i], operators[plan.carriers[*i].operator]))
        .collect();
    for ((i, role), year) in chosen
        .iter()
        .zip([2019, 2019, 2019, 2020, 2020, 2021, 2021, 2022, 2023, 2024])
    {
        members::admit(
            &mut tx,
            ctx,
            carrier_ids[*i],
            *role,
            &format!("{year}-06-18"),
        )
        .await?;
        w.members += 1;
    }
    let chair_org = member_ids[0].1;
    for (title, body, org) in [
        (
            "关于召开株洲市孵化载体联盟2024年度工作会议的通知（演示数据）",
            "定于2024年1月25日上午9:00在市科技局五楼会议室召开联盟年度工作会议，请各成员单位主要负责人参加，并于1月20日前报送2023年度工作总结。",
            bureau,
        ),
        (
            "关于征集2024年度联盟共享资源目录的通知（演示数据）",
            "请各成员单位梳理可向联盟成员开放的场地、设备、导师和课程资源，在平台“共享资源”栏目发布，并注明开放时间和联系方式。",
            chair_org,
        ),
        (
            "关于报名参加孵化载体服务能力提升培训班的通知（演示数据）",
            "第二期培训班将于10月24日至25日举办，每家成员单位可推荐2至3名从业人员参加，请在平台“联盟活动”中报名。",
            bureau,
        ),
    ] {
        members::post_notice(&mut tx, ctx, title, body, org).await?;
    }
    let offers = [
        (
            0,
            OfferKind::Venue,
            "200人路演厅",
            "工作日向联盟成员单位免费开放，配备投影、音响和直播设备，需提前三个工作日预约。",
            "孙老师 0731-22880001",
        ),
        (
            1,
            OfferKind::Equipment,
            "材料力学性能测试设备",
            "万能材料试验机、冲击试验机各一台，成员单位在孵企业按成本价使用。",
            "刘工 0731-28560002",
        ),
        (
            2,
            OfferKind::Mentor,
            "创业导师团（12人）",
            "涵盖轨道交通、航空动力、先进陶瓷等领域的企业家和投资人，每月开展一次集中辅导。",
            "陈老师 13807330003",
        ),
        (
            3,
            OfferKind::Course,
            "“孵化器运营实务”系列课程",
            "共8讲，含入孵评估、投融资对接和统计填报，可到成员单位现场授课。",
            "黄老师 0731-28890004",
        ),
        (
            5,
            OfferKind::Other,
            "知识产权快速预审通道咨询",
            "为成员单位在孵企业提供专利快速预审申报辅导。",
            "周老师 0731-22660005",
        ),
    ];
    let mut offer_ids = Vec::new();
    for (m, kind, title, description, contact) in offers {
        let (carrier_id, _) = member_ids[m.min(member_ids.len() - 1)];
        let o = members::insert_offer(
            &mut tx,
            ctx,
            &NewOffer {
                carrier_id,
                kind,
                title: title.into(),
                description: description.into(),
                contact: contact.into(),
            },
        )
        .await?;
        offer_ids.push((o.id, o.operator_org_id));
    }
    for (k, (offer, offerer)) in offer_ids.iter().enumerate() {
        for (_, org) in member_ids.iter().skip(k + 1).take(2) {
            if org != offerer {
                members::show_interest(
                    &mut tx,
                    ctx,
                    *offer,
                    *org,
                    "拟组织在孵企业参加，请联系对接。",
                )
                .await?;
            }
        }
    }

    // Past events: registered while open, the first arrivals placed and the rest waiting, most
    // of the placed checked in on the day; then closed as finished.
    let mut past_event_ids = Vec::new();
    for (kind, title, place, starts, ends, capacity, by) in PAST {
        let (organiser, carrier_id) = match by {
            Some(m) => {
                let (c, o) = member_ids[(*m).min(member_ids.len() - 1)];
                (o, Some(c))
            }
            None => (bureau, None),
        };
        let mut ev = NewEvent {
            kind: *kind,
            title: (*title).into(),
            description: format!(
                "{}。本活动为演示数据。",
                kind.label(fruition_domain::lang::Lang::ZhCn)
            ),
            place: (*place).into(),
            starts_at: at(starts),
            ends_at: at(ends),
            register_by: i64::MAX / 2,
            capacity: *capacity,
            status: EventStatus::Open,
            organiser_org_id: organiser,
            carrier_id,
        };
        let e = events::insert(&mut tx, ctx, &ev).await?;
        let mut order = people.clone();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        let n = rng.random_range((*capacity as usize).min(order.len())..=order.len());
        let mut codes = Vec::new();
        for user in order.iter().take(n) {
            let r = events::register(&mut tx, ctx, e.id, *user, &code(&mut rng)).await?;
            w.registrations += 1;
            codes.push(r.code);
        }
        for c in codes.iter().take(*capacity as usize) {
            if rng.random_range(0..10) < 8 {
                let _: CheckIn = events::check_in(&mut tx, ctx, e.id, c).await?;
            }
        }
        ev.register_by = ev.starts_at - 86_400_000;
        ev.status = EventStatus::Finished;
        events::update(&mut tx, ctx, e.id, &ev).await?;
        events::date_past(
            &mut tx,
            e.id,
            ev.starts_at - 7 * 86_400_000,
            ev.starts_at + 15 * 60_000,
        )
        .await?;
        past_event_ids.push(e.id);
        w.events += 1;
    }
    // Two upcoming events open for registration.
    let next = today.plus_days(45).to_string();
    let later = today.plus_days(75).to_string();
    for (kind, title, day, capacity, m) in [
        (
            EventKind::Salon,
            "创新创业沙龙：航空动力产业链协同创新（演示数据）",
            next,
            30,
            Some(0),
        ),
        (
            EventKind::Training,
            "孵化载体服务能力提升培训班（第三期，演示数据）",
            later,
            40,
            None,
        ),
    ] {
        let (organiser, carrier_id) = match m {
            Some(m) => (member_ids[m].1, Some(member_ids[m].0)),
            None => (bureau, None),
        };
        let starts = at(&format!("{day} 14:30"));
        events::insert(
            &mut tx,
            ctx,
            &NewEvent {
                kind,
                title: title.into(),
                description: "欢迎联盟成员单位及在孵企业报名参加。本活动为演示数据。".into(),
                place: "株洲市天元区中小企业促进中心三楼".into(),
                starts_at: starts,
                ends_at: starts + 3 * 3_600_000,
                register_by: starts - 86_400_000,
                capacity,
                status: EventStatus::Open,
                organiser_org_id: organiser,
                carrier_id,
            },
        )
        .await?;
        w.events += 1;
    }

    // Training: courses, each member's staff attending some, certificates.
    let staff: Vec<(String, i64)> = member_ids
        .iter()
        .flat_map(|(carrier, _)| {
            (0..3)
                .map(|_| {
                    let name = format!(
                        "{}{}",
                        SURNAMES[rng.random_range(0..SURNAMES.len())],
                        GIVEN[rng.random_range(0..GIVEN.len())]
                    );
                    (name, *carrier)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (title, provider, hours, held_on, event) in COURSES {
        let k = training::insert_course(
            &mut tx,
            ctx,
            &NewCourse {
                title: (*title).into(),
                provider: (*provider).into(),
                hours: *hours,
                held_on: (*held_on).into(),
                audience: "联盟成员单位从业人员".into(),
                event_id: event.map(|e| past_event_ids[e]),
                org_id: bureau,
            },
        )
        .await?;
        w.courses += 1;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..rng.random_range(8..14) {
            let (name, carrier) = &staff[rng.random_range(0..staff.len())];
            if !seen.insert((name.clone(), *carrier)) {
                continue;
            }
            training::insert_record(
                &mut tx,
                ctx,
                &NewRecord {
                    course_id: k.id,
                    person_name: name.clone(),
                    carrier_id: *carrier,
                    hours: if rng.random_range(0..6) == 0 {
                        hours / 2
                    } else {
                        *hours
                    },
                },
            )
            .await?;
            w.records += 1;
        }
    }
    for (n, (name, carrier)) in staff.iter().enumerate().step_by(2) {
        let kind = if n % 4 == 0 {
            CertificateKind::TechBroker
        } else {
            CertificateKind::Mentor
        };
        // Some expired, some expiring within 60 days of today, the rest valid for years.
        let expires = match n % 5 {
            0 => today.plus_days(-40),
            1 => today.plus_days(20 + n as i64),
            _ => today.plus_days(400 + 30 * n as i64),
        };
        training::insert_certificate(
            &mut tx,
            ctx,
            &NewCertificate {
                person_name: name.clone(),
                carrier_id: *carrier,
                kind,
                number: format!(
                    "{}-{:05}",
                    if kind == CertificateKind::TechBroker {
                        "HNJSJJR2022"
                    } else {
                        "HNCYDS2023"
                    },
                    101 + n
                ),
                issuer: if kind == CertificateKind::TechBroker {
                    "湖南省技术市场协会"
                } else {
                    "湖南省科技企业孵化器协会"
                }
                .into(),
                issued_on: expires.plus_days(-3 * 365).to_string(),
                expires_on: Some(expires.to_string()),
            },
        )
        .await?;
        w.certificates += 1;
    }
    tx.commit().await?;
    Ok(w)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ten_members_one_chair_the_demo_operators_national_incubator() {
        let plan = super::super::plan::build();
        let m = super::members_of(&plan);
        assert_eq!(m.len(), 10);
        let (chair, role) = m[0];
        assert_eq!(role, fruition_domain::alliance::MemberRole::Chair);
        assert_eq!(plan.carriers[chair].operator, plan.demo_operator);
        assert_eq!(
            m.iter()
                .filter(|(_, r)| *r == fruition_domain::alliance::MemberRole::Chair)
                .count(),
            1
        );
    }
}
