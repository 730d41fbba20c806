//! The transition system: every atomic step any actor can take from a [`State`]. The steps
//! and why each is atomic are in the module doc of [`super`].

use super::configs::Config;
pub use super::state::{Call, Design, First, Inst, NONE, Pc, Phase, Recovery, State, View};
use crate::claims::strategies::Strategy;

/// One step: the state after it, what happened, and what it revealed.
#[derive(Debug, Clone)]
pub struct Succ {
    pub state: State,
    pub label: String,
    /// A request or instance was refused while the oracle would have placed it.
    pub false_refusal: bool,
    /// An invariant the step itself broke (the state-level ones are [`Model::check`]).
    pub violation: Option<String>,
}

/// A step being built: the state it changes and what it says about itself.
struct Tx {
    st: State,
    labels: bool,
    label: Vec<String>,
    false_refusal: bool,
    violation: Option<String>,
}

impl Tx {
    fn note(&mut self, f: impl FnOnce() -> String) {
        if self.labels {
            self.label.push(f());
        }
    }

    fn done(self) -> Succ {
        Succ {
            state: self.st,
            label: self.label.join("; "),
            false_refusal: self.false_refusal,
            violation: self.violation,
        }
    }
}

/// Who is claiming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Scheduler,
    SuperConductor,
    CellConductor,
}

/// A configuration under one design: the fixed facts the steps read.
pub struct Model {
    pub config: Config,
    pub design: Design,
    cap: Vec<u8>,
    cell: Vec<u8>,
    /// Per instance: its size and its request.
    size: Vec<u8>,
    req: Vec<u8>,
    /// Per call: its instances (requests first, then one reschedule call per instance).
    call_insts: Vec<Vec<u8>>,
}

impl Model {
    pub fn new(config: &Config, strategy: Strategy) -> Model {
        let design = Design::of(strategy);
        Model::with_design(config, Design { view: config.view.unwrap_or(design.view), ..design })
    }

    /// A model of a design no strategy has: how the tests check that the checker can fail.
    pub fn with_design(config: &Config, design: Design) -> Model {
        assert!(config.hosts.len() <= 8, "hosts are a bitmask of 8");
        assert!(config.workers >= 1 && config.max_attempts >= 1);
        let mut size = Vec::new();
        let mut req = Vec::new();
        let mut call_insts = Vec::new();
        for (r, q) in config.requests.iter().enumerate() {
            let first = size.len() as u8;
            for _ in 0..q.instances {
                size.push(q.size);
                req.push(r as u8);
            }
            call_insts.push((first..size.len() as u8).collect());
        }
        for i in 0..size.len() as u8 {
            call_insts.push(vec![i]);
        }
        Model {
            config: config.clone(),
            design,
            cap: config.hosts.iter().map(|h| h.slots).collect(),
            cell: config.hosts.iter().map(|h| h.cell).collect(),
            size,
            req,
            call_insts,
        }
    }

    fn hosts(&self) -> usize {
        self.cap.len()
    }

    fn worker(&self, call: usize) -> usize {
        call % usize::from(self.config.workers)
    }

    pub fn initial(&self) -> State {
        let h = self.hosts();
        let w = usize::from(self.config.workers);
        let requests = self.config.requests.len();
        let calls = (0..self.call_insts.len())
            .map(|c| Call {
                pc: if c < requests { Pc::Query } else { Pc::Idle },
                cands: 0,
                keep: 0,
                rows: Vec::new(),
                order: Vec::new(),
                pos: 0,
                cur: 0,
                selected: vec![NONE; self.call_insts[c].len()],
            })
            .collect();
        let insts = (0..self.size.len())
            .map(|i| Inst {
                phase: Phase::Sched,
                call: self.req[i],
                host: NONE,
                alts: Vec::new(),
                tried: 0,
                attempts: 0,
                failed: 0,
                puts: 0,
                tries: 0,
                snap: NONE,
                target: NONE,
            })
            .collect();
        State {
            steps: 0,
            failures_left: self.config.failures,
            false_refusals: 0,
            usage: vec![0; h],
            generation: vec![0; h],
            alloc: vec![NONE; self.size.len()],
            rt: vec![0; h],
            view: vec![0; w * h],
            dirty: vec![false; w * h],
            calls,
            insts,
        }
    }

