//! Memory stays bounded when many large photos arrive at once: decoding waits for one of a
//! few slots, so eight 16-megapixel uploads together take about what the slots allow, not
//! eight times one decode. Alone in its test binary, so the process's peak memory is the
//! photos'.

#![cfg(all(feature = "server", target_os = "linux"))]

use gongzhi_domain::photos;

/// The process's peak resident memory so far, in kB (Linux `VmHWM`).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("/proc/self/status")
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// A 4000 × 4000 PNG of a gradient: small on the wire, 48 MB once decoded.
fn large_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(4000, 4000, |x, y| {
        image::Rgb([(x / 64) as u8, (y / 64) as u8, 128])
    });
    let mut buf = std::io::Cursor::new(Vec::new());
    img.write_to(&mut buf, image::ImageFormat::Png)
        .expect("encode");
    buf.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_large_photos_at_once_take_bounded_memory() {
    let png = large_png();
    let before = peak_kb();
    photos::process_async(png.clone(), photos::DEFAULT_MAX_BYTES)
        .await
        .expect("a large photo is fine");
    let one = peak_kb().saturating_sub(before).max(1);
    let many = 8;
    let tasks: Vec<_> = (0..many)
        .map(|_| {
            tokio::spawn(photos::process_async(
                png.clone(),
                photos::DEFAULT_MAX_BYTES,
            ))
        })
        .collect();
    for t in tasks {
        t.await.expect("task").expect("processed");
    }
    let all = peak_kb().saturating_sub(before);
    let slots = photos::decode_slots() as u64;
    println!("one decode: +{one} kB; {many} at once: +{all} kB; {slots} slots");
    // Eight unbounded decodes would take about eight times one; the slots allow `slots`
    // at a time (with room for the allocator's slack).
    assert!(
        all <= one * (slots + 1),
        "{many} photos at once took {all} kB, one took {one} kB, with {slots} slots"
    );
}
