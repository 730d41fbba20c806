//! Faults: a build killed at any moment, and builds racing each other, never leave a mixed or missing site.
use crate::fixture::Site;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A site big enough that a build takes a while: the kill must land inside it, not after.
fn big_site(posts: usize) -> Site {
    let site = Site::empty();
    for i in 0..posts {
        let code = "fn step(x: u64) -> u64 {\n    x.wrapping_mul(6364136223846793005).wrapping_add(1)\n}\n".repeat(20);
        site.write(
            &format!("content/post-{i:04}.md"),
            &format!("+++\ntitle = \"Post {i}\"\ndate = 2020-01-01\ntags = [\"t{}\"]\n+++\n\nText {i}.\n\n```rust\n{code}```\n", i % 7),
        );
    }
    site
}

fn spawn_build(site: &Site) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_fanzine"))
        .arg("build")
        .current_dir(site.dir.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let site = big_site(150);
    site.build(&[]);
    let old = site.tree("public");
    site.write("content/zz-new.md", "+++\ntitle = \"New\"\ndate = 2020-01-02\n+++\n\nNew post.\n");
    let mut new: Option<BTreeMap<String, Vec<u8>>> = None;
    for delay_ms in [0, 1, 3, 10, 30, 60, 100, 150, 250, 400] {
        let mut child = spawn_build(&site);
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL: no destructor, no cleanup
        child.wait().unwrap();
        let now = site.tree("public");
        assert!(!now.is_empty(), "public/ vanished after a kill at {delay_ms} ms");
        if now != old {
            let expected = new.get_or_insert_with(|| now.clone());
            assert_eq!(&now, expected, "a kill at {delay_ms} ms left a mixed site");
            assert!(now.contains_key("zz-new/index.html"));
        }
    }
    site.build(&[]);
    let finished = site.tree("public");
    assert!(finished.contains_key("zz-new/index.html"));
    if let Some(new) = new {
        assert_eq!(finished, new);
    }
    assert_eq!(site.write_leftovers(), Vec::<String>::new());
}

#[test]
fn builds_started_together_do_not_corrupt_each_other() {
    let site = big_site(60);
    let expected = {
        site.build(&[]);
        site.tree("public")
    };
    for _ in 0..3 {
        let children: Vec<_> = (0..3).map(|_| spawn_build(&site)).collect();
        let mut succeeded = 0;
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => succeeded += 1,
                Some(3) => assert!(stderr.contains("another fanzine build is writing"), "{stderr}"),
                other => panic!("unexpected exit {other:?}: {stderr}"),
            }
        }
        assert!(succeeded >= 1);
        assert_eq!(site.tree("public"), expected);
    }
}