    /// Every step enabled in `s`, in a fixed order (calls by id, then instances by id; a
    /// build's success before its failure), so that searches and traces are deterministic.
    pub fn successors(&self, s: &State, labels: bool) -> Vec<Succ> {
        let mut out = Vec::new();
        let tx = |s: &State| {
            let mut st = s.clone();
            st.steps += 1;
            Tx { st, labels, label: Vec::new(), false_refusal: false, violation: None }
        };
        for c in 0..s.calls.len() {
            let mut t = tx(s);
            match s.calls[c].pc {
                Pc::Query if self.design.first == First::Oracle => self.place(&mut t, c),
                Pc::Query => self.query(&mut t, c),
                Pc::DbRead => self.db_read(&mut t, c),
                Pc::Select => self.select(&mut t, c),
                Pc::Claim => self.put(&mut t, self.cur_inst(s, c), Who::Scheduler),
                Pc::ScClaim => self.put(&mut t, self.cur_inst(s, c), Who::SuperConductor),
                Pc::Idle | Pc::Done => continue,
            }
            out.push(t.done());
        }
        for i in 0..s.insts.len() {
            match s.insts[i].phase {
                Phase::Compute => {
                    let mut t = tx(s);
                    let accepted = self.rt_claim(&mut t, i);
                    if accepted && s.failures_left > 0 {
                        let mut f = tx(s);
                        self.rt_claim(&mut f, i);
                        f.st.failures_left -= 1;
                        f.st.insts[i].phase = Phase::Failing;
                        f.note(|| "the spawn will fail".to_string());
                        out.push(t.done());
                        out.push(f.done());
                    } else {
                        out.push(t.done());
                    }
                }
                Phase::Failing => {
                    let mut t = tx(s);
                    self.build_fail(&mut t, i);
                    out.push(t.done());
                }
                Phase::CcClaim => {
                    let mut t = tx(s);
                    self.put(&mut t, i, Who::CellConductor);
                    out.push(t.done());
                }
                _ => {}
            }
        }
        out
    }

    fn cur_inst(&self, s: &State, c: usize) -> usize {
        usize::from(self.call_insts[c][usize::from(s.calls[c].cur)])
    }

    fn who_call(&self, c: usize) -> String {
        match self.config.requests.len() {
            n if c < n => format!("request {c} (worker {})", self.worker(c)),
            n => format!("reschedule of instance {} (worker {})", c - n, self.worker(c)),
        }
    }

    fn fits(&self, used: u8, h: usize, size: u8) -> bool {
        u16::from(used) + u16::from(size) <= u16::from(self.cap[h])
    }

    /// `GET /allocation_candidates`: the hosts with room in Placement now (t_q).
    fn query(&self, t: &mut Tx, c: usize) {
        let size = self.size[usize::from(self.call_insts[c][0])];
        let cands = (0..self.hosts()).filter(|&h| self.fits(t.st.usage[h], h, size)).fold(0u8, |m, h| m | 1 << h);
        t.st.calls[c].cands = cands;
        t.st.calls[c].pc = Pc::DbRead;
        t.note(|| format!("{}: GET /allocation_candidates → hosts {}", self.who_call(c), hosts_of(cands)));
    }

