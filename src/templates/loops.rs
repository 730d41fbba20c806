//! Include, extends and import loops, found when the templates are loaded rather than when a page is rendered.
//!
//! Tera follows `{% include %}` and `{% import %}` by recursion with no depth limit, and catches an `{% extends %}`
//! loop only when it starts at the template being checked, so a template that includes itself (directly or through
//! others) used to overflow the stack and abort the process, `fanzine serve` included. The three kinds of edge are
//! separate graphs: an include of a template that extends another is an error Tera reports on its own, and a macro
//! file whose macro includes a partial that imports it again loops only if the macros call each other, which the
//! macro depth limit (see `depth.rs`) stops.
use super::tags;
use crate::error::{Diagnostic, Location};
use std::collections::{BTreeMap, BTreeSet};
use tera::ast::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Include,
    Extends,
    Import,
}

impl Edge {
    fn keyword(self) -> &'static str {
        match self {
            Edge::Include => "include",
            Edge::Extends => "extends",
            Edge::Import => "import",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Edge::Include => "template include loop",
            Edge::Extends => "template extends loop",
            Edge::Import => "macro import loop",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Edge::Include => {
                "a template cannot include itself, directly or through other templates; remove one {% include %} of the loop"
            }
            Edge::Extends => {
                "a template cannot extend itself, directly or through other templates; the {% extends %} chain must end at a template that extends nothing"
            }
            Edge::Import => {
                "macro files cannot import each other in a circle; move the macros both need into a file that imports neither"
            }
        }
    }
}

/// One error per loop, located at the tag of the loop's first template (by name) that starts it.
/// `parsed` and `sources` (name → (file shown, text)) hold the same templates.
pub fn find(
    parsed: &BTreeMap<String, tera::Template>,
    sources: &BTreeMap<String, (String, String)>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for kind in [Edge::Include, Edge::Extends, Edge::Import] {
        let graph: BTreeMap<&str, Vec<String>> =
            parsed.iter().map(|(name, template)| (name.as_str(), targets(template, kind, parsed))).collect();
        for cycle in cycles(&graph) {
            let (shown, src) = &sources[&cycle[0]];
            let at = tags::scan(src)
                .into_iter()
                .find(|t| t.keyword() == kind.keyword() && tags::quotes(t.rest(), &cycle[1]))
                .map(|t| crate::locate::line_col(src, t.offset));
            let location = at.map_or_else(|| Location::file(shown), |(l, c)| Location::at(shown, l, c));
            problems.push(
                Diagnostic::error(Some(location), format!("{}: {}", kind.message(), cycle.join(" → ")))
                    .with_hint(kind.hint()),
            );
        }
    }
    problems
}

/// The existing templates `template` names through tags of one kind, in order, without repeats. Every name of an
/// `{% include ["a", "b"] ignore missing %}` counts.
fn targets(template: &tera::Template, kind: Edge, parsed: &BTreeMap<String, tera::Template>) -> Vec<String> {
    let mut out = Vec::new();
    walk(&template.ast, &mut |node| {
        let names: Vec<&String> = match (kind, node) {
            (Edge::Include, Node::Include(_, names, _)) => names.iter().collect(),
            (Edge::Extends, Node::Extends(_, name)) => vec![name],
            (Edge::Import, Node::ImportMacro(_, name, _)) => vec![name],
            _ => vec![],
        };
        for name in names {
            if parsed.contains_key(name) && !out.contains(name) {
                out.push(name.clone());
            }
        }
    });
    out
}

/// Calls `visit` on every node, inside macros, blocks, loops, conditions and filter sections too.
fn walk(nodes: &[Node], visit: &mut impl FnMut(&Node)) {
    for node in nodes {
        visit(node);
        match node {
            Node::MacroDefinition(_, definition, _) => walk(&definition.body, visit),
            Node::Block(_, block, _) => walk(&block.body, visit),
            Node::FilterSection(_, section, _) => walk(&section.body, visit),
            Node::Forloop(_, forloop, _) => {
                walk(&forloop.body, visit);
                walk(forloop.empty_body.as_deref().unwrap_or_default(), visit);
            }
            Node::If(condition, _) => {
                for (_, _, body) in &condition.conditions {
                    walk(body, visit);
                }
                if let Some((_, body)) = &condition.otherwise {
                    walk(body, visit);
                }
            }
            _ => {}
        }
    }
}

