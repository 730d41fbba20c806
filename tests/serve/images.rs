//! `resize_image` in the preview: processed images are served, and a save re-encodes only images whose source or
//! operation changed (the preview keeps what it encoded in memory; the terminal line counts what it encoded).
use crate::support::{SiteDir, version};

fn png(width: u32, height: u32, red: u8) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([red, 0, 0]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// The paths of the processed images a page shows.
fn images(page: &str) -> Vec<String> {
    page.split("/processed_images/")
        .skip(1)
        .map(|rest| format!("/processed_images/{}", rest.split('"').next().unwrap()))
        .collect()
}

#[test]
fn the_preview_serves_processed_images_and_encodes_them_once() {
    let site = SiteDir::new();
    site.write(
        "templates/shortcodes/thumb.html",
        "{% set r = resize_image(path=path, width=10, op=\"fit_width\") %}<img src=\"{{ r.url }}\">",
    );
    site.write("templates/post.html", "{% set r = resize_image(path=\"img/a.png\", width=6, height=4) %}<img src=\"{{ r.url }}\">{{ page.content | safe }}");
    site.write(
        "content/posts/alpha.md",
        &crate::support::post("Alpha", "2020-01-01", &["rust"], "{{ thumb(path=\"img/b.png\") }}"),
    );
    std::fs::create_dir_all(site.path("static/img")).unwrap();
    std::fs::write(site.path("static/img/a.png"), png(30, 20, 255)).unwrap();
    std::fs::write(site.path("static/img/b.png"), png(40, 20, 128)).unwrap();
    let running = site.start();
    let mut events = running.events();
    let first = events.next();
    let page = running.get("/posts/alpha/").body;
    let shown = images(&page);
    assert_eq!(shown.len(), 2, "{page}");
    for (path, size) in shown.iter().zip([(6, 4), (10, 5)]) {
        let (status, content_type, bytes) = running.get_bytes(path);
        assert_eq!((status, content_type.as_str()), (200, "image/png"), "{path}");
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), size, "{path}");
    }

    // Saving the post with the shortcode renders its Markdown again, but no image is encoded again.
    site.write(
        "content/posts/alpha.md",
        &crate::support::post("Alpha", "2020-01-01", &["rust"], "Again: {{ thumb(path=\"img/b.png\") }}"),
    );
    let second = events.newer_than(version(&first));
    let page = running.get("/posts/alpha/").body;
    assert!(page.contains("Again:"), "{page}");
    assert_eq!(images(&page), shown);
    assert_eq!(running.get_bytes(&shown[1]).0, 200);
    assert!(!running.log().contains("encoded"), "{}", running.log());

    // A new image under the same name is encoded, under a new name.
    std::fs::write(site.path("static/img/b.png"), png(40, 40, 64)).unwrap();
    events.newer_than(version(&second));
    let page = running.get("/posts/alpha/").body;
    let now = images(&page);
    assert_eq!(now[0], shown[0]);
    assert_ne!(now[1], shown[1]);
    let (status, _, bytes) = running.get_bytes(&now[1]);
    assert_eq!(status, 200);
    assert_eq!(image::load_from_memory(&bytes).unwrap().height(), 10);
    assert!(running.log().contains("(1 image encoded)"), "{}", running.log());
}
