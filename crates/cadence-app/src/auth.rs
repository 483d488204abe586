//! Logins, sessions and passwords.
//!
//! - Passwords are hashed with argon2id at the OWASP parameters (m = 19 MiB, t = 2, p = 1;
//!   security reference 3.3, decision 1).
//! - Session and CSRF tokens are 256 random bits; only their SHA-256 is stored, so a copy of
//!   the database cannot be replayed as logins.
//! - Sessions end after the idle timeout (15 minutes by default) or the absolute lifetime
//!   (12 hours), checked on every request against the injected clock; logout deletes the
//!   session on the server.
//! - Unknown email and wrong password get the same answer, after the same work.
//! - Password attempts (logins and password changes) are counted per account and per client
//!   address before the password is checked ([`crate::throttle`]); hashing runs on a bounded
//!   blocking pool ([`crate::hashing`]).
//! - Expired sessions are purged at most once a minute, on login.

use crate::{Actor, App, AppError, ErrorCode};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use cadence_store::audit::{AuditAction, AuditEvent, AuditOutcome, ObjectType};
use cadence_store::records::{AuthSession, AuthSessionKind, NewAuthSession, User};
use cadence_store::{StoreError, ids::UserId};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// Shortest accepted password (ASVS 6.2.1: at least 8; 15 recommended).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted password (ASVS 6.2.9: allow at least 64).
pub const MAX_PASSWORD_CHARS: usize = 128;

fn argon2() -> Result<Argon2<'static>, AppError> {
    let params =
        Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Checks a password against a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// How often expired sessions are purged (on login).
const PURGE_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_mins(1);

/// A hash of a random password, verified against when the email is unknown so both answers
/// take the same time.
fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0aPaBnmSQt9vSB0GqEGYjV5oG1cxsQ6kZcg3sC6xuq8"
}

/// A new random token: 256 bits, hex.
pub fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The CSRF token of a browser session, derived from its session token so that a server-rendered
/// page can embed it without the server storing either in clear (the synchronizer token bound
/// to the session; only its hash is stored, to check API calls that send it back).
pub fn csrf_for(session_token: &str) -> String {
    token_hash(&format!("cadence-csrf:{session_token}"))
}