    /// The cell DB read: the candidates' rows as they are now. A local consumption newer than
    /// a row survives the merge; so does one made between this read and the merge.
    fn db_read(&self, t: &mut Tx, c: usize) {
        let w = self.worker(c);
        let h_n = self.hosts();
        let call = &mut t.st.calls[c];
        call.rows = t.st.rt.clone();
        call.keep = if self.design.view == View::Persistent {
            (0..h_n).filter(|&h| call.cands & 1 << h != 0 && t.st.dirty[w * h_n + h]).fold(0, |m, h| m | 1 << h)
        } else {
            0
        };
        call.pc = Pc::Select;
        let rows = list(&t.st.rt);
        t.note(|| format!("{}: reads the cell DB: used [{rows}]", self.who_call(c)));
    }

    /// The CPU section: merge the rows into the view (first section of the call), filter, weigh. Scheduler-claim designs do one instance per section (claims yield in between);
    /// legacy and summit select every instance in one section, since nothing yields there.
    fn select(&self, t: &mut Tx, c: usize) {
        let w = self.worker(c);
        let h_n = self.hosts();
        if t.st.calls[c].cur == 0 && self.design.view == View::Persistent {
            let call = &mut t.st.calls[c];
            for h in (0..h_n).filter(|h| call.cands & 1 << h != 0 && call.keep & 1 << h == 0) {
                t.st.view[w * h_n + h] = call.rows[h];
                t.st.dirty[w * h_n + h] = false;
            }
            call.keep = 0;
        }
        let all = matches!(self.design.first, First::Compute | First::SuperConductor);
        loop {
            let k = usize::from(t.st.calls[c].cur);
            let i = usize::from(self.call_insts[c][k]);
            let order = self.weigh(&t.st, c, i);
            let views = self.view_of(&t.st, c);
            t.note(|| {
                format!(
                    "{}: CPU section for instance {i}: view used [{}], order [{}]",
                    self.who_call(c),
                    list(&views),
                    list(&order)
                )
            });
            let Some(&h) = order.first() else {
                self.fail_call(t, c);
                return;
            };
            if !all {
                let call = &mut t.st.calls[c];
                call.order = order;
                call.pos = 0;
                call.pc = Pc::Claim;
                self.start_claim(t, i, h);
                return;
            }
            t.st.calls[c].selected[k] = h;
            self.consume(t, c, h, self.size[i]);
            t.note(|| format!("selects host {h} for instance {i} and consumes it in its view"));
            if self.design.first == First::SuperConductor {
                let alts = self.alternates(&t.st, c, &order, 1, None);
                t.note(|| format!("alternates [{}]", list(&alts)));
                t.st.insts[i].alts = alts;
            }
            t.st.calls[c].cur += 1;
            if usize::from(t.st.calls[c].cur) == self.call_insts[c].len() {
                break;
            }
        }
        if self.design.first == First::SuperConductor {
            t.st.calls[c].cur = 0;
            t.st.calls[c].pc = Pc::ScClaim;
            let i = usize::from(self.call_insts[c][0]);
            self.start_claim(t, i, t.st.calls[c].selected[0]);
        } else {
            self.to_compute(t, c);
        }
    }

    /// The view's used units per host for call `c`.
    fn view_of(&self, st: &State, c: usize) -> Vec<u8> {
        let h_n = self.hosts();
        match self.design.view {
            View::Persistent => {
                let w = self.worker(c);
                st.view[w * h_n..(w + 1) * h_n].to_vec()
            }
            View::PerRequest => {
                let call = &st.calls[c];
                let mut v = call.rows.clone();
                for (k, &h) in call.selected.iter().enumerate() {
                    if h != NONE {
                        v[usize::from(h)] += self.size[usize::from(self.call_insts[c][k])];
                    }
                }
                v
            }
        }
    }

