//! Start-up refuses weakened durability (DUR-2), without touching the server's configuration:
//! the checking function is fed injected values, and a session-level `synchronous_commit=off`
//! (set through the connection URL, as an operator might by mistake) is refused end to end.

use crate::support::{TestDb, with_database};
use cadence_store_postgres::{ConnectError, DurabilitySettings, PgStore};

fn server_defaults() -> DurabilitySettings {
    DurabilitySettings {
        fsync: "on".into(),
        full_page_writes: "on".into(),
        synchronous_commit: "on".into(),
        data_checksums: "off".into(),
    }
}

#[test]
fn each_weakened_setting_is_refused_naming_it() {
    assert_eq!(server_defaults().check(), Ok(()));
    let fsync = DurabilitySettings {
        fsync: "off".into(),
        ..server_defaults()
    };
    let pages = DurabilitySettings {
        full_page_writes: "off".into(),
        ..server_defaults()
    };
    let commit = DurabilitySettings {
        synchronous_commit: "off".into(),
        ..server_defaults()
    };
    for (settings, name) in [
        (fsync, "fsync"),
        (pages, "full_page_writes"),
        (commit, "synchronous_commit"),
    ] {
        let err = settings.check().unwrap_err();
        assert_eq!(err.setting, name);
        let message = ConnectError::from(err).to_string();
        assert!(
            message.contains(name) && message.contains("off"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn a_session_with_synchronous_commit_off_is_refused_before_migrating() {
    let Some(db) = TestDb::create().await else {
        return;
    };
    let separator = if db.url.contains('?') { '&' } else { '?' };
    let weak = format!("{}{separator}options=-c%20synchronous_commit%3Doff", db.url);
    let err = PgStore::connect(&weak).await.unwrap_err();
    match &err {
        ConnectError::Durability(e) => {
            assert_eq!(e.setting, "synchronous_commit");
            assert_eq!(e.value, "off");
        }
        other => panic!("expected a durability refusal, got {other}"),
    }
    // Nothing was migrated: the refusal comes first.
    let mut raw = db.raw().await;
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    .fetch_one(&mut raw)
    .await
    .unwrap();
    assert_eq!(tables, 0);
    drop(raw);

    // The same database with the server's own (safe) settings starts.
    let store = db.store().await;
    store.close().await;
}

#[tokio::test]
async fn only_postgres_urls_are_accepted() {
    for url in [
        "sqlite:///tmp/cadence.db",
        "mysql://root@127.0.0.1/cadence",
        "127.0.0.1:5432",
        "",
    ] {
        assert!(
            matches!(PgStore::connect(url).await, Err(ConnectError::Scheme)),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_refusal_never_shows_the_password() {
    let Ok(admin) = std::env::var("CADENCE_TEST_DATABASE_URL") else {
        eprintln!("note: CADENCE_TEST_DATABASE_URL is not set; skipping a PostgreSQL test");
        return;
    };
    // A database that does not exist fails at once (a refused connection would be retried
    // until the pool's timeout, as it is while a server starts up).
    let missing = with_database(&admin, "cadence_no_such_database");
    let (scheme, rest) = missing.split_once("://").unwrap();
    let (userinfo, host) = rest.split_once('@').unwrap_or(("postgres", rest));
    let (url, password) = match userinfo.split_once(':') {
        Some((_, password)) => (missing.clone(), password.to_owned()),
        None => (
            format!("{scheme}://{userinfo}:s3cret-pw@{host}"),
            "s3cret-pw".to_owned(),
        ),
    };
    let err = PgStore::connect(&url).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ConnectError::Connect(_)), "{text}");
    assert!(!text.contains(&password), "{text}");
}
