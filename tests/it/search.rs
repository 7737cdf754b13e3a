use std::collections::{BTreeMap, HashSet};

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{EMPLOYER, TestApp, hit_ids, hits, km_between, point, total, vacancy_body};

#[tokio::test]
async fn a_title_match_ranks_above_a_description_only_match() {
    let app = TestApp::spawn().await;
    let token = app.token("employer", Some(EMPLOYER)).await;
    let in_description = vacancy_body(
        "Medewerker expeditie",
        "Je helpt onze zeefdrukker bij het inpakken en versturen van bestellingen in het magazijn.",
    );
    let in_title = vacancy_body(
        "Zeefdrukker",
        "Je bedrukt textiel en posters in onze werkplaats in de Schilderswijk.",
    );
    for body in [&in_description, &in_title] {
        let (status, created) = app
            .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(body))
            .await;
        assert_eq!(status, 201, "{created}");
    }
    let body = app.search_ok("vacancies", &[("q", "zeefdrukker")]).await;
    let titles: Vec<&str> = hits(&body).iter().map(|h| h["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Zeefdrukker", "Medewerker expeditie"]);
    assert!(
        hits(&body)[1]["snippet"]
            .as_str()
            .unwrap()
            .contains("<b>zeefdrukker</b>")
    );
}

#[tokio::test]
async fn any_name_of_a_skill_finds_the_offers_that_ask_for_it() {
    let app = TestApp::spawn().await;
    let token = app.token("employer", Some(EMPLOYER)).await;
    let mut asks_forklift = vacancy_body(
        "Zeefdrukker expeditie",
        "Je pakt bedrukte posters in en laadt ze in de bus voor de bezorging.",
    );
    asks_forklift["skills_required"] = serde_json::json!(["Heftruck rijden"]);
    let mut asks_other = vacancy_body(
        "Zeefdrukker inpakwerk",
        "Je pakt bedrukte posters in en zet ze klaar voor de bezorging.",
    );
    asks_other["skills_required"] = serde_json::json!(["orderpicken"]);
    asks_other["skills_optional"] = serde_json::json!([]);
    let mut ids = Vec::new();
    for body in [&asks_forklift, &asks_other] {
        let (status, created) = app
            .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(body))
            .await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["id"].as_str().expect("id").to_string());
    }
    // "forklift" is an alias of "Heftruck rijden", in neither ad's text.
    let body = app.search_ok("vacancies", &[("q", "zeefdrukker forklift")]).await;
    assert_eq!(hit_ids(&body), [ids[0].clone()]);
    // Words of skill names are in the spelling dictionary too.
    let body = app.search_ok("vacancies", &[("q", "zeefdrukker forklfit")]).await;
    assert_eq!(body["corrections"][0]["to"], "forklift");
    assert_eq!(hit_ids(&body), [ids[0].clone()]);
}

#[tokio::test]
async fn dutch_stemming_and_accent_folding_find_other_word_forms() {
    let app = TestApp::spawn().await;
    let singular = app
        .search_ok("vacancies", &[("q", "verzorgende"), ("limit", "100")])
        .await;
    let plural = app
        .search_ok("vacancies", &[("q", "verzorgenden"), ("limit", "100")])
        .await;
    assert!(total(&singular) > 0);
    assert_eq!(hit_ids(&singular), hit_ids(&plural));
    let folded = app.search_ok("vacancies", &[("q", "cafe")]).await;
    let accented = app.search_ok("vacancies", &[("q", "café")]).await;
    assert!(total(&folded) > 0);
    assert_eq!(hit_ids(&folded), hit_ids(&accented));
}

