//! Zola's `get_image_metadata` in a site's templates, on tiny images made by the test.
use crate::fixture::Site;

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([255, 0, 0]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

#[test]
fn get_image_metadata_gives_zolas_fields() {
    let site = Site::empty();
    site.write("content/a.md", "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nText.\n").write(
        "templates/post.html",
        "{% set m = get_image_metadata(path=\"img/a.png\") %}{{ m.width }}x{{ m.height }} {{ m.format }} {{ m.mime }}\n\
         {{ get_image_metadata(path=\"nope.png\", allow_missing=true) | json_encode() }}\n",
    );
    std::fs::create_dir_all(site.path("static/img")).unwrap();
    std::fs::write(site.path("static/img/a.png"), png(30, 20)).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Zola 0.21 gave the same for the same image: {"width":30,"height":20,"format":"png","mime":"image/png"}.
    assert_eq!(site.read("public/a/index.html"), "30x20 png image/png\nnull\n");
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 0, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Jpeg).unwrap();
    bytes.into_inner()
}

/// What Zola 0.21 answered for each call (tests/fixtures/images/zola-0.21.json, recorded from
/// ../shared/peers/zola-0.21 on images of the same sizes).
fn zola_cases() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/images/zola-0.21.json"));
    let recorded: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
    recorded["cases"].as_array().unwrap().clone()
}

/// A Zola site whose home page calls `resize_image` once per recorded case, one JSON object a line; its images
/// have the sizes the Zola fixture was recorded with.
fn zola_site(cases: &[serde_json::Value]) -> Site {
    let site = Site::empty();
    let calls: Vec<String> = cases
        .iter()
        .map(|c| {
            let mut args = vec![format!("path={}", c["path"])];
            for key in ["width", "height", "op", "format", "quality"] {
                if !c[key].is_null() {
                    args.push(format!("{key}={}", c[key]));
                }
            }
            format!("{{{{ resize_image({}) | json_encode() | safe }}}}", args.join(", "))
        })
        .collect();
    site.write("config.toml", "base_url = \"https://example.com\"\n")
        .write("content/_index.md", "+++\n+++\n")
        .write("templates/index.html", &(calls.join("\n") + "\n"));
    for (path, bytes) in [
        ("static/img/a.png", png(252, 320)),
        ("content/blog/b.jpg", jpeg(300, 380)),
        ("static/c.webp", webp(16, 16)),
        ("static/deep/dir/my photo é.png", png(256, 256)),
    ] {
        std::fs::create_dir_all(site.path(path).parent().unwrap()).unwrap();
        std::fs::write(site.path(path), bytes).unwrap();
    }
    site
}

fn webp(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([0, 255, 0, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::WebP).unwrap();
    bytes.into_inner()
}

#[test]
fn resize_image_gives_zolas_sizes_names_and_urls_for_every_op_and_the_files_have_them() {
    let cases = zola_cases();
    assert!(cases.len() > 40);
    let site = zola_site(&cases);
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/index.html");
    let lines: Vec<&str> = html.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), cases.len(), "{html}");
    for (case, line) in cases.iter().zip(lines) {
        let got: serde_json::Value = serde_json::from_str(line).unwrap();
        let zola = &case["zola"];
        for field in ["width", "height", "orig_width", "orig_height", "url", "static_path"] {
            assert_eq!(got[field], zola[field], "{field} of {case}");
        }
        // The file is there, decodes, and has the size promised.
        let url = got["url"].as_str().unwrap();
        let file = site.path(&format!("public/{}", url.strip_prefix("https://example.com/").unwrap()));
        let decoded = image::ImageReader::open(&file).unwrap().with_guessed_format().unwrap();
        let expected_format = match url.rsplit('.').next().unwrap() {
            "png" => image::ImageFormat::Png,
            "jpg" => image::ImageFormat::Jpeg,
            _ => image::ImageFormat::WebP,
        };
        assert_eq!(decoded.format(), Some(expected_format), "{case}");
        let decoded = decoded.decode().unwrap();
        assert_eq!(
            (decoded.width() as u64, decoded.height() as u64),
            (zola["width"].as_u64().unwrap(), zola["height"].as_u64().unwrap()),
            "{case}"
        );
    }
    assert!(!site.path("static/processed_images").exists(), "nothing is written outside the output folder");
}

#[test]
fn fill_crops_the_middle() {
    // Left third blue, middle third green, right third red: filling a square keeps the green.
    let image = image::RgbImage::from_fn(300, 100, |x, _| match x / 100 {
        0 => image::Rgb([0, 0, 255]),
        1 => image::Rgb([0, 255, 0]),
        _ => image::Rgb([255, 0, 0]),
    });
    let site = Site::empty();
    site.write("content/a.md", "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nText.\n")
        .write("templates/post.html", "{% set r = resize_image(path=\"s.png\", width=50, height=50) %}{{ r.url }}");
    std::fs::create_dir_all(site.path("static")).unwrap();
    image.save(site.path("static/s.png")).unwrap();
    site.build(&[]);
    let url = site.read("public/a/index.html");
    let path = url.split("/processed_images/").nth(1).unwrap();
    let out = image::open(site.path(&format!("public/processed_images/{path}"))).unwrap().to_rgb8();
    for (x, y) in [(0, 0), (49, 49), (25, 25)] {
        let p = out.get_pixel(x, y).0;
        assert!(p[1] > 200 && p[0] < 60 && p[2] < 60, "pixel {x},{y} is {p:?}");
    }
}

