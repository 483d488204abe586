//! Login sessions, password changes and disabling users.

use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::records::*;

async fn login(s: &dyn Store, user: &crate::records::User, token: &str) -> AuthSession {
    s.create_auth_session(
        NewAuthSession {
            token_hash: token.to_owned(),
            user_id: user.id,
            kind: AuthSessionKind::Browser,
            csrf_hash: Some(format!("csrf-{token}")),
            created_at: at(10),
        },
        event(Some(user), AuditAction::Login, ObjectType::User, None),
    )
    .await
    .unwrap()
}

/// A new password replaces the hash, sets the one-time flag as asked, and ends every other
/// session of the user except the one named.
pub async fn set_password_ends_other_sessions(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let user = a.clinician.clone();
    let other = add_user(s, &a.clinic, "other@a.test", Role::Nurse).await;
    for token in ["t1", "t2", "t3"] {
        login(s, &user, token).await;
    }
    login(s, &other, "other-t").await;

    let before = last_seq(s).await;
    s.set_password(
        user.id,
        "$argon2id$new",
        false,
        Some("t2"),
        update(&user, ObjectType::User, user.id),
    )
    .await
    .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        ObjectType::User,
        Some(user.id.to_string()),
        None,
    );
    let stored = s.get_user(user.id).await.unwrap();
    assert_eq!(stored.password_hash, "$argon2id$new");
    assert!(!stored.must_change_password);
    assert!(s.get_auth_session("t2").await.is_ok());
    assert_not_found(s.get_auth_session("t1").await, "ended session t1");
    assert_not_found(s.get_auth_session("t3").await, "ended session t3");
    assert!(
        s.get_auth_session("other-t").await.is_ok(),
        "another user's session is untouched"
    );

    s.set_password(
        user.id,
        "$argon2id$reset",
        true,
        None,
        update(&user, ObjectType::User, user.id),
    )
    .await
    .unwrap();
    let stored = s.get_user(user.id).await.unwrap();
    assert!(stored.must_change_password);
    assert_not_found(s.get_auth_session("t2").await, "every session ended");

    let before = last_seq(s).await;
    assert_not_found(
        s.set_password(
            crate::ids::UserId(user.id.0 + 1000),
            "h",
            false,
            None,
            update(&user, ObjectType::User, user.id.0 + 1000),
        )
        .await,
        "password of an unknown user",
    );
    no_new_audit(s, before).await;
}

/// Disabling a user (from their own clinic) ends all their sessions; another clinic cannot.
pub async fn disabling_a_user_ends_their_sessions(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let admin = add_user(s, &a.clinic, "admin@a.test", Role::Admin).await;
    let nurse = add_user(s, &a.clinic, "nurse@a.test", Role::Nurse).await;
    login(s, &nurse, "n1").await;
    login(s, &nurse, "n2").await;

    let before = last_seq(s).await;
    assert_not_found(
        s.update_user_access(
            b.clinic.id,
            nurse.id,
            Role::Admin,
            false,
            event(
                Some(&b.clinician),
                AuditAction::PrivilegeChange,
                ObjectType::User,
                Some(nurse.id.to_string()),
            ),
        )
        .await,
        "another clinic's user",
    );
    no_new_audit(s, before).await;
    assert_eq!(s.get_user(nurse.id).await.unwrap(), nurse);
    assert!(s.get_auth_session("n1").await.is_ok());

    let promoted = s
        .update_user_access(
            a.clinic.id,
            nurse.id,
            Role::Clinician,
            false,
            event(
                Some(&admin),
                AuditAction::PrivilegeChange,
                ObjectType::User,
                Some(nurse.id.to_string()),
            ),
        )
        .await
        .unwrap();
    assert_eq!(promoted.role, Role::Clinician);
    assert!(!promoted.disabled);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::PrivilegeChange,
        ObjectType::User,
        Some(nurse.id.to_string()),
        None,
    );

    let before = last_seq(s).await;
    let disabled = s
        .update_user_access(
            a.clinic.id,
            nurse.id,
            Role::Clinician,
            true,
            event(
                Some(&admin),
                AuditAction::PrivilegeChange,
                ObjectType::User,
                Some(nurse.id.to_string()),
            ),
        )
        .await
        .unwrap();
    assert!(disabled.disabled);
    assert_eq!(s.get_user(nurse.id).await.unwrap(), disabled);
    assert_not_found(s.get_auth_session("n1").await, "session of a disabled user");
    assert_not_found(s.get_auth_session("n2").await, "session of a disabled user");
    one_new_audit(s, before).await;
}

