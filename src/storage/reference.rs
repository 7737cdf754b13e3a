//! Reference data: wijken, postcodes, the skills vocabulary, occupations.

use super::db::Query;
use super::{Store, StoreError};
use crate::geo::{Geo, Postcode, Wijk};

#[derive(Debug, Clone, PartialEq)]
pub struct SkillRow {
    pub id: String,
    pub label: String,
    pub label_en: String,
    pub category: String,
    pub esco_uri: Option<String>,
    pub aliases: Vec<String>,
    pub misspellings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OccupationRow {
    pub uri: String,
    pub isco_code: String,
    pub label: String,
    pub alt_labels: String,
    pub label_en: String,
    pub sector: String,
}

/// Everything the reference fixtures hold, ready to insert.
#[derive(Debug, Default)]
pub struct ReferenceData {
    pub wijken: Vec<(Wijk, String)>,
    pub postcodes: Vec<Postcode>,
    pub skills: Vec<SkillRow>,
    pub occupations: Vec<OccupationRow>,
    pub occupation_skills: Vec<(String, String, String)>,
}

impl Store {
    pub async fn has_reference_data(&self) -> Result<bool, StoreError> {
        let count: i64 = Query::new("SELECT COUNT(*) FROM wijken").scalar(self).await?;
        Ok(count > 0)
    }