/// Loops of a graph as name chains that end where they start (`a → b → a`), each starting at its smallest name so
/// the same loop is reported once and in the same words on every run. A depth-first search in name order finds at
/// least one loop through every tangle; fixing it reveals the next one, if any.
fn cycles(graph: &BTreeMap<&str, Vec<String>>) -> Vec<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<&str, Vec<String>>,
        marks: &mut BTreeMap<&'a str, Mark>,
        path: &mut Vec<&'a str>,
        found: &mut BTreeSet<Vec<String>>,
    ) {
        marks.insert(node, Mark::OnPath);
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next.as_str()).copied().unwrap_or(Mark::New) {
                Mark::OnPath => {
                    let start = path.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle: Vec<String> = path[start..].iter().map(|n| n.to_string()).collect();
                    let smallest = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                    cycle.rotate_left(smallest);
                    cycle.push(cycle[0].clone());
                    found.insert(cycle);
                }
                Mark::New => {
                    if let Some((key, _)) = graph.get_key_value(next.as_str()) {
                        visit(key, graph, marks, path, found);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(node, Mark::Done);
    }
    let mut marks = BTreeMap::new();
    let mut found = BTreeSet::new();
    for &node in graph.keys() {
        if !marks.contains_key(node) {
            visit(node, graph, &mut marks, &mut Vec::new(), &mut found);
        }
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(templates: &[(&str, &str)]) -> Vec<String> {
        let sources: BTreeMap<String, (String, String)> =
            templates.iter().map(|(n, s)| (n.to_string(), (format!("templates/{n}"), s.to_string()))).collect();
        let parsed = sources.iter().map(|(n, (_, s))| (n.clone(), tera::Template::new(n, None, s).unwrap())).collect();
        find(&parsed, &sources).iter().map(|d| d.to_string().lines().next().unwrap().to_string()).collect()
    }

    #[test]
    fn a_self_include_is_located_at_its_tag() {
        let found = check(&[("a.html", "one\ntwo\n  {% include \"a.html\" %}\n")]);
        assert_eq!(found, ["templates/a.html:3:3: error: template include loop: a.html → a.html"]);
    }

    #[test]
    fn a_loop_through_several_templates_is_named_once_from_its_smallest_name() {
        let found = check(&[
            ("c.html", "{% if x %}{% include \"a.html\" %}{% endif %}"),
            ("a.html", "{% for i in x %}{% include [\"missing.html\", \"b.html\"] ignore missing %}{% endfor %}"),
            ("b.html", "{% block x %}{% include 'c.html' %}{% endblock x %}"),
        ]);
        assert_eq!(found, ["templates/a.html:1:17: error: template include loop: a.html → b.html → c.html → a.html"]);
    }

    #[test]
    fn extends_and_import_loops_are_found_too() {
        let found = check(&[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "{% extends \"c.html\" %}"),
            ("c.html", "{% extends \"b.html\" %}"),
            ("m.html", "{% import \"n.html\" as n %}{% macro x() %}{% endmacro %}"),
            ("n.html", "{% import \"m.html\" as m %}"),
        ]);
        assert_eq!(
            found,
            [
                "templates/b.html:1:1: error: template extends loop: b.html → c.html → b.html",
                "templates/m.html:1:1: error: macro import loop: m.html → n.html → m.html"
            ]
        );
    }

    #[test]
    fn sharing_without_looping_is_fine() {
        let found = check(&[
            ("base.html", "{% include \"nav.html\" %}{% include \"nav.html\" %}"),
            ("post.html", "{% extends \"base.html\" %}{% import \"m.html\" as m %}{% block b %}{% endblock b %}"),
            ("nav.html", "{% import \"m.html\" as m %}{{ m::x() }}"),
            ("m.html", "{% macro x() %}{% include \"item.html\" %}{% endmacro %}"),
            ("item.html", "{% import \"m.html\" as m %}"),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }
}
