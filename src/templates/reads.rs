//! Which renders read more than their own variables.
//!
//! The preview reuses a rendered file when the variables it was rendered from are equal (`render::memo`). A
//! template function that looks at the site or at a file (`get_section`, `load_data`, …) makes a file's bytes
//! depend on more than those variables, and a reused copy could then be stale. Such functions call [`note`]; the
//! renderer runs each template inside [`watch`], and a file whose render noted a read is rendered again next time
//! instead of being reused. Tera renders a template on one thread, so a thread-local flag sees exactly one render.
use std::cell::Cell;

thread_local! {
    static READ_OUTSIDE: Cell<bool> = const { Cell::new(false) };
}

/// Called by a template function whose result depends on something other than its arguments.
pub fn note() {
    READ_OUTSIDE.set(true);
}

/// Runs `render` and tells whether it called [`note`]. Nested calls each see only their own reads, and an outer
/// one sees the inner ones' too, because a file that includes an impure render is itself impure.
pub fn watch<T>(render: impl FnOnce() -> T) -> (T, bool) {
    let outer = READ_OUTSIDE.replace(false);
    let result = render();
    let read = READ_OUTSIDE.replace(outer || READ_OUTSIDE.get());
    (result, read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_is_impure_exactly_when_it_noted_a_read() {
        assert!(!watch(|| ()).1);
        assert!(watch(note).1);
        let ((_, inner), outer) = watch(|| {
            let inner = watch(|| ());
            note();
            inner
        });
        assert!(!inner && outer);
        let ((_, inner), outer) = watch(|| watch(note));
        assert!(inner && outer, "an outer render that contains an impure one is impure");
        assert!(!watch(|| ()).1, "nothing is left over for the next render");
    }
}
