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
pub const BEARER: &str = "bearer";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Banenlift API",
        description = "Vacancies and training offers in Den Haag, matched to residents by skills and by \
            distance to their wijk, and the per-wijk lift report. Errors are `application/problem+json` \
            with a stable `code`. Every answer carries an `API-Version` header. \
            A human-readable reference is at `/api/docs`.",
        license(name = "EUPL-1.2"),
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
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete];
        for (operation, is_post) in operations.into_iter().zip([false, false, true, false]) {
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

/// An error answer shared by many operations.
struct SharedError {
    status: u16,
    name: &'static str,
    description: &'static str,
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

const fn shared(status: u16, name: &'static str, description: &'static str) -> SharedError {
    SharedError {
        status,
        name,
        description,
    }
}

const BAD_REQUEST: SharedError = shared(
    400,
    "BadRequest",
    "The request cannot be read: a query parameter that is unknown or out of range, malformed JSON, \
     no JSON content type, or two Authorization headers",
);
const UNAUTHORIZED: SharedError = shared(401, "Unauthorized", "No valid bearer token");
const FORBIDDEN: SharedError = shared(403, "Forbidden", "The token's role may not do this");
const NOT_FOUND: SharedError = shared(
    404,
    "NotFound",
    "Nothing with this id, or nothing the caller may see: the two read the same",
);
const CONFLICT: SharedError = shared(
    409,
    "Conflict",
    "The change conflicts with the current state, or the first request with this Idempotency-Key \
     is still running",
);
const TIMEOUT: SharedError = shared(408, "RequestTimeout", "The request took longer than 30 seconds");
const TOO_LARGE: SharedError = shared(413, "PayloadTooLarge", "The body is larger than 1 MiB");
const URI_TOO_LONG: SharedError = shared(414, "UriTooLong", "The address is longer than 8 KiB");
const UNPROCESSABLE: SharedError = shared(
    422,
    "ValidationFailed",
    "Fields are missing, unknown or wrong (see `errors`), or the Idempotency-Key was used for \
     another request",
);
const HEADERS_TOO_LARGE: SharedError = shared(
    431,
    "HeadersTooLarge",
    "More than 100 header lines or 32 KiB of headers",
);

const ERRORS: [SharedError; 10] = [
    BAD_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    TIMEOUT,
    TOO_LARGE,
    URI_TOO_LONG,
    UNPROCESSABLE,
    HEADERS_TOO_LARGE,
];

/// The errors an operation can answer besides its own: any request can be
/// malformed, slow or oversized; a token can be missing or lack the role; a
/// path id can name nothing; a body can be wrong; a POST's key can clash.
fn add_errors(operation: &mut Operation, is_post: bool) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_path_id = operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| matches!(parameter, RefOr::T(p) if p.parameter_in == ParameterIn::Path));
    let has_body = operation.request_body.is_some();
    let applies = [
        (&BAD_REQUEST, true),
        (&UNAUTHORIZED, secured),
        (&FORBIDDEN, secured),
        (&NOT_FOUND, has_path_id),
        (&CONFLICT, is_post || has_body),
        (&TIMEOUT, true),
        (&TOO_LARGE, has_body),
        (&URI_TOO_LONG, true),
        (&UNPROCESSABLE, has_body),
        (&HEADERS_TOO_LARGE, true),
    ];
    for (error, applies) in applies {
        if applies {
            operation
                .responses
                .responses
                .entry(error.status.to_string())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(error.name)));
        }
    }
}
