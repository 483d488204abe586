-- Registration (issue 16 §4): contact details with a recorded contact consent, an emergency
-- contact and the referrer on the patient, the date a weight was taken, and the clinic's MRN
-- pattern for numbers the clinic does not type. Every new column is nullable: existing
-- patients simply have none recorded.
ALTER TABLE patients ADD COLUMN weight_measured_on TEXT;
ALTER TABLE patients ADD COLUMN email TEXT;
ALTER TABLE patients ADD COLUMN phone TEXT;
ALTER TABLE patients ADD COLUMN address TEXT;
ALTER TABLE patients ADD COLUMN emergency_contact_name TEXT;
ALTER TABLE patients ADD COLUMN emergency_contact_phone TEXT;
ALTER TABLE patients ADD COLUMN referrer TEXT;
-- Consent to be contacted (email, phone): NULL not asked, 0 refused, 1 given; who recorded the
-- current answer and when (set by the store whenever the answer changes).
ALTER TABLE patients ADD COLUMN contact_consent INTEGER CHECK (contact_consent IN (0, 1));
ALTER TABLE patients ADD COLUMN contact_consent_by INTEGER REFERENCES users (id);
ALTER TABLE patients ADD COLUMN contact_consent_at BIGINT;

CREATE TABLE registration_settings (
    clinic_id   INTEGER PRIMARY KEY REFERENCES clinics (id),
    -- e.g. `P-{n:06}`: the clinic's next number, zero-padded to six digits.
    mrn_pattern TEXT NOT NULL
);