    /// Inserts all reference data in one transaction.
    /// Inserts the reference data unless it is there; returns whether it
    /// inserted. Checked under the load lock, so that replicas starting at
    /// once on a new database insert it once.
    pub async fn insert_reference(&self, data: &ReferenceData) -> Result<bool, StoreError> {
        let mut tx = self.begin_exclusive().await?;
        let present: bool = Query::new("SELECT EXISTS (SELECT 1 FROM wijken)")
            .scalar(&mut tx)
            .await?;
        if present {
            return Ok(false);
        }
        for (w, geometry) in &data.wijken {
            Query::new(
                "INSERT INTO wijken (code, number, name, stadsdeel, lat, lon, inner_lat, inner_lon, area_km2, geometry)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&w.code)
            .bind(w.number)
            .bind(&w.name)
            .bind(&w.stadsdeel)
            .bind(w.lat)
            .bind(w.lon)
            .bind(w.inner_lat)
            .bind(w.inner_lon)
            .bind(w.area_km2)
            .bind(geometry)
            .execute(&mut tx)
            .await?;
        }
        for p in &data.postcodes {
            Query::new("INSERT INTO postcodes (pc4, woonplaats, lat, lon, wijk_code) VALUES (?, ?, ?, ?, ?)")
                .bind(&p.pc4)
                .bind(&p.woonplaats)
                .bind(p.lat)
                .bind(p.lon)
                .bind(&p.wijk_code)
                .execute(&mut tx)
                .await?;
        }
        for s in &data.skills {
            Query::new("INSERT INTO skills (id, label, label_en, category, esco_uri) VALUES (?, ?, ?, ?, ?)")
                .bind(&s.id)
                .bind(&s.label)
                .bind(&s.label_en)
                .bind(&s.category)
                .bind(&s.esco_uri)
                .execute(&mut tx)
                .await?;
            let aliases = s.aliases.iter().map(|a| (a, "synoniem"));
            for (alias, kind) in aliases.chain(s.misspellings.iter().map(|m| (m, "spelfout"))) {
                Query::new("INSERT INTO skill_aliases (alias, skill_id, kind) VALUES (?, ?, ?)")
                    .bind(alias)
                    .bind(&s.id)
                    .bind(kind)
                    .execute(&mut tx)
                    .await?;
            }
        }
        for o in &data.occupations {
            Query::new(
                "INSERT INTO occupations (uri, isco_code, label, alt_labels, label_en, sector) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(&o.uri)
            .bind(&o.isco_code)
            .bind(&o.label)
            .bind(&o.alt_labels)
            .bind(&o.label_en)
            .bind(&o.sector)
            .execute(&mut tx)
            .await?;
        }
        for (occupation, skill, relation) in &data.occupation_skills {
            Query::new("INSERT INTO occupation_skills (occupation_uri, skill_id, relation) VALUES (?, ?, ?)")
                .bind(occupation)
                .bind(skill)
                .bind(relation)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn load_geo(&self) -> Result<Geo, StoreError> {
        let wijken = Query::new(
            "SELECT code, number, name, stadsdeel, lat, lon, inner_lat, inner_lon, area_km2 FROM wijken",
        )
        .fetch_all(self)
        .await?
        .into_iter()
        .map(|r| Wijk {
            code: r.get("code"),
            number: r.get("number"),
            name: r.get("name"),
            stadsdeel: r.get("stadsdeel"),
            lat: r.get("lat"),
            lon: r.get("lon"),
            inner_lat: r.get("inner_lat"),
            inner_lon: r.get("inner_lon"),
            area_km2: r.get("area_km2"),
        })
        .collect();
        let postcodes = Query::new("SELECT pc4, woonplaats, lat, lon, wijk_code FROM postcodes")
            .fetch_all(self)
            .await?
            .into_iter()
            .map(|r| Postcode {
                pc4: r.get("pc4"),
                woonplaats: r.get("woonplaats"),
                lat: r.get("lat"),
                lon: r.get("lon"),
                wijk_code: r.get("wijk_code"),
            })
            .collect();
        Ok(Geo::new(wijken, postcodes))
    }

    pub async fn skills(&self) -> Result<Vec<SkillRow>, StoreError> {
        let mut skills: Vec<SkillRow> =
            Query::new("SELECT id, label, label_en, category, esco_uri FROM skills ORDER BY id")
                .fetch_all(self)
                .await?
                .into_iter()
                .map(|r| SkillRow {
                    id: r.get("id"),
                    label: r.get("label"),
                    label_en: r.get("label_en"),
                    category: r.get("category"),
                    esco_uri: r.get("esco_uri"),
                    aliases: Vec::new(),
                    misspellings: Vec::new(),
                })
                .collect();
        let aliases = Query::new("SELECT alias, skill_id, kind FROM skill_aliases ORDER BY alias")
            .fetch_all(self)
            .await?;
        for row in aliases {
            let skill_id: String = row.get("skill_id");
            if let Ok(i) = skills.binary_search_by(|s| s.id.cmp(&skill_id)) {
                let kind: String = row.get("kind");
                let list = if kind == "spelfout" {
                    &mut skills[i].misspellings
                } else {
                    &mut skills[i].aliases
                };
                list.push(row.get("alias"));
            }
        }
        Ok(skills)
    }

    pub async fn occupation_exists(&self, uri: &str) -> Result<bool, StoreError> {
        Ok(
            Query::new("SELECT EXISTS (SELECT 1 FROM occupations WHERE uri = ?)")
                .bind(uri)
                .scalar(self)
                .await?,
        )
    }

    pub async fn occupations(&self) -> Result<Vec<OccupationRow>, StoreError> {
        Ok(Query::new(
            "SELECT uri, isco_code, label, alt_labels, label_en, sector FROM occupations ORDER BY uri",
        )
        .fetch_all(self)
        .await?
        .into_iter()
        .map(|r| OccupationRow {
            uri: r.get("uri"),
            isco_code: r.get("isco_code"),
            label: r.get("label"),
            alt_labels: r.get("alt_labels"),
            label_en: r.get("label_en"),
            sector: r.get("sector"),
        })
        .collect())
    }

    /// The essential skills per occupation, as (occupation URI, skill id).
    pub async fn essential_skills(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = Query::new(
            "SELECT occupation_uri, skill_id FROM occupation_skills WHERE relation = 'essential'
             ORDER BY occupation_uri, skill_id",
        )
        .fetch_all(self)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}
