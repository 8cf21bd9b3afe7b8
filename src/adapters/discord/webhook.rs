//! Which webhook URLs paperboy accepts: only Discord's own, so it never posts to an arbitrary
//! host.
//!
//! A webhook subscription is a URL someone pastes on the command line, and every morning
//! paperboy POSTs a digest to it. Left unchecked that is a way to make paperboy send requests
//! anywhere, so a URL is accepted only when it is an execute-webhook URL on one of Discord's
//! hosts (`discord.com`, `discordapp.com` and their `canary.`/`ptb.` variants), or, when
//! `discord.api_url` is set, under that URL (how tests point paperboy at a fake). The same
//! check runs again before every send, so a URL that entered the store some other way (an
//! import, an older version) is still refused.
//!
//! A webhook URL is a credential (anyone holding it can post to the channel), so error
//! messages show its shape, never its token.

use url::Url;

use crate::domain::ChatRef;

/// The hosts Discord serves webhooks from.
const DISCORD_HOSTS: &[&str] = &[
    "discord.com",
    "discordapp.com",
    "canary.discord.com",
    "ptb.discord.com",
    "canary.discordapp.com",
    "ptb.discordapp.com",
];

/// What the canonical form of a Discord-hosted webhook starts with.
const CANONICAL_BASE: &str = "https://discord.com/api/webhooks/";

/// A webhook URL paperboy refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("not a URL ({reason}); a Discord webhook looks like https://discord.com/api/webhooks/ID/TOKEN")]
    NotUrl { reason: String },
    #[error("the webhook URL must use https, not {scheme}")]
    Scheme { scheme: String },
    #[error("{host} is not a Discord host; paperboy only posts to webhooks on discord.com (https://discord.com/api/webhooks/ID/TOKEN)")]
    Host { host: String },
    #[error("the webhook URL must not carry a user name, password or port")]
    Authority,
    #[error("not a webhook URL: expected the path /api/webhooks/ID/TOKEN, got {path}")]
    Path { path: String },
    #[error("the webhook id {id:?} is not a number")]
    Id { id: String },
    #[error("the webhook token is missing or has characters Discord never uses")]
    Token,
    #[error("the webhook URL may only carry ?thread_id=ID, not {query:?}")]
    Query { query: String },
}

/// A webhook's parts, from the path after the host (or after `discord.api_url`).
struct Parts {
    id: u64,
    token: String,
    thread_id: Option<u64>,
}