    /// Filter (candidates, RetryFilter, legacy's RamFilter) and weigh (spread: most free first,
    /// ties by host id, `host_subset_size` 1).
    fn weigh(&self, st: &State, c: usize, i: usize) -> Vec<u8> {
        let v = self.view_of(st, c);
        let call = &st.calls[c];
        let mut hosts: Vec<usize> = (0..self.hosts())
            .filter(|&h| call.cands & 1 << h != 0 && st.insts[i].tried & 1 << h == 0)
            .filter(|&h| !self.design.resource_filter || self.fits(v[h], h, self.size[i]))
            .collect();
        hosts.sort_by_key(|&h| (std::cmp::Reverse(i16::from(self.cap[h]) - i16::from(v[h])), h));
        hosts.into_iter().map(|h| h as u8).collect()
    }

    /// `consume_from_request`: the persistent view remembers it, a per-request view has it in
    /// the call's selections already.
    fn consume(&self, t: &mut Tx, c: usize, h: u8, size: u8) {
        if self.design.view == View::Persistent {
            let k = self.worker(c) * self.hosts() + usize::from(h);
            t.st.view[k] += size;
            t.st.dirty[k] = true;
            self.set_keep(t, c, h, true);
        }
    }

    /// For the calls of `c`'s worker that read the rows but have not merged them yet: a local
    /// consumption made now is newer than what they read (or, reset, is not).
    fn set_keep(&self, t: &mut Tx, c: usize, h: u8, keep: bool) {
        let w = self.worker(c);
        for c2 in (0..t.st.calls.len()).filter(|&c2| self.worker(c2) == w && c2 != c) {
            let call = &mut t.st.calls[c2];
            if call.pc == Pc::Select && call.cur == 0 {
                if keep {
                    call.keep |= 1 << h;
                } else {
                    call.keep &= !(1 << h);
                }
            }
        }
    }

    /// Alternates from `order[from..]`: not selected for this call, in `cell` unless any cell
    /// goes, `max_attempts − 1` of them.
    fn alternates(&self, st: &State, c: usize, order: &[u8], from: usize, cell: Option<u8>) -> Vec<u8> {
        let selected = &st.calls[c].selected;
        let want = usize::from(self.config.max_attempts - 1);
        order
            .iter()
            .skip(from)
            .filter(|a| !selected.contains(a))
            .filter(|&&a| cell.is_none_or(|cell| self.cell[usize::from(a)] == cell))
            .take(want)
            .copied()
            .collect()
    }

    fn start_claim(&self, t: &mut Tx, i: usize, h: u8) {
        let inst = &mut t.st.insts[i];
        inst.target = h;
        inst.tries = 0;
        inst.snap = NONE;
    }

    /// One PUT /allocations step: atomic, or (split) the transaction's snapshot then its commit.
    fn put(&self, t: &mut Tx, i: usize, who: Who) {
        let h = usize::from(t.st.insts[i].target);
        let size = self.size[i];
        let by = match who {
            Who::Scheduler => self.who_call(usize::from(t.st.insts[i].call)),
            Who::SuperConductor => "super conductor".to_string(),
            Who::CellConductor => "cell conductor".to_string(),
        };
        if self.config.split_put && t.st.insts[i].snap == NONE {
            let fits = self.fits(t.st.usage[h], h, size);
            let g = t.st.generation[h];
            assert!(g < 0x80, "generations stay small in a small configuration");
            t.st.insts[i].snap = u8::from(fits) << 7 | g;
            t.st.insts[i].puts += 1;
            let used = t.st.usage[h];
            t.note(|| format!("{by}: PUT instance {i} → host {h} begins (reads used {used}, generation {g})"));
            return;
        }
        if t.st.alloc[i] != NONE {
            let held = t.st.alloc[i];
            t.violation = Some(format!("instance {i} claimed twice: it holds host {held} and claims host {h}"));
        }
        let outcome = if self.config.split_put {
            let snap = t.st.insts[i].snap;
            t.st.insts[i].snap = NONE;
            if snap >> 7 == 0 {
                Err("409 capacity exceeded (in its snapshot)")
            } else if t.st.generation[h] != snap & 0x7f {
                Err("409 concurrently updated")
            } else {
                Ok(())
            }
        } else {
            t.st.insts[i].puts += 1;
            if self.fits(t.st.usage[h], h, size) { Ok(()) } else { Err("409 capacity exceeded") }
        };
        match outcome {
            Ok(()) => {
                t.st.usage[h] += size;
                if self.config.split_put {
                    t.st.generation[h] += 1;
                }
                t.st.alloc[i] = h as u8;
                t.note(|| format!("{by}: PUT instance {i} → host {h}: 204, claimed"));
                self.claimed(t, i, who, h as u8);
            }
            Err(why) => {
                t.note(|| format!("{by}: PUT instance {i} → host {h}: {why}"));
                if why == "409 concurrently updated" {
                    t.st.insts[i].tries += 1;
                    if t.st.insts[i].tries < self.design.put_tries {
                        t.note(|| "retries GET + PUT".to_string());
                        return;
                    }
                    t.note(|| "retries exhausted: a failed claim".to_string());
                }
                self.claim_failed(t, i, who);
            }
        }
    }

