//! Conformance suite (written by the SQLite backend work).
