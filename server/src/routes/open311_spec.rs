//! The OpenAPI 3.1 description of `/open311/v2/`, served at `/open311/v2/openapi.json`.
//! The contract tests read it and check every method's answers against these field lists,
//! so it cannot drift from what the server does.

use serde_json::{json, Value};

fn string() -> Value {
    json!({"type": "string"})
}
fn nullable_string() -> Value {
    json!({"type": ["string", "null"]})
}
fn time() -> Value {
    json!({"type": "string", "format": "date-time", "description": "ISO 8601 with offset"})
}
fn list_of(schema: &str) -> Value {
    json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{schema}")}})
}

/// A method's answers: the list (or object) in both formats, and the standard errors.
/// Adds the answer to a conditional GET whose ETag still matches.
fn with_not_modified(mut responses: Value) -> Value {
    responses["304"] = json!({"description": "Not modified since the answer whose ETag was sent"});
    responses
}

fn answers(schema: Value, errors: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    out.insert(
        "200".into(),
        json!({
            "description": "OK",
            "content": {
                "application/json": {"schema": schema},
                "text/xml": {"schema": {"type": "string", "description": "the same fields as XML elements"}}
            }
        }),
    );
    for code in errors {
        let what = match *code {
            "400" => "bad input: the description names the parameter",
            "403" => "api_key missing or not valid",
            "404" => "no such resource",
            "429" => "too many requests: the description says when to try again",
            _ => "error",
        };
        out.insert(
            (*code).into(),
            json!({
                "description": what,
                "content": {"application/json": {"schema": list_of("Error")}}
            }),
        );
    }
    Value::Object(out)
}

fn query(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": description})
}

fn path(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
}

fn format() -> Value {
    json!({"name": "format", "in": "path", "required": true, "schema": {"type": "string", "enum": ["json", "xml"]}})
}

fn form_body(properties: Value, required: &[&str]) -> Value {
    json!({
        "required": true,
        "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": properties, "required": required
        }}}
    })
}

