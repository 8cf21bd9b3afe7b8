//! Personal keyword alerts: the rule language and the matcher (issue "keyword alerts").
