//! The API's contract: an OpenAPI 3.1 document generated from the handlers'
//! `#[utoipa::path]` annotations and the types they read and answer. The
//! error answers every operation can give are added here, by what the
//! operation takes (a token, a path id, a body), in one place, as
//! `uniform_errors` and the extractors produce them.

use utoipa::OpenApi;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::Server;
use utoipa::openapi::{Components, Ref, RefOr, Required};

use super::problem::Problem;

/// The API contract's version. Its major is the `v1` in `/api/v1`: additions
/// raise the minor, and a breaking change gets a new major under a new path.
pub const API_VERSION_NUMBER: &str = "1.0.0";
/// Where the API lives; the document's paths are relative to it.
pub const API_BASE: &str = "/api/v1";
/// The security scheme's name, as the handlers' `security(("bearer" = []))` spell it.
const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Banenlift API",
        description = "Vacancies and training offers in Den Haag, matched to residents by skills and by \
            distance to their wijk, and the per-wijk lift report. Errors are `application/problem+json` \
            with a stable `code`. Every answer carries an `API-Version` header. \
            A human-readable reference is at `/api/docs`.",
    ),
    tags(
        (name = "vacancies", description = "Vacatures: employers' openings"),
        (name = "trainings", description = "Opleidingen: training offers"),
        (name = "residents", description = "Profiles of jobseekers, and their matches (personal data)"),
        (name = "privacy", description = "Consent, the views log and the own-data export (AVG/GDPR)"),
        (name = "contact", description = "Contact between an employer and a consenting candidate"),
        (name = "outcomes", description = "What became of matches and training routes"),
        (name = "lift", description = "The lift report per wijk, for analysts"),
        (name = "wijken", description = "Den Haag's wijken"),
        (name = "skills", description = "The skills vocabulary"),
    ),
    components(schemas(Problem))
)]
struct Base;

/// The document's fixed parts, before the routes add their operations.
pub fn base() -> utoipa::openapi::OpenApi {
    Base::openapi()
}

/// The finished document: version, server, security scheme and the shared
/// error answers added to what the routes declared.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    doc.info.version = API_VERSION_NUMBER.to_string();
    // utoipa copies Cargo.toml's license, and the project has none.
    doc.info.license = None;
    doc.servers = Some(vec![Server::new(API_BASE)]);
    let components = doc.components.get_or_insert_with(Components::new);
    components.security_schemes.insert(
        BEARER.to_string(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "An API token from `banenlift user add` or `banenlift user token create`.",
                ))
                .build(),
        )
        .into(),
    );
    for error in ERRORS {
        components
            .responses
            .insert(error.name.to_string(), error.response());
    }
    for item in doc.paths.paths.values_mut() {
        let operations = [
            (&mut item.get, false),
            (&mut item.put, false),
            (&mut item.post, true),
            (&mut item.delete, false),
        ];
        for (operation, is_post) in operations {
            let Some(operation) = operation else { continue };
            add_errors(operation, is_post);
            if is_post {
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(RefOr::T(idempotency_key()));
            }
            for response in operation.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    response
                        .headers
                        .insert(VERSION_HEADER.to_string(), RefOr::T(version_header()));
                }
            }
        }
    }
    doc
}

const VERSION_HEADER: &str = "API-Version";

/// NL API Design Rules `/core/version-header`, on every answer.
fn version_header() -> Header {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .examples([API_VERSION_NUMBER]);
    HeaderBuilder::new()
        .schema(Some(schema))
        .description(Some("The full version of the API that answered"))
        .build()
}

/// Every POST may carry a key that makes a retry safe.
fn idempotency_key() -> utoipa::openapi::path::Parameter {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(255));
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Any unique text (a UUID, say). The same request with the same key within a day gets \
             the first answer again instead of making a second record.",
        ))
        .schema(Some(schema))
        .build()
}

/// An error answer shared by many operations, and which ones can give it.
struct SharedError {
    status: u16,
    name: &'static str,
    description: &'static str,
    given_to: GivenTo,
}

/// What an operation takes that makes an error possible.
#[derive(Clone, Copy)]
enum GivenTo {
    /// Any request can be malformed, slow or oversized.
    Every,
    /// A token can be missing or lack the role.
    Secured,
    /// A path id can name nothing.
    PathId,
    /// A body can be wrong or too large.
    Body,
    /// A POST's idempotency key can clash; a change can meet a conflict.
    PostOrBody,
}

impl SharedError {
    fn response(&self) -> RefOr<utoipa::openapi::Response> {
        let problem = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build();
        RefOr::T(
            ResponseBuilder::new()
                .description(self.description)
                .header(VERSION_HEADER, version_header())
                .content("application/problem+json", problem)
                .build(),
        )
    }
}

const fn shared(
    status: u16,
    name: &'static str,
    given_to: GivenTo,
    description: &'static str,
) -> SharedError {
    SharedError {
        status,
        name,
        description,
        given_to,
    }
}

const ERRORS: [SharedError; 10] = [
    shared(
        400,
        "BadRequest",
        GivenTo::Every,
        "The request cannot be read: a query parameter that is unknown or out of range, malformed JSON, 
         no JSON content type (JSON-LD for a posted vacancy), or two Authorization headers",
    ),
    shared(401, "Unauthorized", GivenTo::Secured, "No valid bearer token"),
    shared(
        403,
        "Forbidden",
        GivenTo::Secured,
        "The token's role may not do this",
    ),
    shared(
        404,
        "NotFound",
        GivenTo::PathId,
        "Nothing with this id, or nothing the caller may see: the two read the same",
    ),
    shared(
        409,
        "Conflict",
        GivenTo::PostOrBody,
        "The change conflicts with the current state, or the first request with this Idempotency-Key \
         is still running",
    ),
    shared(
        408,
        "RequestTimeout",
        GivenTo::Every,
        "The request took longer than 30 seconds",
    ),
    shared(
        413,
        "PayloadTooLarge",
        GivenTo::Body,
        "The body is larger than 1 MiB",
    ),
    shared(
        414,
        "UriTooLong",
        GivenTo::Every,
        "The address is longer than 8 KiB",
    ),
    shared(
        422,
        "ValidationFailed",
        GivenTo::Body,
        "Fields are missing, unknown or wrong (see `errors`), or the Idempotency-Key was used for \
         another request",
    ),
    shared(
        431,
        "HeadersTooLarge",
        GivenTo::Every,
        "More than 100 header lines or 32 KiB of headers",
    ),
];

/// The shared errors an operation can answer, besides its own.
fn add_errors(operation: &mut Operation, is_post: bool) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_path_id = operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| matches!(parameter, RefOr::T(p) if p.parameter_in == ParameterIn::Path));
    let has_body = operation.request_body.is_some();
    for error in &ERRORS {
        let applies = match error.given_to {
            GivenTo::Every => true,
            GivenTo::Secured => secured,
            GivenTo::PathId => has_path_id,
            GivenTo::Body => has_body,
            GivenTo::PostOrBody => is_post || has_body,
        };
        if applies {
            operation
                .responses
                .responses
                .entry(error.status.to_string())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(error.name)));
        }
    }
}
