//! Sections, as Zola has them: a folder with an `_index.md` lists the pages under it (down to the next section),
//! sorted as it says, paginated and with its feed; sections nest to any depth, and the home page is the root one.
//!
//! A page belongs to the nearest folder above it that is a section (a folder without `_index.md` only adds to the
//! URL, as the bundled blog's folders always did), and a `transparent` section lends its pages to its parent's list
//! as well. Without a `content/_index.md` the root section is implied, listing its pages newest first,
//! `posts_per_page` to a page: exactly fanzine's home page before sections existed.
use super::Page;
use super::paging::Paging;
use crate::config::Config;
use crate::content::SourcePage;
use crate::content::front_matter::{self, SectionFront, SortBy};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The `_index.md` as a page: its source (with [`SourcePage::section_front`]), URL and rendered body.
    pub index: Page,
    /// Whether there is an `_index.md` (the root section may be implied).
    pub explicit: bool,
    /// Indices into [`super::Site::sections`]; the root has no parent.
    pub parent: Option<usize>,
    pub subsections: Vec<usize>,
    /// The pages it lists, in its order (indices into [`super::Site::pages`]); a page the order cannot place (an
    /// undated page of a section sorted by date) is left out, and still has its own page.
    pub pages: Vec<usize>,
    pub sort_by: SortBy,
    /// Pages per list page; `None`: one page lists them all.
    pub paginate_by: Option<usize>,
}

impl Section {
    pub fn front(&self) -> &SectionFront {
        self.index.source.section_front.as_ref().expect("a section's source has its section front matter")
    }

    /// The folder under `content/`, `""` for the root.
    pub fn folder(&self) -> &str {
        &self.index.source.section
    }

    /// Its language when not the site's default (`_index.fr.md`): each language has its own sections.
    pub fn lang(&self) -> Option<&str> {
        self.index.source.lang.as_deref()
    }

    /// Whether it makes its own list page (`render = false` and `redirect_to` make none of their own).
    pub fn renders(&self) -> bool {
        self.index.source.front.render
    }

    /// How its list is split into pages (see [`Paging`]).
    pub fn paging(&self) -> Paging<'_> {
        Paging {
            path: &self.index.path,
            paginate_path: &self.front().paginate_path,
            per: self.paginate_by,
            total: self.pages.len(),
        }
    }
}

/// Sections by language and folder, for [`owner`].
pub type ByFolder<'a> = BTreeMap<(Option<&'a str>, &'a str), usize>;

pub fn by_folder(sections: &[Section]) -> ByFolder<'_> {
    sections.iter().enumerate().map(|(i, s)| ((s.lang(), s.folder()), i)).collect()
}

/// The implied root section of a language (`None`: the default one): no keys at all, and no file (its path is
/// empty).
pub fn implied_root(lang: Option<&str>) -> SourcePage {
    SourcePage { lang: lang.map(str::to_string), ..implied_default_root() }
}

fn implied_default_root() -> SourcePage {
    let text = "+++\n+++\n";
    let path = "";
    let split = front_matter::split(path, text).expect("fixed text");
    let (front, section, _) = front_matter::parse_section(path, &split).expect("fixed text");
    SourcePage {
        path: String::new(),
        section: String::new(),
        section_front: Some(section),
        file_slug: String::new(),
        date: None,
        front,
        body: String::new(),
        body_line: 3,
        assets: Vec::new(),
        lang: None,
    }
}

