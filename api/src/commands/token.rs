//! `benefits token`: prints a signed JWT for local use.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};

use benefits_domain::auth::Role;

use crate::app::App;
use crate::config::Config;

/// Parses `30s`, `15m`, `1h` or `2d`.
pub fn parse_ttl(text: &str) -> anyhow::Result<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .with_context(|| format!("ttl {text:?} has no number"))?;
    let seconds = match unit {
        "s" | "" => number,
        "m" => number * 60,
        "h" => number * 3_600,
        "d" => number * 86_400,
        _ => bail!("ttl unit {unit:?} is not s, m, h or d"),
    };
    if seconds == 0 {
        bail!("ttl must be positive");
    }
    Ok(Duration::from_secs(seconds))
}

/// The token's subject for the role, from the flags that name it.
fn subject(
    role: Role,
    customer: Option<String>,
    store: Option<String>,
    staff: Option<String>,
) -> anyhow::Result<String> {
    match role {
        Role::Customer => customer.context("a CUSTOMER token needs --customer EXTERNAL_ID"),
        Role::PartnerStore => store.context("a PARTNER_STORE token needs --store EXTERNAL_ID"),
        Role::Agent => Ok(staff.unwrap_or_else(|| "dev-agent".to_owned())),
        Role::Admin => Ok(staff.unwrap_or_else(|| "dev-admin".to_owned())),
    }
}

pub async fn run(
    config: Config,
    role: Role,
    customer: Option<String>,
    store: Option<String>,
    staff: Option<String>,
    ttl: &str,
) -> anyhow::Result<ExitCode> {
    let ttl = parse_ttl(ttl)?;
    let subject = subject(role, customer, store, staff)?;
    let app = App::build(config).await?;
    let token = app.tokens.issue(role, &subject, ttl)?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_written_with_a_unit() {
        assert_eq!(parse_ttl("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_ttl("15m").unwrap(), Duration::from_mins(15));
        assert_eq!(parse_ttl("1h").unwrap(), Duration::from_hours(1));
        assert!(parse_ttl("1w").is_err());
        assert!(parse_ttl("h").is_err());
        assert!(parse_ttl("0s").is_err());
    }

    #[test]
    fn a_customer_token_must_name_the_customer() {
        assert!(subject(Role::Customer, None, None, None).is_err());
        assert_eq!(
            subject(Role::Customer, Some("C-1".into()), None, None).unwrap(),
            "C-1"
        );
        assert_eq!(subject(Role::Agent, None, None, None).unwrap(), "dev-agent");
    }
}
