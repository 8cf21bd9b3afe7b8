//! Everything paperboy keeps on disk, over sled. **No sled type leaves this module**; every
//! record is versioned.