/// Login sessions: created (audited as a login about the user, never naming the token hash),
/// read, touched (not audited), deleted (audited when asked); unknown tokens are `NotFound`.
pub async fn auth_session_lifecycle(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let user = a.clinician.clone();

    let before = last_seq(s).await;
    let created = s
        .create_auth_session(
            NewAuthSession {
                token_hash: "hash-of-token".into(),
                user_id: user.id,
                kind: AuthSessionKind::Api,
                csrf_hash: None,
                created_at: at(10),
            },
            event(Some(&user), AuditAction::Login, ObjectType::User, None),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Login,
        ObjectType::User,
        Some(user.id.to_string()),
        None,
    );
    assert_ne!(row.event.object_id.as_deref(), Some("hash-of-token"));
    assert_eq!(
        created,
        AuthSession {
            token_hash: "hash-of-token".into(),
            user_id: user.id,
            kind: AuthSessionKind::Api,
            csrf_hash: None,
            created_at: at(10),
            last_seen_at: at(10),
        }
    );
    let browser = login(s, &user, "browser-token").await;
    assert_eq!(browser.csrf_hash.as_deref(), Some("csrf-browser-token"));
    assert_eq!(browser.kind, AuthSessionKind::Browser);

    let before = last_seq(s).await;
    assert_eq!(s.get_auth_session("hash-of-token").await.unwrap(), created);
    s.touch_auth_session("hash-of-token", at(25)).await.unwrap();
    let touched = s.get_auth_session("hash-of-token").await.unwrap();
    assert_eq!(touched.last_seen_at, at(25));
    assert_eq!(touched.created_at, at(10));
    assert_not_found(s.get_auth_session("unknown").await, "unknown token");
    assert_not_found(
        s.touch_auth_session("unknown", at(26)).await,
        "touch unknown",
    );
    no_new_audit(s, before).await;

    let duplicate = s
        .create_auth_session(
            NewAuthSession {
                token_hash: "hash-of-token".into(),
                user_id: user.id,
                kind: AuthSessionKind::Api,
                csrf_hash: None,
                created_at: at(11),
            },
            event(Some(&user), AuditAction::Login, ObjectType::User, None),
        )
        .await;
    assert_conflict(duplicate, "auth_sessions.token_hash");
    assert_not_found(
        s.create_auth_session(
            NewAuthSession {
                token_hash: "ghost".into(),
                user_id: crate::ids::UserId(user.id.0 + 1000),
                kind: AuthSessionKind::Api,
                csrf_hash: None,
                created_at: at(11),
            },
            event(None, AuditAction::Login, ObjectType::User, None),
        )
        .await,
        "session of an unknown user",
    );
    no_new_audit(s, before).await;

    s.delete_auth_session(
        "hash-of-token",
        Some(event(
            Some(&user),
            AuditAction::Logout,
            ObjectType::User,
            None,
        )),
    )
    .await
    .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Logout,
        ObjectType::User,
        Some(user.id.to_string()),
        None,
    );
    assert_not_found(s.get_auth_session("hash-of-token").await, "deleted session");

    let before = last_seq(s).await;
    s.delete_auth_session("browser-token", None).await.unwrap();
    assert_not_found(s.get_auth_session("browser-token").await, "expired session");
    assert_not_found(
        s.delete_auth_session("browser-token", None).await,
        "deleting twice",
    );
    no_new_audit(s, before).await;
}

/// Expired sessions are deleted in bulk: idle past the cut-off or created before the absolute
/// one, and nothing else; no audit row (issue 15 §2).
pub async fn expired_auth_sessions_are_purged(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let user = a.clinician.clone();
    let new = |token: &str, created: i64| NewAuthSession {
        token_hash: token.to_owned(),
        user_id: user.id,
        kind: AuthSessionKind::Api,
        csrf_hash: None,
        created_at: at(created),
    };
    for (token, created, seen) in [
        ("idle", 0, 5),
        ("old-but-active", -700, 99),
        ("live", 0, 60),
        ("edge", 0, 50),
    ] {
        s.create_auth_session(
            new(token, created),
            event(Some(&user), AuditAction::Login, ObjectType::User, None),
        )
        .await
        .unwrap();
        s.touch_auth_session(token, at(seen)).await.unwrap();
    }
    let before = last_seq(s).await;
    // Idle before minute 50, or created before minute -600.
    let n = s
        .delete_expired_auth_sessions(at(50), at(-600))
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_not_found(s.get_auth_session("idle").await, "idle session");
    assert_not_found(s.get_auth_session("old-but-active").await, "too old");
    s.get_auth_session("live").await.unwrap();
    s.get_auth_session("edge").await.unwrap();
    assert_eq!(
        s.delete_expired_auth_sessions(at(50), at(-600))
            .await
            .unwrap(),
        0
    );
    no_new_audit(s, before).await;
}
