//! Telegram file ids of photos already uploaded, by URL, so a thumbnail Telegram could not
//! fetch itself is uploaded once and then sent by id to every later chat.

use serde::{Deserialize, Serialize};

use super::key;
use super::record::Record;
use super::tree::Tree;
use super::{Error, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileId {
    pub file_id: String,
}

impl Record for FileId {
    const KIND: &'static str = "photo file id";
    const VERSION: u32 = 1;
}

impl Store {
    pub fn photo_file_id(&self, url: &str) -> Result<Option<String>, Error> {
        Ok(self
            .get::<FileId>(Tree::Photos, &key::single(url))?
            .map(|f| f.file_id))
    }

    pub fn put_photo_file_id(&self, url: &str, file_id: &str) -> Result<(), Error> {
        self.put(
            Tree::Photos,
            &key::single(url),
            &FileId {
                file_id: file_id.to_string(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_ids_by_url() {
        let store = Store::temporary().unwrap();
        let url = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/1.png";
        assert_eq!(store.photo_file_id(url).unwrap(), None);
        store.put_photo_file_id(url, "AgAD1").unwrap();
        store.put_photo_file_id(url, "AgAD2").unwrap();
        assert_eq!(store.photo_file_id(url).unwrap().as_deref(), Some("AgAD2"));
        assert_eq!(store.photo_file_id("https://other").unwrap(), None);
    }
}