    fn claimed(&self, t: &mut Tx, i: usize, who: Who, h: u8) {
        let c = usize::from(t.st.insts[i].call);
        match who {
            Who::Scheduler => {
                let k = usize::from(t.st.calls[c].cur);
                t.st.calls[c].selected[k] = h;
                self.consume(t, c, h, self.size[i]);
                if self.design.recovery == Recovery::Alternates && !self.design.after_all {
                    let order = t.st.calls[c].order.clone();
                    let from = usize::from(t.st.calls[c].pos) + 1;
                    let alts = self.alternates(&t.st, c, &order, from, Some(self.cell[usize::from(h)]));
                    t.note(|| format!("alternates [{}]", list(&alts)));
                    t.st.insts[i].alts = alts;
                }
                t.st.calls[c].cur += 1;
                if usize::from(t.st.calls[c].cur) < self.call_insts[c].len() {
                    t.st.calls[c].pc = Pc::Select;
                    return;
                }
                if self.design.recovery == Recovery::Alternates && self.design.after_all {
                    let order = t.st.calls[c].order.clone();
                    for k in 0..self.call_insts[c].len() {
                        let cell = self.cell[usize::from(t.st.calls[c].selected[k])];
                        let alts = self.alternates(&t.st, c, &order, 0, Some(cell));
                        let j = usize::from(self.call_insts[c][k]);
                        t.note(|| format!("alternates of instance {j} [{}]", list(&alts)));
                        t.st.insts[j].alts = alts;
                    }
                }
                self.to_compute(t, c);
            }
            Who::SuperConductor => {
                let k = usize::from(t.st.calls[c].cur);
                t.st.insts[i].host = h;
                t.st.calls[c].cur += 1;
                if k + 1 < self.call_insts[c].len() {
                    let next = usize::from(self.call_insts[c][k + 1]);
                    self.start_claim(t, next, t.st.calls[c].selected[k + 1]);
                    return;
                }
                for &j in &self.call_insts[c] {
                    let j = usize::from(j);
                    t.st.insts[j].phase = Phase::Compute;
                }
                t.st.calls[c].pc = Pc::Done;
                t.note(|| "casts the builds".to_string());
            }
            Who::CellConductor => {
                t.st.insts[i].host = h;
                t.st.insts[i].phase = Phase::Compute;
                t.note(|| format!("casts instance {i} to host {h}"));
            }
        }
    }

    fn claim_failed(&self, t: &mut Tx, i: usize, who: Who) {
        let c = usize::from(t.st.insts[i].call);
        match who {
            Who::Scheduler => {
                let call = &mut t.st.calls[c];
                call.pos += 1;
                match call.order.get(usize::from(call.pos)).copied() {
                    Some(h) => self.start_claim(t, i, h),
                    None => self.fail_call(t, c),
                }
            }
            Who::SuperConductor => match pop(&mut t.st.insts[i].alts) {
                Some(h) => self.start_claim(t, i, h),
                // The scheduler never hears of it: its view keeps the consumptions.
                None => self.fail_call_keeping_view(t, c),
            },
            Who::CellConductor => self.next_alternate(t, i),
        }
    }