/// Checks that `url` is a Discord execute-webhook URL and gives its chat.
///
/// Accepted: `https://discord.com/api/webhooks/{id}/{token}` on any of Discord's hosts, with
/// an optional API version (`/api/v10/webhooks/..`) and an optional `?thread_id=ID` (post
/// into a thread of the webhook's channel); and, when `api_url` is set, the same path under
/// it. Discord-hosted URLs come back in one canonical form
/// (`https://discord.com/api/webhooks/{id}/{token}`), so one webhook is one subscription
/// however it was written.
pub fn parse_webhook(url: &str, api_url: Option<&Url>) -> Result<ChatRef, WebhookError> {
    let trimmed = url.trim();
    let parsed = Url::parse(trimmed).map_err(|e| WebhookError::NotUrl {
        reason: e.to_string(),
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(WebhookError::Authority);
    }
    if parsed.fragment().is_some() {
        return Err(WebhookError::Path {
            path: "a #fragment".to_string(),
        });
    }
    if let Some(base) = api_url.filter(|base| is_under(&parsed, base)) {
        let rest = &parsed.path()[base.path().len()..];
        let parts = parts(rest, parsed.query())?;
        let mut url = base
            .join(&format!("api/webhooks/{}/{}", parts.id, parts.token))
            .map_err(|e| WebhookError::NotUrl {
                reason: e.to_string(),
            })?;
        if let Some(thread) = parts.thread_id {
            url.query_pairs_mut()
                .append_pair("thread_id", &thread.to_string());
        }
        return Ok(ChatRef::DiscordWebhook { url: url.into() });
    }
    if parsed.scheme() != "https" {
        return Err(WebhookError::Scheme {
            scheme: parsed.scheme().to_string(),
        });
    }
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    if !DISCORD_HOSTS.contains(&host) {
        return Err(WebhookError::Host {
            host: host.to_string(),
        });
    }
    // `Url` drops the default port, so any port left is a non-standard one.
    if parsed.port().is_some() {
        return Err(WebhookError::Authority);
    }
    let parts = parts(parsed.path(), parsed.query())?;
    let mut canonical = format!("{CANONICAL_BASE}{}/{}", parts.id, parts.token);
    if let Some(thread) = parts.thread_id {
        canonical.push_str(&format!("?thread_id={thread}"));
    }
    Ok(ChatRef::DiscordWebhook { url: canonical })
}

/// Same origin as `base` and a path inside it.
fn is_under(url: &Url, base: &Url) -> bool {
    url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.path().starts_with(base.path())
}

/// `/api[/vN]/webhooks/{id}/{token}` (the leading slash optional) and the query.
fn parts(path: &str, query: Option<&str>) -> Result<Parts, WebhookError> {
    let bad_path = || WebhookError::Path {
        path: redacted(path),
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let rest = match segments.as_slice() {
        ["api", "webhooks", rest @ ..] => rest,
        ["api", version, "webhooks", rest @ ..] if is_api_version(version) => rest,
        _ => return Err(bad_path()),
    };
    let (id, token) = match rest {
        [id, token] | [id, token, ""] => (*id, *token),
        _ => return Err(bad_path()),
    };
    let id = match id.parse::<u64>() {
        Ok(id) if id > 0 => id,
        _ => return Err(WebhookError::Id { id: id.to_string() }),
    };
    let token_ok = !token.is_empty()
        && token.len() <= 256
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !token_ok {
        return Err(WebhookError::Token);
    }
    let thread_id = match query.filter(|q| !q.is_empty()) {
        None => None,
        Some(q) => match q.split_once('=') {
            Some(("thread_id", value)) => match value.parse::<u64>() {
                Ok(thread) if thread > 0 => Some(thread),
                _ => {
                    return Err(WebhookError::Query {
                        query: q.to_string(),
                    })
                }
            },
            _ => {
                return Err(WebhookError::Query {
                    query: q.to_string(),
                })
            }
        },
    };
    Ok(Parts {
        id,
        token: token.to_string(),
        thread_id,
    })
}

fn is_api_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A webhook path with its token replaced, for messages and logs.
pub(crate) fn redacted(path: &str) -> String {
    match path.find("/webhooks/") {
        Some(at) => {
            let (head, tail) = path.split_at(at + "/webhooks/".len());
            match tail.split_once('/') {
                Some((id, _)) => format!("{head}{id}/***"),
                None => path.to_string(),
            }
        }
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(url: &str) -> String {
        match parse_webhook(url, None) {
            Ok(ChatRef::DiscordWebhook { url }) => url,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn discord_hosts_are_accepted_in_one_canonical_form() {
        let canonical = "https://discord.com/api/webhooks/123/abc-DEF_9";
        for url in [
            "https://discord.com/api/webhooks/123/abc-DEF_9",
            " https://discord.com/api/webhooks/123/abc-DEF_9/ ",
            "https://discordapp.com/api/webhooks/123/abc-DEF_9",
            "https://canary.discord.com/api/webhooks/123/abc-DEF_9",
            "https://ptb.discord.com/api/v10/webhooks/123/abc-DEF_9",
            "https://DISCORD.com/api/webhooks/123/abc-DEF_9",
            "https://discord.com:443/api/webhooks/123/abc-DEF_9",
        ] {
            assert_eq!(ok(url), canonical, "{url}");
        }
        assert_eq!(
            ok("https://discord.com/api/webhooks/123/tok?thread_id=77"),
            "https://discord.com/api/webhooks/123/tok?thread_id=77"
        );
    }

    #[test]
    fn the_canonical_form_is_a_chat_ref_that_round_trips() {
        let chat = parse_webhook("https://discordapp.com/api/webhooks/9/t", None).unwrap();
        assert_eq!(ChatRef::parse(&chat.to_string()).unwrap(), chat);
    }

    #[test]
    fn other_hosts_and_shapes_are_refused_with_a_reason() {
        for (url, needle) in [
            (
                "https://evil.example/api/webhooks/1/t",
                "not a Discord host",
            ),
            (
                "https://discord.com.evil.example/api/webhooks/1/t",
                "not a Discord host",
            ),
            (
                "https://evildiscord.com/api/webhooks/1/t",
                "not a Discord host",
            ),
            ("http://discord.com/api/webhooks/1/t", "must use https"),
            ("https://discord.com:8443/api/webhooks/1/t", "port"),
            ("https://user:pw@discord.com/api/webhooks/1/t", "user name"),
            (
                "https://discord.com/api/channels/1/messages",
                "expected the path",
            ),
            ("https://discord.com/api/webhooks/1", "expected the path"),
            (
                "https://discord.com/api/webhooks/1/t/extra",
                "expected the path",
            ),
            ("https://discord.com/api/webhooks/abc/t", "not a number"),
            ("https://discord.com/api/webhooks/0/t", "not a number"),
            ("https://discord.com/api/webhooks/1/t%20x", "token"),
            (
                "https://discord.com/api/webhooks/1/t?wait=true",
                "thread_id",
            ),
            (
                "https://discord.com/api/webhooks/1/t?thread_id=x",
                "thread_id",
            ),
            ("https://discord.com/api/webhooks/1/t#frag", "fragment"),
            ("discord.com/api/webhooks/1/t", "not a URL"),
            ("", "not a URL"),
            ("ftp://discord.com/api/webhooks/1/t", "https"),
        ] {
            let err = parse_webhook(url, None).unwrap_err().to_string();
            assert!(err.contains(needle), "{url}: {err}");
        }
    }

    #[test]
    fn errors_never_show_the_token() {
        let err = parse_webhook("https://discord.com/api/webhooks/1/secret-token/x", None)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("secret-token"), "{err}");
        assert!(err.contains("/api/webhooks/1/***"), "{err}");
    }

    #[test]
    fn urls_under_the_configured_api_url_are_accepted_only_when_it_is_set() {
        let fake = Url::parse("http://127.0.0.1:4000/").unwrap();
        let url = "http://127.0.0.1:4000/api/webhooks/5/tok";
        assert_eq!(
            parse_webhook(url, Some(&fake)).unwrap(),
            ChatRef::DiscordWebhook {
                url: url.to_string()
            }
        );
        assert!(parse_webhook(url, None).is_err());
        // Another port on the same host is another server.
        let other = "http://127.0.0.1:4001/api/webhooks/5/tok";
        assert!(parse_webhook(other, Some(&fake)).is_err());
        // Discord's hosts stay accepted when a fake is configured.
        assert!(parse_webhook("https://discord.com/api/webhooks/5/tok", Some(&fake)).is_ok());

        let prefixed = Url::parse("http://127.0.0.1:4000/discord/").unwrap();
        assert_eq!(
            parse_webhook(
                "http://127.0.0.1:4000/discord/api/webhooks/5/tok?thread_id=8",
                Some(&prefixed)
            )
            .unwrap()
            .to_string(),
            "discord-webhook:http://127.0.0.1:4000/discord/api/webhooks/5/tok?thread_id=8"
        );
        assert!(
            parse_webhook("http://127.0.0.1:4000/api/webhooks/5/tok", Some(&prefixed)).is_err()
        );
    }
}