#[tokio::test]
async fn typos_in_long_words_are_corrected_and_reported() {
    let app = TestApp::spawn().await;
    let body = app.search_ok("vacancies", &[("q", "magazijnmedewerkr")]).await;
    assert_eq!(body["corrections"][0]["from"], "magazijnmedewerkr");
    assert_eq!(body["corrections"][0]["to"], "magazijnmedewerker");
    assert_eq!(body["corrected_query"], "magazijnmedewerker");
    assert!(
        hits(&body)[0]["title"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("magazijnmedewerker")
    );

    // Two typos (one letter dropped, one swapped) still find the target.
    let body = app.search_ok("vacancies", &[("q", "verzrogende")]).await;
    assert!(total(&body) > 0, "{body}");
    assert!(
        hits(&body)
            .iter()
            .any(|h| h["title"].as_str().unwrap().contains("Verzorgende"))
    );

    // A correct word is never "corrected", and nonsense is not forced onto a word.
    let body = app.search_ok("vacancies", &[("q", "magazijnmedewerker")]).await;
    assert_eq!(body["corrections"], serde_json::json!([]));
    let body = app.search_ok("vacancies", &[("q", "qxzvwpkt")]).await;
    assert_eq!(total(&body), 0);
}

/// Every hit of a filtered search satisfies the filter on its full record,
/// and the filter leaves out something the unfiltered search has.
#[tokio::test]
async fn every_vacancy_filter_holds_for_every_hit() {
    let app = TestApp::spawn().await;
    let all = total(&app.search_ok("vacancies", &[("limit", "0")]).await);
    type Holds = fn(&Value) -> bool;
    let cases: [(&str, &str, Holds); 9] = [
        ("sector", "zorg", |v| v["sector"] == "zorg"),
        ("contract", "vast", |v| v["contract"] == "vast"),
        ("hours_min", "32", |v| v["hours_max"].as_i64().unwrap() >= 32),
        ("hours_max", "16", |v| v["hours_min"].as_i64().unwrap() <= 16),
        ("education", "mbo1", |v| {
            ["geen", "mbo1"].contains(&v["education"].as_str().unwrap())
        }),
        ("dutch_level", "A2", |v| {
            ["A1", "A2"].contains(&v["dutch_level"].as_str().unwrap())
        }),
        ("banenafspraak", "true", |v| v["banenafspraak"] == true),
        ("bbl", "true", |v| v["bbl"] == true),
        ("bbl", "false", |v| v["bbl"] == false),
    ];
    for (name, value, holds) in cases {
        let body = app
            .search_ok("vacancies", &[(name, value), ("limit", "100")])
            .await;
        let n = total(&body);
        assert!(n > 0 && n < all, "{name}={value}: {n} of {all}");
        for id in hit_ids(&body) {
            let (_, record) = app.get(&format!("/api/v1/vacancies/{id}")).await;
            assert!(holds(&record), "{name}={value} does not hold for {id}");
        }
    }
}

#[tokio::test]
async fn training_filters_hold_for_every_hit() {
    let app = TestApp::spawn().await;
    for (name, value) in [("kind", "taal"), ("cost", "gratis"), ("sector", "logistiek")] {
        let body = app
            .search_ok("trainings", &[(name, value), ("limit", "100")])
            .await;
        assert!(total(&body) > 0, "{name}={value}");
        for id in hit_ids(&body) {
            let (_, record) = app.get(&format!("/api/v1/trainings/{id}")).await;
            assert_eq!(record[name], value, "{id}");
        }
    }
}

/// Every hit lies within the radius (by an independent haversine), and no
/// vacancy within the radius is missing.
#[tokio::test]
async fn radius_search_returns_exactly_the_vacancies_within_it() {
    let app = TestApp::spawn().await;
    let centre = point(app.state.geo.find_wijk("Moerwijk").unwrap().centroid());
    let body = app
        .search_ok(
            "vacancies",
            &[("wijk", "moerwijk"), ("radius_km", "1.5"), ("limit", "100")],
        )
        .await;
    let within: HashSet<String> = hit_ids(&body).into_iter().collect();
    assert!(!within.is_empty(), "the demo has vacancies near Moerwijk");
    assert_eq!(total(&body) as usize, within.len(), "all hits fit on one page");
    for hit in hits(&body) {
        assert!(hit["distance_km"].as_f64().unwrap() <= 1.5);
    }
    let mut expected = HashSet::new();
    for offset in (0..500).step_by(100) {
        let page = app
            .search_ok("vacancies", &[("limit", "100"), ("offset", &offset.to_string())])
            .await;
        for id in hit_ids(&page) {
            let (_, v) = app.get(&format!("/api/v1/vacancies/{id}")).await;
            let km = km_between(centre, (v["lat"].as_f64().unwrap(), v["lon"].as_f64().unwrap()));
            if km <= 1.5 {
                expected.insert(id);
            }
        }
    }
    assert_eq!(within, expected);
}

#[tokio::test]
async fn postcode_and_distance_sort_order_hits_by_distance() {
    let app = TestApp::spawn().await;
    let body = app
        .search_ok(
            "vacancies",
            &[("postcode", "2525"), ("sort", "distance"), ("q", "schoonmaak")],
        )
        .await;
    let distances: Vec<f64> = hits(&body)
        .iter()
        .map(|h| h["distance_km"].as_f64().unwrap())
        .collect();
    assert!(distances.len() > 1);
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
}

#[tokio::test]
async fn facet_counts_add_up_to_the_total() {
    let app = TestApp::spawn().await;
    for params in [
        vec![],
        vec![("q", "medewerker")],
        vec![("wijk", "WK051838"), ("radius_km", "3")],
    ] {
        let body = app.search_ok("vacancies", &params).await;
        for facet in ["sector", "contract", "education", "stadsdeel"] {
            let counts: BTreeMap<String, u64> =
                serde_json::from_value(body["facets"][facet].clone()).unwrap();
            assert_eq!(counts.values().sum::<u64>(), total(&body), "{facet} {params:?}");
        }
    }
}

#[tokio::test]
async fn pages_are_consecutive_slices_of_one_ranking() {
    let app = TestApp::spawn().await;
    let q = [("q", "medewerker"), ("limit", "30")];
    let whole = hit_ids(&app.search_ok("vacancies", &q).await);
    assert_eq!(whole.len(), 30);
    let mut paged = Vec::new();
    for offset in ["0", "10", "20"] {
        paged.extend(hit_ids(
            &app.search_ok(
                "vacancies",
                &[("q", "medewerker"), ("limit", "10"), ("offset", offset)],
            )
            .await,
        ));
    }
    assert_eq!(paged, whole);
}

#[tokio::test]
async fn a_write_is_searchable_when_it_returns_and_a_closed_vacancy_leaves_search() {
    let app = TestApp::spawn().await;
    let token = app.token("employer", Some(EMPLOYER)).await;
    let body = vacancy_body(
        "Orgelbouwer",
        "Je bouwt en herstelt kerkorgels in onze werkplaats in het centrum van Den Haag.",
    );
    let (status, created) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(&body))
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        hit_ids(&app.search_ok("vacancies", &[("q", "orgelbouwer")]).await),
        std::slice::from_ref(&id)
    );

    let mut changed = body.clone();
    changed["title"] = "Klokkengieter".into();
    let (status, _) = app
        .send(
            Method::PUT,
            &format!("/api/v1/vacancies/{id}"),
            Some(&token),
            Some(&changed),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        total(&app.search_ok("vacancies", &[("q", "klokkengieter")]).await),
        1
    );

    let (status, _) = app
        .send(
            Method::DELETE,
            &format!("/api/v1/vacancies/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        total(&app.search_ok("vacancies", &[("q", "klokkengieter")]).await),
        0
    );
    let (status, record) = app.get(&format!("/api/v1/vacancies/{id}")).await;
    assert_eq!(
        (status.as_u16(), record["status"].as_str()),
        (200, Some("closed"))
    );
}