    /// Every instance of the call is cast to its selected host.
    fn to_compute(&self, t: &mut Tx, c: usize) {
        for (k, &j) in self.call_insts[c].iter().enumerate() {
            let inst = &mut t.st.insts[usize::from(j)];
            inst.host = t.st.calls[c].selected[k];
            inst.phase = Phase::Compute;
        }
        t.st.calls[c].pc = Pc::Done;
    }

    /// NoValidHost from the scheduler: every claim the call made is deleted (all-or-nothing),
    /// and the selected hosts' view entries are reset (`host.updated = None`).
    fn fail_call(&self, t: &mut Tx, c: usize) {
        if self.design.view == View::Persistent {
            let w = self.worker(c);
            for h in t.st.calls[c].selected.clone() {
                if h != NONE {
                    // `host.updated = None`: the next merge takes the row, whatever its age.
                    t.st.dirty[w * self.hosts() + usize::from(h)] = false;
                    self.set_keep(t, c, h, false);
                }
            }
        }
        self.fail_call_keeping_view(t, c);
    }

    /// NoValidHost, all-or-nothing, where the scheduler's view is not told (summit's super
    /// conductor).
    fn fail_call_keeping_view(&self, t: &mut Tx, c: usize) {
        let insts: Vec<usize> = self.call_insts[c].iter().map(|&i| usize::from(i)).collect();
        for &i in &insts {
            self.release(t, i);
            t.st.insts[i].phase = Phase::NoValidHost;
        }
        t.st.calls[c].pc = Pc::Done;
        t.note(|| format!("NoValidHost for instance(s) {}", list(&self.call_insts[c])));
        self.refused(t, &insts);
    }

    /// A refusal is false when the oracle would place the refused instances now, on hosts they
    /// have not tried, unless failed builds used up their attempts (as they would the oracle's).
    fn refused(&self, t: &mut Tx, insts: &[usize]) {
        if insts.iter().all(|&i| t.st.insts[i].failed < self.config.max_attempts)
            && self.oracle_fit(&t.st, insts).is_some()
        {
            t.false_refusal = true;
            t.st.false_refusals += 1;
            t.note(|| "while the oracle would place it: a false refusal".to_string());
        }
    }

    /// The oracle's serial choice against Placement now: each instance on the untried host with
    /// most room (ties by id), all or none.
    fn oracle_fit(&self, st: &State, insts: &[usize]) -> Option<Vec<u8>> {
        let mut usage = st.usage.clone();
        let mut out = Vec::new();
        for &i in insts {
            let h = (0..self.hosts())
                .filter(|&h| st.insts[i].tried & 1 << h == 0 && self.fits(usage[h], h, self.size[i]))
                .min_by_key(|&h| (std::cmp::Reverse(self.cap[h] - usage[h]), h))?;
            usage[h] += self.size[i];
            out.push(h as u8);
        }
        Some(out)
    }

    fn release(&self, t: &mut Tx, i: usize) {
        let h = t.st.alloc[i];
        if h != NONE {
            t.st.usage[usize::from(h)] -= self.size[i];
            t.st.alloc[i] = NONE;
        }
    }

    /// The oracle's one step for a request: place every instance or none.
    fn place(&self, t: &mut Tx, c: usize) {
        let insts: Vec<usize> = self.call_insts[c].iter().map(|&i| usize::from(i)).collect();
        t.st.calls[c].pc = Pc::Done;
        match self.oracle_fit(&t.st, &insts) {
            Some(hosts) => {
                for (&i, &h) in insts.iter().zip(&hosts) {
                    self.oracle_claim(t, i, h);
                }
                t.note(|| format!("oracle: places request {c} on hosts [{}]", list(&hosts)));
            }
            None => {
                for &i in &insts {
                    t.st.insts[i].phase = Phase::NoValidHost;
                }
                t.note(|| format!("oracle: NoValidHost for request {c}"));
            }
        }
    }

