//! The steps every front end shares: fetch a day, select the top papers, summarize them.