#[tokio::test]
async fn a_rebuild_from_scratch_gives_the_same_results() {
    let app = TestApp::spawn().await;
    let token = app.token("employer", Some(EMPLOYER)).await;
    let body = vacancy_body(
        "Hoefsmid",
        "Je beslaat paarden en pony's bij manege en boerderij aan de rand van de stad.",
    );
    let (_, created) = app
        .send(Method::POST, "/api/v1/vacancies", Some(&token), Some(&body))
        .await;
    let admin = app.token("admin", None).await;
    let (status, _) = app
        .send(Method::DELETE, "/api/v1/vacancies/vac-0001", Some(&admin), None)
        .await;
    assert_eq!(status, 204);
    assert!(created["id"].is_string());
    let queries: Vec<Vec<(&str, &str)>> = vec![
        vec![("q", "hoefsmid")],
        vec![("q", "heftruck"), ("wijk", "forepark"), ("radius_km", "5")],
        vec![("sector", "zorg"), ("sort", "newest"), ("limit", "50")],
        vec![("q", "magazijnmedewerkr")],
    ];
    let mut before = Vec::new();
    for q in &queries {
        let body = app.search_ok("vacancies", q).await;
        before.push((total(&body), hit_ids(&body), body["facets"].clone()));
    }
    let workspace = app.stop().await;
    std::fs::remove_dir_all(workspace.dir.path().join("index")).unwrap();
    let app = TestApp::spawn_in(workspace).await;
    for (q, expected) in queries.iter().zip(before) {
        let body = app.search_ok("vacancies", q).await;
        assert_eq!(
            (total(&body), hit_ids(&body), body["facets"].clone()),
            expected,
            "{q:?}"
        );
    }
}
