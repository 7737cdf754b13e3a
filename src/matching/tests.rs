use std::collections::HashSet;

use super::*;

fn profile() -> Profile {
    Profile {
        home: Point::new(52.0700, 4.3000).unwrap(),
        wijk_code: "WK051829".into(),
        skills: ["orderpicken", "scanner"]
            .iter()
            .map(|s| s.to_string())
            .collect::<HashSet<_>>(),
        free_skills: vec![],
        sectors_wanted: vec!["logistiek".into()],
        occupations: vec![],
        hours: Some((24, 38)),
        part_time_only: false,
        available_from_day: None,
        travel_mode: TravelMode::Fiets,
        max_travel_minutes: Some(30.0),
        max_travel_km: None,
        education: Education::Geen,
        dutch_level: DutchLevel::A2,
    }
}

pub(super) fn offer() -> OfferFacts {
    OfferFacts {
        point: Point::new(52.0750, 4.3100).unwrap(),
        wijk_code: "WK051828".into(),
        required: vec!["orderpicken".into()],
        optional: vec!["scanner".into(), "heftruck-rijden".into()],
        expected: vec![],
        text: "magazijnmedewerker orderpicken".into(),
        sector: "logistiek".into(),
        occupation_uri: None,
        hours: (24, 32),
        education: Education::Geen,
        dutch_level: DutchLevel::A2,
        closes_day: None,
        alliance: false,
    }
}

fn no_lift() -> ScoringPolicy {
    ScoringPolicy {
        priority_wijken: vec!["WK051829".into()],
        scale: 0.0,
        easy_reach_minutes: 20.0,
    }
}

fn full_lift() -> ScoringPolicy {
    ScoringPolicy {
        scale: 1.0,
        ..no_lift()
    }
}

fn run(p: &Profile, o: &OfferFacts, policy: &ScoringPolicy) -> Option<Scored> {
    score(p, o, policy, Direction::VacanciesForResident, false)
}

#[test]
fn weights_add_up_to_one() {
    let w = WEIGHTS;
    let sum = w.skills + w.travel + w.interest + w.hours + w.education + w.language;
    assert!((sum - 1.0).abs() < 1e-9);
}

#[test]
fn explains_matched_and_missing_skills() {
    let s = run(&profile(), &offer(), &no_lift()).unwrap();
    assert_eq!(s.matched_skills, ["orderpicken", "scanner"]);
    assert!(s.missing_required.is_empty());
    assert_eq!(s.missing_optional, ["heftruck-rijden"]);
    let skills = s.components.iter().find(|c| c.name == "skills").unwrap();
    assert!((skills.value - 3.0 / 4.0).abs() < 1e-9);
    assert!(s.score > 0.0 && s.score <= 100.0);
}

#[test]
fn hard_limits_rule_offers_out_and_relaxed_mode_shows_near_misses() {
    let mut o = offer();
    o.dutch_level = DutchLevel::B1;
    assert!(run(&profile(), &o, &no_lift()).is_none());
    let near = score(&profile(), &o, &no_lift(), Direction::VacanciesForResident, true).unwrap();
    assert_eq!(near.near_misses.len(), 1);
    assert!(near.near_misses[0].contains("B1"));
    o.dutch_level = DutchLevel::C1;
    assert!(
        score(&profile(), &o, &no_lift(), Direction::VacanciesForResident, true).is_none(),
        "far off"
    );

    let mut far = offer();
    far.point = Point::new(52.2, 4.3).unwrap();
    assert!(run(&profile(), &far, &no_lift()).is_none());
    let mut education = offer();
    education.education = Education::Mbo3;
    assert!(run(&profile(), &education, &no_lift()).is_none());
    let mut hours = offer();
    hours.hours = (0, 8);
    assert!(run(&profile(), &hours, &no_lift()).is_none());
    let mut closes = offer();
    closes.closes_day = Some(100);
    let mut late = profile();
    late.available_from_day = Some(101);
    assert!(run(&late, &closes, &no_lift()).is_none());
}