/// The section a thing in `folder`, in the language `lang`, belongs to: the nearest of its language at or above it.
pub fn owner(lang: Option<&str>, folder: &str, sections: &ByFolder) -> Option<usize> {
    let mut folder = folder;
    loop {
        if let Some(&s) = sections.get(&(lang, folder)) {
            return Some(s);
        }
        if folder.is_empty() {
            return None;
        }
        folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// Whether `folder` is `section` or inside it.
pub fn is_within(folder: &str, section: &str) -> bool {
    section.is_empty()
        || folder == section
        || (folder.len() > section.len() && folder.starts_with(section) && folder.as_bytes()[section.len()] == b'/')
}

/// Links sections to their parents and children and fills each one's list of pages, sorted. `sections` is sorted
/// by folder, so the root comes first and a parent before its children.
pub fn arrange(config: &Config, sections: &mut [Section], pages: &[Page]) {
    let by_folder = by_folder(sections);
    let parents: Vec<Option<usize>> = sections
        .iter()
        .map(|s| match s.folder() {
            "" => None,
            folder => owner(s.lang(), folder.rsplit_once('/').map_or("", |(parent, _)| parent), &by_folder),
        })
        .collect();
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
    for (i, page) in pages.iter().enumerate() {
        let mut at = owner(page.source.lang.as_deref(), &page.source.section, &by_folder);
        // A page is listed by its section, and by each parent its sections are transparent to.
        while let Some(s) = at {
            lists[s].push(i);
            at = if sections[s].front().transparent { parents[s] } else { None };
        }
    }
    drop(by_folder);
    for (i, parent) in parents.iter().enumerate() {
        sections[i].parent = *parent;
        if let Some(p) = parent {
            sections[*p].subsections.push(i);
        }
    }
    for (section, mut list) in sections.iter_mut().zip(lists) {
        let front = section.front();
        // The home page keeps fanzine's defaults, but on a Zola site; other sections take Zola's.
        let home = section.folder().is_empty() && !config.is_zola();
        let sort_by = front.sort_by.unwrap_or(if home { SortBy::Date } else { SortBy::None });
        let paginate_by = front.paginate_by.or(home.then(|| config.posts_per_page.max(1)));
        let reversed = front.paginate_reversed;
        (section.sort_by, section.paginate_by) = (sort_by, paginate_by);
        sort(&mut list, pages, sort_by);
        if reversed {
            list.reverse();
        }
        section.pages = list;
    }
    let weights: Vec<(Option<i64>, String)> =
        sections.iter().map(|s| (s.index.source.front.weight, s.folder().to_string())).collect();
    for section in sections.iter_mut() {
        section.subsections.sort_by(|&a, &b| weights[a].cmp(&weights[b]));
    }
}

/// Sorts a section's pages (indices into `pages`, which are in the site's order) and drops those the order cannot
/// place, as Zola does.
fn sort(list: &mut Vec<usize>, pages: &[Page], by: SortBy) {
    let path = |i: &usize| pages[*i].source.path.as_str();
    match by {
        // The site's own order: newest first, ties by path.
        SortBy::Date => list.retain(|&i| pages[i].date.is_some()),
        SortBy::UpdateDate => {
            list.retain(|&i| pages[i].date.is_some() || pages[i].source.front.updated.is_some());
            let key = |i: usize| pages[i].source.front.updated.max(pages[i].date);
            list.sort_by(|a, b| key(*b).cmp(&key(*a)).then_with(|| path(a).cmp(path(b))));
        }
        SortBy::Title | SortBy::TitleBytes => {
            list.retain(|&i| !pages[i].source.front.title.trim().is_empty());
            let natural = by == SortBy::Title;
            list.sort_by(|a, b| {
                let (x, y) = (&pages[*a].source.front.title, &pages[*b].source.front.title);
                let order = if natural { natural_order(x, y) } else { x.as_bytes().cmp(y.as_bytes()) };
                order.then_with(|| path(a).cmp(path(b)))
            });
        }
        SortBy::Weight => {
            list.retain(|&i| pages[i].source.front.weight.is_some());
            list.sort_by(|a, b| {
                let (x, y) = (pages[*a].source.front.weight, pages[*b].source.front.weight);
                x.cmp(&y).then_with(|| path(a).cmp(path(b)))
            });
        }
        SortBy::Slug => list.sort_by(|a, b| pages[*a].slug.cmp(&pages[*b].slug).then_with(|| path(a).cmp(path(b)))),
        SortBy::None => list.sort_by(|a, b| path(a).cmp(path(b))),
    }
}

/// Case-insensitive, with runs of digits compared by value: "Page 2" before "page 10".
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let number = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut digits = String::new();
                    while let Some(c) = it.next_if(char::is_ascii_digit) {
                        digits.push(c);
                    }
                    let trimmed = digits.trim_start_matches('0').to_string();
                    (trimmed.len(), trimmed)
                };
                let order = number(&mut a).cmp(&number(&mut b));
                if order.is_ne() {
                    return order;
                }
            }
            (Some(x), Some(y)) => {
                let order = x.to_lowercase().cmp(y.to_lowercase());
                if order.is_ne() {
                    return order;
                }
                a.next();
                b.next();
            }
        }
    }
}

/// For each page, the pages before and after it in its own section's list: (older or later in the list, earlier
/// in it), as `previous` and `next` show them.
pub fn neighbours(sections: &[Section], pages: &[Page]) -> Vec<(Option<usize>, Option<usize>)> {
    let by_folder = by_folder(sections);
    let owners: Vec<Option<usize>> =
        pages.iter().map(|p| owner(p.source.lang.as_deref(), &p.source.section, &by_folder)).collect();
    let mut found = vec![(None, None); pages.len()];
    for (s, section) in sections.iter().enumerate() {
        let list = &section.pages;
        for (at, &i) in list.iter().enumerate() {
            // A transparent section's pages are in its parent's list too; their neighbours are their own section's.
            if owners[i] == Some(s) {
                found[i] = (list.get(at + 1).copied(), at.checked_sub(1).map(|j| list[j]));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_titles_sort_by_value() {
        let mut titles = vec!["Page 10", "page 2", "Apple", "Page 1"];
        titles.sort_by(|a, b| natural_order(a, b));
        assert_eq!(titles, ["Apple", "Page 1", "page 2", "Page 10"]);
    }

    #[test]
    fn the_owner_is_the_nearest_section_above() {
        let sections: ByFolder =
            [((None, ""), 0), ((None, "blog"), 1), ((None, "blog/2020/x"), 2), ((Some("fr"), ""), 3)].into();
        assert_eq!(owner(None, "blog/2020", &sections), Some(1));
        assert_eq!(owner(None, "blog/2020/x/y", &sections), Some(2));
        assert_eq!(owner(None, "notes", &sections), Some(0));
        assert_eq!(owner(Some("fr"), "blog/2020", &sections), Some(3), "a language's own sections only");
        assert!(is_within("blog/a", "blog") && !is_within("blogger", "blog") && is_within("x", ""));
    }
}