/// Checks a new password's length (no composition rules: ASVS 6.2.5).
pub fn check_new_password(password: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            ErrorCode::PasswordTooShort,
            format!("use at least {MIN_PASSWORD_CHARS} characters (a passphrase is best)"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(
            ErrorCode::PasswordTooLong,
            format!("use at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// A successful login: the tokens to hand to the client (never stored or logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// The session token (cookie value or bearer token).
    pub token: String,
    /// The CSRF token for browser sessions.
    pub csrf_token: Option<String>,
    /// The user.
    pub user_id: UserId,
    /// Whether the user must change a one-time password before anything else.
    pub must_change_password: bool,
}

/// A validated request's session and actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// The acting user.
    pub actor: Actor,
    /// The session row.
    pub session: AuthSession,
    /// Whether the user must change a one-time password before anything else.
    pub must_change_password: bool,
}

/// Who made a request: the user, or a page polling on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// The user acted (a page, a form, an API call, typing that the page reports).
    User,
    /// A page refreshing itself (the nurse's timers): no sign of the user.
    Background,
}

impl App {
    /// Takes a place in the throttle for a password attempt on `email` from `address`
    /// ([`crate::throttle`]), or answers `Throttled`.
    fn reserve_attempt(
        &self,
        email: &str,
        address: &str,
    ) -> Result<crate::throttle::Reservation<'_>, AppError> {
        let cfg = &self.config;
        let account_key = format!("account:{email}");
        let address_key = format!("address:{address}");
        self.throttle
            .reserve(
                &[
                    (&account_key, cfg.max_failures_per_account),
                    (&address_key, cfg.max_failures_per_address),
                ],
                self.now(),
                cfg.throttle_window,
            )
            .map_err(|retry_after_secs| AppError::Throttled { retry_after_secs })
    }

    /// Logs a user in from an email and password. `address` is the client address used for
    /// throttling.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        kind: AuthSessionKind,
        address: &str,
        request_id: &str,
    ) -> Result<Login, AppError> {
        let now = self.now();
        let email = email.trim().to_lowercase();
        let attempt = self.reserve_attempt(&email, address)?;
        let user = match self.store.find_user_by_email(&email).await {
            Ok(user) => Some(user),
            Err(StoreError::NotFound) => None,
            Err(e) => {
                attempt.not_checked();
                return Err(e.into());
            }
        };
        let hash = user
            .as_ref()
            .map_or(dummy_hash(), |u| u.password_hash.as_str());
        let matches = match self.hashing.verify(password, hash).await {
            Ok(matches) => matches,
            Err(e) => {
                attempt.not_checked();
                return Err(e);
            }
        };
        // An unknown email costs the same verification (of the dummy hash) and always fails.
        let verified = matches && user.as_ref().is_some_and(|u| !u.disabled);
        let event = |user: Option<&User>, action, outcome| AuditEvent {
            at: now,
            actor_id: user.map(|u| u.id),
            actor_role: user.map(|u| u.role.as_str().to_owned()),
            clinic_id: user.map(|u| u.clinic_id),
            patient_id: None,
            action,
            object_type: ObjectType::Login,
            object_id: None,
            outcome,
            request_id: request_id.to_owned(),
        };
        let Some(user) = user.filter(|_| verified) else {
            self.store
                .append_audit(event(None, AuditAction::LoginFailed, AuditOutcome::Failure))
                .await?;
            return Err(AppError::invalid(
                ErrorCode::InvalidCredentials,
                "the email or password is not right",
            ));
        };
        attempt.succeeded();
        self.purge_expired_sessions(now).await;
        let token = new_token()?;
        let csrf_token = match kind {
            AuthSessionKind::Browser => Some(csrf_for(&token)),
            AuthSessionKind::Api => None,
        };
        self.store
            .create_auth_session(
                NewAuthSession {
                    token_hash: token_hash(&token),
                    user_id: user.id,
                    kind,
                    csrf_hash: csrf_token.as_deref().map(token_hash),
                    created_at: now,
                },
                event(Some(&user), AuditAction::Login, AuditOutcome::Success),
            )
            .await?;
        Ok(Login {
            token,
            csrf_token,
            user_id: user.id,
            must_change_password: user.must_change_password,
        })
    }

    /// Deletes sessions past their idle or absolute limit, at most once a minute (a login
    /// flood must not become a delete flood). Sessions are otherwise deleted only when
    /// presented after expiry, so abandoned ones would pile up. A failure is logged, not
    /// answered: the login itself does not depend on it.
    async fn purge_expired_sessions(&self, now: Timestamp) {
        {
            let mut last = self
                .last_purge
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // Due when never run, a minute after the last run, or when the clock went back.
            let due = last.is_none_or(|last| {
                now < last
                    || last
                        .saturating_add(PURGE_EVERY)
                        .is_ok_and(|next| now >= next)
            });
            if !due {
                return;
            }
            *last = Some(now);
        }
        let (Ok(idle_before), Ok(created_before)) = (
            now.checked_sub(self.config.idle_timeout),
            now.checked_sub(self.config.absolute_timeout),
        ) else {
            return;
        };
        match self
            .store
            .delete_expired_auth_sessions(idle_before, created_before)
            .await
        {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
        }
    }

    /// Validates a session token on a request made by the user: unknown, idle-expired or
    /// absolutely expired sessions are refused (and expired ones deleted); a live one is
    /// touched, so the idle timeout starts again.
    pub async fn authenticate(
        &self,
        token: &str,
        request_id: &str,
    ) -> Result<Authenticated, AppError> {
        self.authenticate_for(token, request_id, Activity::User)
            .await
    }

    /// [`App::authenticate`] for a request of the given kind: a page's own polling
    /// ([`Activity::Background`]) is checked like any request but does not touch the session,
    /// so a workstation left with a page open still logs out when idle (issue 16 §3).
    pub async fn authenticate_for(
        &self,
        token: &str,
        request_id: &str,
        activity: Activity,
    ) -> Result<Authenticated, AppError> {
        let now = self.now();
        let hash = token_hash(token);
        let session = match self.store.get_auth_session(&hash).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        let idle_end = session
            .last_seen_at
            .saturating_add(self.config.idle_timeout);
        let absolute_end = session
            .created_at
            .saturating_add(self.config.absolute_timeout);
        let expired = [idle_end, absolute_end]
            .into_iter()
            .any(|end| end.map_or(true, |end| now > end));
        if expired {
            self.store.delete_auth_session(&hash, None).await?;
            return Err(AppError::Unauthenticated);
        }
        let user = match self.store.get_user(session.user_id).await {
            Ok(u) if !u.disabled => u,
            Ok(_) | Err(StoreError::NotFound) => {
                self.store.delete_auth_session(&hash, None).await?;
                return Err(AppError::Unauthenticated);
            }
            Err(e) => return Err(e.into()),
        };
        if activity == Activity::User {
            self.store.touch_auth_session(&hash, now).await?;
        }
        Ok(Authenticated {
            actor: Actor {
                user_id: user.id,
                clinic_id: user.clinic_id,
                role: user.role,
                request_id: request_id.to_owned(),
            },
            session,
            must_change_password: user.must_change_password,
        })
    }

    /// Whether a CSRF token matches the session's.
    pub fn csrf_ok(session: &AuthSession, token: &str) -> bool {
        session.csrf_hash.as_deref().is_some_and(|expected| {
            constant_time_eq(expected.as_bytes(), token_hash(token).as_bytes())
        })
    }

    /// Ends a session on the server.
    pub async fn logout(&self, auth: &Authenticated) -> Result<(), AppError> {
        let event = auth
            .actor
            .event(self, AuditAction::Logout, ObjectType::Login);
        self.store
            .delete_auth_session(&auth.session.token_hash, Some(event))
            .await?;
        Ok(())
    }

    /// Changes the acting user's password after checking the current one; other sessions of
    /// the user end (ASVS 7.4.3). Guesses of the current password count against the same
    /// limits as failed logins (the account and `address`): a stolen session must not become
    /// an unthrottled way to test passwords.
    pub async fn change_password(
        &self,
        auth: &Authenticated,
        current: &str,
        new: &str,
        address: &str,
    ) -> Result<(), AppError> {
        let user = self.store.get_user(auth.actor.user_id).await?;
        let attempt = self.reserve_attempt(&user.email, address)?;
        let matches = match self.hashing.verify(current, &user.password_hash).await {
            Ok(matches) => matches,
            Err(e) => {
                attempt.not_checked();
                return Err(e);
            }
        };
        if !matches {
            return Err(AppError::invalid(
                ErrorCode::InvalidCredentials,
                "the current password is not right",
            ));
        }
        attempt.succeeded();
        check_new_password(new)?;
        if new == current {
            return Err(AppError::invalid(
                ErrorCode::PasswordUnchanged,
                "choose a password different from the current one",
            ));
        }
        let hash = self.hashing.hash(new).await?;
        let event = auth
            .actor
            .event(self, AuditAction::Update, ObjectType::Password);
        self.store
            .set_password(user.id, &hash, false, Some(&auth.session.token_hash), event)
            .await?;
        Ok(())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_at_owasp_parameters() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert_ne!(
            hash,
            hash_password("correct horse battery").unwrap(),
            "salted"
        );
    }

    #[test]
    fn the_dummy_hash_parses_so_unknown_users_cost_a_verification() {
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        assert!(!verify_password("anything", dummy_hash()));
    }

    #[test]
    fn tokens_are_256_bits_and_stored_hashed() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token().unwrap());
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }

    #[test]
    fn password_length_rules() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("eight ch").is_ok());
        assert!(check_new_password(&"x".repeat(129)).is_err());
    }
}
