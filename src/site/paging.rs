//! One pagination for every list that is split into pages: a section's (the home page is the root one) and a
//! taxonomy term's. Zola's URLs for both: the list's own URL is page 1, `{path}{paginate_path}/{n}/` page `n`, and
//! a paginated list's `{paginate_path}/1/` is a redirect to its own URL.

/// How one list is split: enough to name every page of it and to say what each shows.
#[derive(Debug, Clone, Copy)]
pub struct Paging<'a> {
    /// The list's own URL path (`/blog/`, `/tags/rust/`), which is its first page.
    pub path: &'a str,
    /// The folder of the later pages, `page` unless the author says otherwise.
    pub paginate_path: &'a str,
    /// Items per page; `None`: one page shows them all.
    pub per: Option<usize>,
    /// How many items the list has.
    pub total: usize,
}

impl Paging<'_> {
    /// How many pages it has: one at least, even for an empty list.
    pub fn count(&self) -> usize {
        match self.per {
            Some(per) => self.total.div_ceil(per.max(1)).max(1),
            None => 1,
        }
    }

    /// Items per page, as the paginator reports it: all of them when it is not split.
    pub fn per_page(&self) -> usize {
        self.per.unwrap_or(self.total.max(1)).max(1)
    }

    /// The URL path of page `n` (1-based).
    pub fn path_of(&self, n: usize) -> String {
        match n {
            1 => self.path.to_string(),
            n => format!("{}{}/{n}/", self.path, self.paginate_path.trim_matches('/')),
        }
    }

    /// Where the first page would be if it were not the list's own URL: a paginated list makes it a redirect there.
    pub fn first_page_path(&self) -> String {
        format!("{}{}/1/", self.path, self.paginate_path.trim_matches('/'))
    }

    /// The items page `n` shows, as a range of the list.
    pub fn range(&self, n: usize) -> std::ops::Range<usize> {
        let per = self.per_page();
        let start = ((n - 1) * per).min(self.total);
        start..(start + per).min(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_is_the_list_itself_and_later_ones_sit_under_paginate_path() {
        let paging = Paging { path: "/tags/rust/", paginate_path: "page", per: Some(2), total: 5 };
        assert_eq!(paging.count(), 3);
        assert_eq!(paging.path_of(1), "/tags/rust/");
        assert_eq!(paging.path_of(3), "/tags/rust/page/3/");
        assert_eq!(paging.first_page_path(), "/tags/rust/page/1/");
        assert_eq!((paging.range(1), paging.range(3)), (0..2, 4..5));
    }

    #[test]
    fn an_unsplit_or_empty_list_has_one_page() {
        let all = Paging { path: "/", paginate_path: "/p/", per: None, total: 7 };
        assert_eq!((all.count(), all.range(1), all.path_of(2)), (1, 0..7, "/p/2/".to_string()));
        let empty = Paging { per: Some(3), total: 0, ..all };
        assert_eq!((empty.count(), empty.range(1)), (1, 0..0));
    }
}
