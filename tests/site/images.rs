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