/// The whole document, with `base` as the server URL.
pub fn document(base: &str) -> String {
    let locale = query("locale", "zh or en (else Accept-Language, else zh)");
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Gongzhi Open311 GeoReport v2",
            "version": "v2",
            "description": "Open311 GeoReport v2 with the servicerequestupdates extension. Every method answers in JSON or XML by its suffix. GETs are public; POSTs need an api_key issued by the city's administrators."
        },
        "servers": [{"url": base}],
        "paths": {
            "/discovery.{format}": {"get": {
                "operationId": "discovery",
                "parameters": [format()],
                "responses": answers(json!({"$ref": "#/components/schemas/Discovery"}), &[])
            }},
            "/services.{format}": {"get": {
                "operationId": "services",
                "parameters": [format(), locale.clone(), query("jurisdiction_id", "accepted and ignored: one jurisdiction")],
                "responses": answers(list_of("Service"), &[])
            }},
            "/services/{service_code}.{format}": {"get": {
                "operationId": "serviceDefinition",
                "parameters": [path("service_code"), format(), locale.clone()],
                "responses": answers(json!({"$ref": "#/components/schemas/ServiceDefinition"}), &["404"])
            }},
            "/requests.{format}": {
                "get": {
                    "operationId": "requests",
                    "parameters": [
                        format(), locale.clone(),
                        query("service_request_id", "comma-separated ids; overrides every other filter"),
                        query("service_code", "comma-separated service codes"),
                        query("start_date", "ISO 8601; default 90 days before end_date"),
                        query("end_date", "ISO 8601; default now; the span is at most 90 days"),
                        query("status", "open, closed, or both (comma-separated)"),
                        query("page", "1 and up"),
                        query("page_size", "1 to 1000 (default 1000)"),
                        {"name": "If-None-Match", "in": "header", "required": false, "schema": {"type": "string"},
                         "description": "the ETag of an earlier answer: 304 when nothing it shows has changed"}
                    ],
                    "responses": with_not_modified(answers(list_of("ServiceRequest"), &["400"]))
                },
                "post": {
                    "operationId": "createRequest",
                    "parameters": [format()],
                    "requestBody": form_body(json!({
                        "api_key": string(), "service_code": string(), "lat": string(), "long": string(),
                        "address_string": string(), "address_id": string(), "description": string(),
                        "email": string(), "device_id": string(), "account_id": string(), "first_name": string(),
                        "last_name": string(), "phone": string(), "media_url": string(), "jurisdiction_id": string(),
                        "attribute[code]": {"type": "string", "description": "an answer to the service definition's attribute `code`; multivaluelist answers as attribute[code][]. attribute[gongzhi_ref] makes a post idempotent: the same reference from the same key is the same request"}
                    }), &["api_key", "service_code"]),
                    "responses": answers(list_of("Created"), &["400", "403", "429"])
                }
            },
            "/requests/{service_request_id}.{format}": {"get": {
                "operationId": "request",
                "parameters": [path("service_request_id"), format(), locale],
                "responses": answers(list_of("ServiceRequest"), &["404"])
            }},
            "/tokens/{token}.{format}": {"get": {
                "operationId": "token",
                "parameters": [path("token"), format()],
                "responses": answers(list_of("Token"), &["404"])
            }},
            "/servicerequestupdates.{format}": {
                "get": {
                    "operationId": "updates",
                    "parameters": [
                        format(),
                        query("api_key", "optional; when given it must be valid, and updates posted with it are left out"),
                        query("start_date", "ISO 8601; default one day before end_date"),
                        query("end_date", "ISO 8601; default now; the span is at most 90 days"),
                        query("service_request_id", "comma-separated ids (extension)")
                    ],
                    "responses": answers(list_of("RequestUpdate"), &["400", "403"])
                },
                "post": {
                    "operationId": "postUpdate",
                    "description": "Where this server is the case system (the built-in workflow), the poster speaks for the resident: a description with the request's current status (or OPEN) is the reporter's follow-up, REOPEN reopens a closed request for another round, and any other status is refused with 400 because the workflow sets it. Where an external case system handles the reports, it may post any status here. Updates a key posted are not listed back to that key.",
                    "parameters": [format()],
                    "requestBody": form_body(json!({
                        "api_key": string(), "service_request_id": string(), "update_id": string(),
                        "status": {"type": "string", "description": "OPEN, CLOSED, FIXED, IN_PROGRESS, ACTION_SCHEDULED, INVESTIGATING, DUPLICATE, NOT_COUNCILS_RESPONSIBILITY, NO_FURTHER_ACTION, INTERNAL_REFERRAL, REOPEN, FOR_TRIAGE"},
                        "updated_datetime": string(), "description": string(), "media_url": string(),
                        "email": string(), "first_name": string(), "last_name": string()
                    }), &["api_key", "service_request_id", "update_id", "status"]),
                    "responses": answers(list_of("PostedUpdate"), &["400", "403", "404", "429"])
                }
            }
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["code", "description"], "properties": {
                "code": {"type": "integer"}, "description": string()
            }},
            "Discovery": {"type": "object", "required": ["changeset", "contact", "key_service", "endpoints"], "properties": {
                "changeset": time(), "contact": string(), "key_service": string(),
                "endpoints": {"type": "array", "items": {"type": "object",
                    "required": ["specification", "url", "changeset", "type", "formats"],
                    "properties": {
                        "specification": string(), "url": string(), "changeset": time(),
                        "type": {"type": "string", "enum": ["production", "test"]},
                        "formats": {"type": "array", "items": string()}
                    }}}
            }},
            "Service": {"type": "object",
                "required": ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
                "properties": {
                    "service_code": string(), "service_name": string(), "description": string(),
                    "metadata": {"type": "boolean"},
                    "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                    "keywords": {"type": "string", "description": "comma-separated"}, "group": string()
                }},
            "ServiceDefinition": {"type": "object", "required": ["service_code", "attributes"], "properties": {
                "service_code": string(),
                "attributes": {"type": "array", "items": {"type": "object",
                    "required": ["variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"],
                    "properties": {
                        "variable": {"type": "boolean"}, "code": string(),
                        "datatype": {"type": "string", "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
                        "required": {"type": "boolean"}, "datatype_description": string(),
                        "order": {"type": "integer"}, "description": string(),
                        "values": {"type": "array", "items": {"type": "object", "required": ["key", "name"],
                            "properties": {"key": string(), "name": string()}}}
                    }}}
            }},
            "ServiceRequest": {"type": "object",
                "required": ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
                    "address", "address_id", "zipcode", "lat", "long", "media_url"],
                "properties": {
                    "service_request_id": string(),
                    "status": {"type": "string", "enum": ["open", "closed"]},
                    "status_notes": nullable_string(), "service_name": string(), "service_code": string(),
                    "description": string(), "agency_responsible": string(), "service_notice": nullable_string(),
                    "requested_datetime": time(), "updated_datetime": time(),
                    "expected_datetime": {"type": ["string", "null"], "format": "date-time"},
                    "address": nullable_string(), "address_id": nullable_string(), "zipcode": nullable_string(),
                    "lat": {"type": "number"}, "long": {"type": "number"}, "media_url": nullable_string()
                }},
            "Created": {"type": "object", "required": ["service_request_id", "token", "service_notice", "account_id"], "properties": {
                "service_request_id": string(), "token": string(), "service_notice": string(), "account_id": nullable_string()
            }},
            "Token": {"type": "object", "required": ["service_request_id", "token"], "properties": {
                "service_request_id": string(), "token": string()
            }},
            "RequestUpdate": {"type": "object",
                "required": ["update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"],
                "properties": {
                    "update_id": string(), "service_request_id": string(),
                    "status": {"type": "string", "enum": ["open", "closed", "fixed", "in_progress", "action_scheduled", "investigating",
                        "duplicate", "not_councils_responsibility", "no_further_action", "internal_referral", "reopen", "for_triage"]},
                    "updated_datetime": time(), "description": string(), "media_url": nullable_string()
                }},
            "PostedUpdate": {"type": "object", "required": ["update_id"], "properties": {"update_id": string()}}
        }}
    });
    doc.to_string()
}
