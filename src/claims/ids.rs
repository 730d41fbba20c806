//! Typed ids for the engine's dense tables: Placement's providers and the simulator's hosts by [`HostId`], its
//! instances, requests, scheduling calls and scheduler workers by [`InstId`], [`ReqId`], [`CallId`] and
//! [`WorkerId`]; the exhaustive checker's states by [`StateId`].
//!
//! Each table used to be a `Vec` indexed by `u32 as usize`, so an instance id could index the
//! hosts and compile. Here each kind of id is its own type and an [`IdVec`] can only be indexed
//! by its own kind, so that mistake is a type error and the casts live in one place.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// A dense index into one kind of table.
pub trait Id: Copy {
    fn from_index(index: usize) -> Self;
    fn index(self) -> usize;
}

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl Id for $name {
            fn from_index(index: usize) -> Self {
                $name(u32::try_from(index).expect("ids fit in u32"))
            }

            fn index(self) -> usize {
                self.0 as usize
            }
        }

        // Traces print the bare number, as they did when ids were `u32`: notes with `Display`, events
        // (`Ev::Arrive(3)`) with `Debug`.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A compute host, which is also its Placement resource provider.
    HostId
);

id!(
    /// One instance of a boot request (a multi-create has several), and its Placement consumer.
    InstId
);

id!(
    /// A boot request as it reaches the API.
    ReqId
);

id!(
    /// One scheduling call (`select_destinations`): a request's first, or a reschedule.
    CallId
);

id!(
    /// A scheduler worker, with its own host-state view.
    WorkerId
);

id!(
    /// A state the exhaustive checker has seen, numbered in the order it was first reached.
    StateId
);

/// The ids `0..n` of a table of `n` items, in order.
pub fn ids<I: Id>(n: u32) -> impl Iterator<Item = I> {
    (0..n as usize).map(I::from_index)
}

/// A `Vec` indexed by one kind of id only.
pub struct IdVec<I, T> {
    items: Vec<T>,
    _id: PhantomData<fn(I) -> I>,
}

impl<I: Id, T> IdVec<I, T> {
    pub fn new() -> Self {
        IdVec { items: Vec::new(), _id: PhantomData }
    }

    /// Appends `item` and returns its id.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::from_index(self.items.len() - 1)
    }

    /// A table of `n` copies of `item`.
    pub fn filled(n: usize, item: T) -> Self
    where
        T: Clone,
    {
        IdVec { items: vec![item; n], _id: PhantomData }
    }

    pub fn with_capacity(n: usize) -> Self {
        IdVec { items: Vec::with_capacity(n), _id: PhantomData }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The id the next [`IdVec::push`] returns.
    pub fn next_id(&self) -> I {
        I::from_index(self.items.len())
    }

    /// Extends the table with copies of `item` until `id` indexes it.
    pub fn grow_to_hold(&mut self, id: I, item: T)
    where
        T: Clone,
    {
        if self.items.len() <= id.index() {
            self.items.resize(id.index() + 1, item);
        }
    }

    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// Every id with its item, mutably, in id order.
    pub fn iter_mut_enumerated(&mut self) -> impl Iterator<Item = (I, &mut T)> + '_ {
        self.items.iter_mut().enumerate().map(|(i, t)| (I::from_index(i), t))
    }

    /// Sets every item to `item`.
    pub fn fill(&mut self, item: T)
    where
        T: Clone,
    {
        self.items.fill(item);
    }

    /// Every id with its item, in id order.
    pub fn iter_enumerated(&self) -> impl Iterator<Item = (I, &T)> + '_ {
        self.items.iter().enumerate().map(|(i, t)| (I::from_index(i), t))
    }
}

impl<I, T: Clone> Clone for IdVec<I, T> {
    fn clone(&self) -> Self {
        IdVec { items: self.items.clone(), _id: PhantomData }
    }
}

impl<I, T: fmt::Debug> fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.fmt(f)
    }
}

impl<I, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec { items: Vec::new(), _id: PhantomData }
    }
}

impl<I, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        IdVec { items: iter.into_iter().collect(), _id: PhantomData }
    }
}

impl<'a, I, T> IntoIterator for &'a IdVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'a, I, T> IntoIterator for &'a mut IdVec<I, T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter_mut()
    }
}

impl<I: Id, T> Index<I> for IdVec<I, T> {
    type Output = T;

    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Id, T> IndexMut<I> for IdVec<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_returns_the_id_that_indexes_the_item() {
        let mut v: IdVec<HostId, &str> = IdVec::new();
        let a = v.push("a");
        let b = v.push("b");
        assert_eq!((a, b), (HostId(0), HostId(1)));
        assert_eq!(v[b], "b");
        v[a] = "z";
        assert_eq!(v.iter_enumerated().collect::<Vec<_>>(), vec![(HostId(0), &"z"), (HostId(1), &"b")]);
        assert_eq!(format!("{b}"), "1");
    }
}