#[test]
fn missing_data_never_counts_as_agreement() {
    let mut p = profile();
    p.skills.clear();
    p.hours = None;
    let s = run(&p, &offer(), &no_lift()).unwrap();
    let value = |name| s.components.iter().find(|c| c.name == name).unwrap().value;
    assert_eq!(value("skills"), 0.0);
    assert_eq!(value("hours"), 0.0);
    let mut bare = offer();
    bare.required.clear();
    bare.optional.clear();
    let s = run(&profile(), &bare, &no_lift()).unwrap();
    assert_eq!(
        s.components.iter().find(|c| c.name == "skills").unwrap().value,
        0.0
    );
}

#[test]
fn free_text_skills_count_when_the_offer_mentions_them() {
    let mut p = profile();
    p.free_skills = vec!["magazijnmedewerker".into()];
    let with = run(&p, &offer(), &no_lift()).unwrap();
    assert_eq!(with.matched_free_text, ["magazijnmedewerker"]);
    let without = run(&profile(), &offer(), &no_lift()).unwrap();
    assert!(with.score > without.score);
}

#[test]
fn the_lift_reorders_near_equals_but_never_a_poor_fit_over_a_good_one() {
    let resident = profile();
    // A good fit without any lift, and a weaker fit with the maximal lift.
    let good = offer();
    let mut poor = offer();
    poor.optional.clear();
    poor.required = vec!["orderpicken".into(), "heftruck-rijden".into()];
    poor.alliance = true;
    let good_base = run(&resident, &good, &no_lift()).unwrap().score;
    let poor_base = run(&resident, &poor, &no_lift()).unwrap().score;
    assert!(
        good_base - poor_base > policy::MAX_LIFT_POINTS,
        "{good_base} vs {poor_base}"
    );
    let good_lifted = run(&resident, &good, &full_lift()).unwrap();
    let poor_lifted = run(&resident, &poor, &full_lift()).unwrap();
    assert!(poor_lifted.score - poor_base <= policy::MAX_LIFT_POINTS + 1e-9);
    assert!(good_lifted.score > poor_lifted.score);

    // Near-equals: the same fit, one employer in the alliance, swaps order.
    let mut twin = good.clone();
    twin.alliance = true;
    let mut slightly_better = good.clone();
    slightly_better.point = Point::new(52.0701, 4.3001).unwrap();
    let a = run(&resident, &slightly_better, &no_lift()).unwrap().score;
    let b = run(&resident, &twin, &no_lift()).unwrap().score;
    assert!(a > b);
    let a = run(&resident, &slightly_better, &full_lift()).unwrap();
    let b = run(&resident, &twin, &full_lift()).unwrap();
    assert!(b.score > a.score);
    assert!(!b.lift_boosts.is_empty());
    assert!(b.components.iter().any(|c| c.name == "lift" && c.points > 0.0));
}

#[test]
fn the_lift_can_be_set_to_zero() {
    let mut o = offer();
    o.alliance = true;
    let s = run(&profile(), &o, &no_lift()).unwrap();
    let lift = s.components.iter().find(|c| c.name == "lift").unwrap();
    assert_eq!((lift.points, s.lift_boosts.len()), (0.0, 0));
}

#[test]
fn candidates_from_priority_wijken_get_the_bounded_bonus() {
    let policy = full_lift();
    let inside = profile();
    let mut outside = profile();
    outside.wijk_code = "WK051801".into();
    let a = score(&inside, &offer(), &policy, Direction::CandidatesForVacancy, false).unwrap();
    let b = score(
        &outside,
        &offer(),
        &policy,
        Direction::CandidatesForVacancy,
        false,
    )
    .unwrap();
    assert!((a.score - b.score - policy::MAX_LIFT_POINTS).abs() < 1e-9);
}
