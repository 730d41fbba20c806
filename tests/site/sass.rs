//! Stylesheets of `sass/`, compiled into the site as Zola compiles them when the config says `compile_sass = true`.
use crate::fixture::Site;

const POST: &str = "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nText.\n";

fn sass_site(config_file: &str, config: &str) -> Site {
    let site = Site::empty();
    site.write(config_file, config)
        .write("content/a.md", POST)
        .write("sass/main.scss", "@use \"colors\";\n$c: red;\nbody { color: $c; a { color: colors.$link; } }\n")
        .write("sass/_colors.scss", "$link: blue;\n")
        .write("sass/sub/other.sass", "p\n  margin: 0\n")
        .write("sass/_partials/hidden.scss", "x { y: z }\n");
    site
}

#[test]
fn stylesheets_compile_to_their_paths_as_zola_writes_them() {
    // Zola 0.21 on the same files wrote these bytes, and nothing for the partials.
    for (file, config) in [("fanzine.toml", "compile_sass = true\n"), ("config.toml", "compile_sass = true\n")] {
        let site = sass_site(file, config);
        let run = site.build(&[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        assert_eq!(site.read("public/main.css"), "body{color:red}body a{color:blue}");
        assert_eq!(site.read("public/sub/other.css"), "p{margin:0}");
        let css: Vec<String> = site.tree("public").into_keys().filter(|p| p.ends_with(".css")).collect();
        // A Zola site's code is coloured inline, as Zola colours it, so it has no highlight.css.
        let highlight = (file == "fanzine.toml").then_some("highlight.css");
        let expected: Vec<&str> = highlight.into_iter().chain(["main.css", "style.css", "sub/other.css"]).collect();
        assert_eq!(css, expected, "{file}");
    }
}

#[test]
fn without_compile_sass_the_folder_is_left_alone() {
    let site = sass_site("fanzine.toml", "title = \"T\"\n");
    site.write("sass/broken.scss", "body {\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("public/main.css").exists());
}

#[test]
fn a_static_file_wins_over_a_stylesheet_of_its_name_with_a_warning() {
    let site = sass_site("fanzine.toml", "compile_sass = true\n");
    site.write("static/main.css", "mine {}\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.read("public/main.css"), "mine {}\n", "as in Zola");
    assert!(
        run.stderr.contains(
            "sass/main.scss: warning: sass/main.scss compiles to main.css, but the static file static/main.css replaces it"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_stylesheet_named_style_replaces_the_themes() {
    let site = sass_site("fanzine.toml", "compile_sass = true\n");
    site.write("sass/style.scss", "body { margin: 0 }\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.read("public/style.css"), "body{margin:0}");
}

#[test]
fn check_lists_a_sass_error_with_every_other_and_a_failed_build_leaves_public_alone() {
    let site = sass_site("fanzine.toml", "compile_sass = true\n");
    site.build(&[]);
    let before = site.tree("public");
    site.write("sass/_colors.scss", "$link: blue;\n$x: ;\n");
    site.write("content/b.md", "+++\ntitle = \"B\"\ndate = 2020-13-01\n+++\n");
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("content/b.md:3:"), "{}", check.stderr);
    assert!(check.stderr.contains("sass/_colors.scss:2:"), "{}", check.stderr);
    assert!(check.stderr.contains("(while compiling sass/main.scss)"), "{}", check.stderr);
    let build = site.run(&["build"]);
    assert_eq!(build.code, 1);
    assert_eq!(before, site.tree("public"));
    assert_eq!(site.write_leftovers(), Vec::<String>::new());
}

#[test]
fn two_builds_write_the_same_bytes() {
    let site = sass_site("fanzine.toml", "compile_sass = true\n");
    for i in 0..20 {
        site.write(
            &format!("sass/many/s{i:02}.scss"),
            &format!("@use \"../colors\";\n.c{i} {{ color: colors.$link; }}\n"),
        );
    }
    site.build(&[]);
    let first = site.tree("public");
    assert_eq!(site.read("public/many/s07.css"), ".c7{color:blue}");
    site.run(&["build", "-o", "again"]);
    assert_eq!(first, site.tree("again"));
}
