//! Reading a Bot API request's parameters the way the real server does: from the query string
//! and from a JSON, `application/x-www-form-urlencoded` or `multipart/form-data` body, into one
//! map. teloxide sends most methods as JSON and `sendPhoto` / `sendMediaGroup` as multipart
//! (even when the photo is only a URL), with structured fields (`media`,
//! `link_preview_options`) as JSON strings inside text parts.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

/// How a request carried its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// No body: parameters, if any, came in the query string.
    Empty,
    Json,
    Form,
    Multipart,
}

/// An uploaded file part of a multipart body.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// One request's parameters.
#[derive(Debug, Clone)]
pub struct Params {
    pub kind: BodyKind,
    /// JSON bodies keep their values; form and multipart fields are strings.
    pub fields: Map<String, Value>,
    /// Multipart parts that carried a file name, by part name.
    pub files: HashMap<String, Upload>,
}

impl Params {
    /// Reads the query string and the body; the error is a Bot API description.
    pub async fn read(req: Request) -> Result<Params, String> {
        let mut fields = Map::new();
        if let Some(q) = req.uri().query() {
            for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
                fields.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut files = HashMap::new();
        let kind = if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(req, &())
                .await
                .map_err(|e| format!("Bad Request: can't parse multipart body: {e}"))?;
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|e| format!("Bad Request: can't parse multipart body: {e}"))?
            {
                let name = field.name().unwrap_or("").to_string();
                let file_name = field.file_name().map(str::to_string);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| format!("Bad Request: can't read multipart part: {e}"))?;
                match file_name {
                    Some(file_name) => {
                        files.insert(
                            name,
                            Upload {
                                file_name: Some(file_name),
                                bytes: bytes.to_vec(),
                            },
                        );
                    }
                    None => {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        fields.insert(name, Value::String(text));
                    }
                }
            }
            BodyKind::Multipart
        } else {
            let body = axum::body::to_bytes(req.into_body(), usize::MAX)
                .await
                .map_err(|e| format!("Bad Request: can't read body: {e}"))?;
            if body.is_empty() {
                BodyKind::Empty
            } else if content_type.starts_with("application/json") {
                let v: Value = serde_json::from_slice(&body)
                    .map_err(|_| "Bad Request: can't parse JSON request body".to_string())?;
                match v {
                    Value::Object(map) => fields.extend(map),
                    _ => return Err("Bad Request: JSON request body is not an object".into()),
                }
                BodyKind::Json
            } else {
                for (k, v) in url::form_urlencoded::parse(&body) {
                    fields.insert(k.into_owned(), Value::String(v.into_owned()));
                }
                BodyKind::Form
            }
        };
        Ok(Params {
            kind,
            fields,
            files,
        })
    }

    /// A parameter as text: strings as they are, numbers and booleans printed.
    pub fn str(&self, key: &str) -> Option<String> {
        match self.fields.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    pub fn i64(&self, key: &str) -> Option<i64> {
        match self.fields.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn bool(&self, key: &str) -> bool {
        match self.fields.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true" || s == "1",
            _ => false,
        }
    }

    /// A structured parameter: a JSON value in a JSON body, or JSON text in a form field.
    pub fn json(&self, key: &str) -> Option<Value> {
        match self.fields.get(key)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            other => Some(other.clone()),
        }
    }
}