#[test]
fn a_second_build_encodes_nothing_and_a_changed_image_is_encoded_again() {
    let cases = zola_cases();
    let site = zola_site(&cases[..3]);
    site.write(
        "templates/shortcodes/thumb.html",
        "{% set r = resize_image(path=path, width=20, op=\"fit_width\") %}<img src=\"{{ r.url }}\">",
    )
    .write("content/_index.md", "+++\n+++\n{{ thumb(path=\"blog/b.jpg\") }}\n")
    .write(
        "templates/index.html",
        "{{ section.content | safe }}{% set r = resize_image(path=\"img/a.png\", width=9, height=9) %}{{ r.url }}",
    );
    let build = || {
        let mut options = fanzine::site::BuildOptions::new(site.path(""), time::macros::date!(2026 - 01 - 01));
        options.cache_dir = Some(site.path(".fanzine-cache"));
        let collect = fanzine::render::Collect::default();
        let built = fanzine::build::Builder::once(options).build(None, &collect).unwrap();
        (built.images_encoded, collect.into_output())
    };
    let (encoded, first) = build();
    assert_eq!(encoded, 2, "one from the shortcode, one from the template");
    let images: Vec<&String> = first.files.keys().filter(|p| p.starts_with("processed_images/")).collect();
    assert_eq!(images.len(), 2, "{images:?}");
    let (encoded, second) = build();
    assert_eq!(encoded, 0, "an unchanged image is never encoded again");
    assert_eq!(second.files.keys().collect::<Vec<_>>(), first.files.keys().collect::<Vec<_>>());
    std::fs::write(site.path("content/blog/b.jpg"), jpeg(30, 38)).unwrap();
    let (encoded, third) = build();
    assert_eq!(encoded, 1, "the changed image only");
    let home = String::from_utf8(third.bytes("index.html").unwrap().to_vec()).unwrap();
    let thumb = home.split("src=\"").nth(1).unwrap().split('"').next().unwrap();
    let thumb = thumb.strip_prefix("https://example.com/").unwrap();
    // Zola's name hashes the path, not the image: the name stays, the file is the new one.
    assert!(first.files.contains_key(thumb), "Zola's name stays: {home}");
    let bytes = |output: &fanzine::render::Output| match &output.files[thumb] {
        fanzine::render::Entry::Copy(kept) => std::fs::read(kept).unwrap(),
        fanzine::render::Entry::Bytes(bytes) => bytes.to_vec(),
    };
    assert_ne!(bytes(&third), bytes(&first), "the new image, not the kept one");
    let decoded = image::load_from_memory(&bytes(&third)).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (20, 25), "20 wide, from the new 30 × 38 image");
}

#[test]
fn a_fanzine_sites_changed_image_gets_a_new_name() {
    let site = Site::empty();
    site.write("content/a.md", "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nText.\n")
        .write("templates/post.html", "{% set r = resize_image(path=\"a.png\", width=5, height=5) %}{{ r.url }}");
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::fs::write(site.path("static/a.png"), png(10, 10)).unwrap();
    site.build(&[]);
    let first = site.read("public/a/index.html");
    std::fs::write(site.path("static/a.png"), png(12, 10)).unwrap();
    site.build(&[]);
    let second = site.read("public/a/index.html");
    assert!(first.contains("/processed_images/a.") && second.contains("/processed_images/a."), "{first} {second}");
    assert_ne!(first, second, "a browser never keeps the old image under the new one's URL");
}

/// Zola deletes from `static/processed_images/` the images a build did not make, and publishes the rest, which
/// fanzine makes itself: a Zola site's leftovers there are not published. A fanzine site's folder is its own.
#[test]
fn a_zola_sites_leftover_processed_images_are_not_published() {
    for (config, published) in [("config.toml", false), ("fanzine.toml", true)] {
        let site = Site::empty();
        site.write(config, "base_url = \"https://example.com\"\n")
            .write("content/_index.md", "+++\n+++\n")
            .write("templates/index.html", "{% set r = resize_image(path=\"a.png\", width=5, height=5) %}{{ r.url }}")
            .write("static/processed_images/old.0123456789abcdef.png", "left by an earlier build")
            .write("static/processed_images_of_mine/b.txt", "kept");
        std::fs::write(site.path("static/a.png"), png(10, 10)).unwrap();
        let run = site.build(&[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let url = site.read("public/index.html");
        let made = url.strip_prefix("https://example.com/").unwrap();
        assert!(site.path(&format!("public/{made}")).is_file(), "{config}: {url}");
        let old = site.path("public/processed_images/old.0123456789abcdef.png");
        assert_eq!(old.is_file(), published, "{config}");
        assert!(site.path("public/processed_images_of_mine/b.txt").is_file(), "{config}");
    }
}

/// A theme's `static/processed_images/` is no store of Zola's: Zola 0.21 published `processed_images/theme.png`
/// of the theme (and none of the site's own folder) for this site, and so does fanzine.
#[test]
fn a_themes_processed_images_are_published_as_zola_publishes_them() {
    let site = Site::empty();
    site.write("config.toml", "base_url = \"https://example.com\"\ntheme = \"t\"\n")
        .write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .write("themes/t/theme.toml", "name = \"t\"\n")
        .write("themes/t/templates/index.html", "home")
        .write("themes/t/static/processed_images/theme.png", "the theme's")
        .write("static/processed_images/site.png", "left by an earlier build");
    site.build(&[]);
    assert_eq!(site.read("public/processed_images/theme.png"), "the theme's");
    assert!(!site.path("public/processed_images/site.png").exists());
}