    fn oracle_claim(&self, t: &mut Tx, i: usize, h: u8) {
        t.st.usage[usize::from(h)] += self.size[i];
        t.st.alloc[i] = h;
        t.st.insts[i].puts += 1;
        t.st.insts[i].host = h;
        t.st.insts[i].phase = Phase::Compute;
    }

    /// The compute's resource tracker claim under its lock, which also writes the cell DB row.
    /// Legacy tests the scheduler's limits here and mirrors the allocation into Placement.
    /// Returns whether the build was accepted.
    fn rt_claim(&self, t: &mut Tx, i: usize) -> bool {
        let h = usize::from(t.st.insts[i].host);
        let size = self.size[i];
        t.st.insts[i].attempts += 1;
        if self.design.resource_filter && !self.fits(t.st.rt[h], h, size) {
            let used = t.st.rt[h];
            t.note(|| format!("compute {h}: rejects instance {i} (used {used} of {})", self.cap[h]));
            t.st.insts[i].tried |= 1 << h;
            t.st.insts[i].host = NONE;
            self.reschedule_or_end(t, i);
            return false;
        }
        t.st.rt[h] += size;
        self.row_written(t, h);
        if self.design.first == First::Compute {
            if t.st.alloc[i] != NONE {
                t.violation = Some(format!("instance {i} claimed twice"));
            }
            // Ocata's tracker mirrors the allocation; the limits test above made room for it.
            t.st.usage[h] += size;
            t.st.alloc[i] = h as u8;
            t.st.insts[i].puts += 1;
        }
        t.st.insts[i].phase = Phase::Active;
        let used = t.st.rt[h];
        t.note(|| format!("compute {h}: resource tracker claims instance {i} (used {used} of {})", self.cap[h]));
        true
    }

    /// A row write makes every worker's older local consumption on `h` stale.
    fn row_written(&self, t: &mut Tx, h: usize) {
        for w in 0..usize::from(self.config.workers) {
            t.st.dirty[w * self.hosts() + h] = false;
        }
    }

    /// The spawn failed: the tracker aborts its claim (a row write), the compute deletes the
    /// allocation, and the design's recovery starts.
    fn build_fail(&self, t: &mut Tx, i: usize) {
        let h = usize::from(t.st.insts[i].host);
        t.st.rt[h] -= self.size[i];
        self.row_written(t, h);
        self.release(t, i);
        let inst = &mut t.st.insts[i];
        inst.tried |= 1 << h;
        inst.failed += 1;
        inst.host = NONE;
        t.note(|| format!("compute {h}: build of instance {i} fails; claim aborted, allocation deleted"));
        match self.design.recovery {
            Recovery::Reschedule => self.reschedule_or_end(t, i),
            Recovery::Alternates => {
                // The cell conductor of the failed host's cell can use only its own cell's hosts.
                let cell = self.cell[h];
                t.st.insts[i].alts.retain(|&a| self.cell[usize::from(a)] == cell);
                t.st.insts[i].phase = Phase::CcClaim;
                self.next_alternate(t, i);
            }
            Recovery::Repick => {
                let fit =
                    (t.st.insts[i].attempts < self.config.max_attempts).then(|| self.oracle_fit(&t.st, &[i])).flatten();
                match fit {
                    Some(hosts) => {
                        self.oracle_claim(t, i, hosts[0]);
                        t.note(|| format!("oracle: places instance {i} on host {}", hosts[0]));
                    }
                    None => {
                        t.st.insts[i].phase = Phase::MaxRetries;
                        t.note(|| format!("MaxRetriesExceeded for instance {i}"));
                    }
                }
            }
        }
    }

