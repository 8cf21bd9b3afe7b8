//! Who is due when: each chat's local delivery time, DST-correct.
