//! The clinic's price list.

use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::ids::*;
use crate::records::*;

/// A clinic's price list text is kept verbatim and replaced whole; setting it is audited,
/// reading it is not (it holds no health information).
pub async fn price_list_round_trip(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let admin = add_user(s, &a.clinic, "admin@a.test", Role::Admin).await;
    assert_eq!(s.get_price_list(a.clinic.id).await.unwrap(), None);

    let text = "currency = \"GBP\"\n[session]\nesketamine = \"450.00\"\n";
    let before = last_seq(s).await;
    s.set_price_list(
        a.clinic.id,
        text,
        update(&admin, ObjectType::PriceList, a.clinic.id),
    )
    .await
    .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Update,
        ObjectType::PriceList,
        Some(a.clinic.id.to_string()),
        None,
    );
    assert_eq!(
        s.get_price_list(a.clinic.id).await.unwrap().as_deref(),
        Some(text)
    );
    s.set_price_list(
        a.clinic.id,
        "currency = \"EUR\"\n",
        update(&admin, ObjectType::PriceList, a.clinic.id),
    )
    .await
    .unwrap();
    assert_eq!(
        s.get_price_list(a.clinic.id).await.unwrap().as_deref(),
        Some("currency = \"EUR\"\n")
    );
    assert_eq!(s.get_price_list(b.clinic.id).await.unwrap(), None);

    let before = last_seq(s).await;
    let unknown = ClinicId(b.clinic.id.0 + 1000);
    assert_not_found(
        s.set_price_list(
            unknown,
            text,
            update(&admin, ObjectType::PriceList, unknown),
        )
        .await,
        "price list of an unknown clinic",
    );
    assert_eq!(s.get_price_list(unknown).await.unwrap(), None);
    no_new_audit(s, before).await;
}

/// A course's frozen protocol text reads back as stored, from its clinic only, with no audit
/// row (the session it is read for is audited).
pub async fn course_protocol_text_is_the_frozen_text(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let b = site(s, "B").await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &[]).await;
    let before = last_seq(s).await;
    assert_eq!(
        s.course_protocol_text(a.clinic.id, course.id)
            .await
            .unwrap(),
        course.protocol_text
    );
    assert_eq!(
        s.course_protocol_text(b.clinic.id, course.id).await,
        Err(crate::StoreError::NotFound)
    );
    no_new_audit(s, before).await;
}