    /// Ocata and Pike: back to the scheduler with RetryFilter, unless the attempts are used up or
    /// the up-call is impossible (several cells).
    fn reschedule_or_end(&self, t: &mut Tx, i: usize) {
        if self.config.cells() > 1 || t.st.insts[i].attempts >= self.config.max_attempts {
            t.st.insts[i].phase = Phase::MaxRetries;
            t.note(|| format!("MaxRetriesExceeded for instance {i}"));
            self.refused(t, &[i]);
            return;
        }
        let c = self.config.requests.len() + i;
        let call = &mut t.st.calls[c];
        call.pc = Pc::Query;
        call.cands = 0;
        call.keep = 0;
        call.rows.clear();
        call.order.clear();
        call.pos = 0;
        call.cur = 0;
        call.selected.fill(NONE);
        let inst = &mut t.st.insts[i];
        inst.call = c as u8;
        inst.phase = Phase::Sched;
        t.note(|| format!("reschedules instance {i}"));
    }

    /// The cell conductor pops the next alternate, or gives up.
    fn next_alternate(&self, t: &mut Tx, i: usize) {
        match pop(&mut t.st.insts[i].alts) {
            Some(h) => {
                self.start_claim(t, i, h);
                t.note(|| format!("cell conductor: tries alternate {h}"));
            }
            None => {
                t.st.insts[i].phase = Phase::MaxRetries;
                t.note(|| format!("alternates exhausted: MaxRetriesExceeded for instance {i}"));
                self.refused(t, &[i]);
            }
        }
    }

    /// The state-level invariants (MODEL.md §6), checked after every step.
    pub fn check(&self, s: &State) -> Option<String> {
        for h in 0..self.hosts() {
            if s.usage[h] > self.cap[h] {
                return Some(format!("host {h} over capacity in Placement: {} of {}", s.usage[h], self.cap[h]));
            }
            let sum: u8 = (0..s.alloc.len()).filter(|&i| usize::from(s.alloc[i]) == h).map(|i| self.size[i]).sum();
            if sum != s.usage[h] {
                return Some(format!("host {h}: usage {} but its allocations sum to {sum}", s.usage[h]));
            }
            if s.rt[h] > self.cap[h] {
                return Some(format!("host {h} over capacity on the compute: {} of {}", s.rt[h], self.cap[h]));
            }
        }
        for (i, inst) in s.insts.iter().enumerate() {
            let built = matches!(inst.phase, Phase::Failing | Phase::Active)
                || (inst.phase == Phase::Compute && self.design.first != First::Compute);
            if built && s.alloc[i] != inst.host {
                return Some(format!("orphan: instance {i} on host {} without an allocation there", inst.host));
            }
            if matches!(inst.phase, Phase::NoValidHost | Phase::MaxRetries) && s.alloc[i] != NONE {
                return Some(format!("leak: instance {i} failed but holds an allocation on host {}", s.alloc[i]));
            }
        }
        None
    }

    /// Phantoms at rest: local consumptions in a persistent view that no row write ever
    /// overwrote, on hosts where the worker believes in more usage than there is.
    pub fn phantoms(&self, s: &State) -> usize {
        let h_n = self.hosts();
        (0..s.view.len()).filter(|&k| s.dirty[k] && s.view[k] > s.rt[k % h_n]).count()
    }

    pub fn active(&self, s: &State) -> usize {
        s.insts.iter().filter(|i| i.phase == Phase::Active).count()
    }
}

fn pop(v: &mut Vec<u8>) -> Option<u8> {
    (!v.is_empty()).then(|| v.remove(0))
}

fn list(v: &[u8]) -> String {
    v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")
}

fn hosts_of(mask: u8) -> String {
    let hs: Vec<u8> = (0..8).filter(|h| mask & 1 << h != 0).collect();
    if hs.is_empty() { "none".to_string() } else { list(&hs) }
}
