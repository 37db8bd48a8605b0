//! Residents' photos of problems in public space: checking and cleaning an upload.
//!
//! An upload is accepted only if its *content* is a JPEG, PNG or WebP image (the file name
//! and the declared type are never trusted), it is not larger than the configured size and
//! its header does not promise more than [`MAX_PIXELS`] pixels (a decompression bomb is
//! refused before a single pixel is decoded).
//!
//! The original bytes are never served. The photo is decoded and re-encoded as two fresh
//! JPEGs, a display size and a thumbnail, so nothing of the original file survives but its
//! pixels: no EXIF (GPS position, camera serial number, time), no XMP, no comments. Before the
//! metadata is dropped its Orientation tag is applied to the pixels, so phone photos are not
//! shown sideways; transparency is flattened onto white.
//!
//! Decoding is CPU-heavy: async callers use [`process_async`].

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::codecs::jpeg::{JpegDecoder, JpegEncoder};
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::imageops::{self, FilterType};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, Limits, RgbImage};
use sha2::{Digest, Sha256};

/// Default upper bound for one uploaded file.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// Longest side of the display image.
pub const DISPLAY_MAX_SIDE: u32 = 1600;
/// Longest side of the thumbnail.
pub const THUMB_MAX_SIDE: u32 = 320;
/// Largest accepted image, in pixels (width × height), checked from the header before decoding.
pub const MAX_PIXELS: u64 = 40_000_000;
/// JPEG quality of both output sizes.
pub const JPEG_QUALITY: u8 = 82;

/// Most memory a decoder may allocate: the largest accepted image at 16-bit RGBA.
const MAX_DECODE_ALLOC: u64 = MAX_PIXELS * 8;

/// An accepted image format, recognised by its magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Webp,
}

impl PhotoFormat {
    /// The MIME type of this format.
    pub fn mime(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "image/jpeg",
            PhotoFormat::Png => "image/png",
            PhotoFormat::Webp => "image/webp",
        }
    }
}

/// Why a file was refused. Each maps to a user-facing problem code in the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max_bytes} bytes")]
    TooBig { max_bytes: usize },
    /// Sniffed by magic bytes, never by name or declared type.
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image is {width}×{height}, larger than allowed")]
    TooManyPixels { width: u32, height: u32 },
    #[error("the image data is damaged")]
    Corrupt,
}

/// A processed photo: both sizes freshly encoded as JPEG from the decoded pixels, so no
/// metadata of the original survives.
#[derive(Clone, PartialEq, Eq)]
pub struct Processed {
    pub display: Vec<u8>,
    pub display_width: u32,
    pub display_height: u32,
    pub thumb: Vec<u8>,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub original_format: PhotoFormat,
    /// Hex SHA-256 of the uploaded bytes, for duplicate detection.
    pub sha256: String,
}

impl std::fmt::Debug for Processed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Processed")
            .field("display", &format_args!("{} bytes", self.display.len()))
            .field("display_width", &self.display_width)
            .field("display_height", &self.display_height)
            .field("thumb", &format_args!("{} bytes", self.thumb.len()))
            .field("thumb_width", &self.thumb_width)
            .field("thumb_height", &self.thumb_height)
            .field("original_format", &self.original_format)
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// The format of `bytes`, judged by magic bytes only.
pub fn sniff(bytes: &[u8]) -> Option<PhotoFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(PhotoFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PhotoFormat::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(PhotoFormat::Webp)
    } else {
        None
    }
}

/// Checks an upload and makes the display and thumbnail JPEGs.
///
/// CPU-heavy: async code should call [`process_async`] instead.
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Processed, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(PhotoError::TooBig { max_bytes });
    }
    let format = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let (width, height) = header_dimensions(bytes, format).ok_or(PhotoError::Corrupt)?;
    check_pixels(width, height)?;

    // The decoders are third-party code fed with untrusted bytes: a panic in them must
    // become a refusal, not a crashed worker.
    let (display, thumb) = catch_unwind(AssertUnwindSafe(|| render(bytes, format)))
        .map_err(|_| PhotoError::Corrupt)??;

    Ok(Processed {
        display_width: display.width(),
        display_height: display.height(),
        display: encode_jpeg(&display)?,
        thumb_width: thumb.width(),
        thumb_height: thumb.height(),
        thumb: encode_jpeg(&thumb)?,
        original_format: format,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

/// How many photos are decoded at once. Each decode may hold up to about
/// [`MAX_PIXELS`] × 8 bytes, so this, not the number of uploads arriving together (a burst
/// of large photos, or of decompression bombs that pass the header check), bounds the
/// memory photos take. Decoding is CPU work: more at once than cores would not be faster.
pub fn decode_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4))
}

/// [`process`] on tokio's blocking thread pool, waiting for one of the [`decode_slots`].
pub async fn process_async(bytes: Vec<u8>, max_bytes: usize) -> Result<Processed, PhotoError> {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let slots = SLOTS.get_or_init(|| tokio::sync::Semaphore::new(decode_slots()));
    // The semaphore is never closed; were it, decoding would go on unlimited.
    let _slot = slots.acquire().await.ok();
    tokio::task::spawn_blocking(move || process(&bytes, max_bytes))
        .await
        .unwrap_or(Err(PhotoError::Corrupt))
}

fn check_pixels(width: u32, height: u32) -> Result<(), PhotoError> {
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt);
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels { width, height });
    }
    Ok(())
}

/// Decodes, flattens, shrinks and orients: returns the display and thumbnail pixels.
fn render(bytes: &[u8], format: PhotoFormat) -> Result<(RgbImage, RgbImage), PhotoError> {
    let (decoded, orientation) = decode(bytes, format)?;
    let flat = flatten(decoded);

    // Shrinking before rotating gives the same picture (the bound is on the longest side,
    // whichever way up) and spares rotating the full-size original.
    let display = shrink(flat, DISPLAY_MAX_SIDE, FilterType::CatmullRom);
    let mut display = DynamicImage::ImageRgb8(display);
    display.apply_orientation(orientation);
    let display = display.into_rgb8();

    let thumb = shrink(display.clone(), THUMB_MAX_SIDE, FilterType::Triangle);
    Ok((display, thumb))
}

/// Decodes the pixels with allocation limits and reads the EXIF orientation.
fn decode(bytes: &[u8], format: PhotoFormat) -> Result<(DynamicImage, Orientation), PhotoError> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    let cursor = Cursor::new(bytes);
    match format {
        PhotoFormat::Jpeg if !jpeg_is_complete(bytes) => Err(PhotoError::Corrupt),
        PhotoFormat::Jpeg => decode_with(JpegDecoder::new(cursor), limits),
        PhotoFormat::Png => decode_with(PngDecoder::with_limits(cursor, limits.clone()), limits),
        PhotoFormat::Webp => decode_with(WebPDecoder::new(cursor), limits),
    }
}

fn decode_with(
    decoder: Result<impl ImageDecoder, ImageError>,
    limits: Limits,
) -> Result<(DynamicImage, Orientation), PhotoError> {
    let mut decoder = decoder.map_err(|e| map_image_error(e, (0, 0)))?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height)?;
    if decoder.total_bytes() > MAX_DECODE_ALLOC {
        return Err(PhotoError::TooManyPixels { width, height });
    }
    decoder
        .set_limits(limits)
        .map_err(|e| map_image_error(e, (width, height)))?;
    // Damaged EXIF must not cost the resident their photo: it is dropped anyway.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image =
        DynamicImage::from_decoder(decoder).map_err(|e| map_image_error(e, (width, height)))?;
    Ok((image, orientation))
}

fn map_image_error(error: ImageError, (width, height): (u32, u32)) -> PhotoError {
    match error {
        ImageError::Limits(_) => PhotoError::TooManyPixels { width, height },
        _ => PhotoError::Corrupt,
    }
}

/// 8-bit RGB, with any transparency composited onto white.
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            // Rounded (c·a + 255·(255 − a)) / 255; never exceeds 255.
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// Scales `image` down so its longest side is at most `max_side`; never scales up.
fn shrink(image: RgbImage, max_side: u32, filter: FilterType) -> RgbImage {
    let (width, height) = image.dimensions();
    let (new_width, new_height) = fit_within(width, height, max_side);
    if (new_width, new_height) == (width, height) {
        image
    } else {
        imageops::resize(&image, new_width, new_height, filter)
    }
}

/// The size of a `width`×`height` image scaled down to fit in a `max_side` square.
fn fit_within(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max_side {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(max_side) + u64::from(longest) / 2) / u64::from(longest);
        (scaled as u32).max(1)
    };
    (scale(width), scale(height))
}

/// A heavily blurred copy of one of our stored JPEGs: faces and number plates become
/// unreadable while the scene stays recognisable. CPU-heavy (run it on a blocking thread).
pub fn blur_jpeg(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
        .map_err(|_| PhotoError::Corrupt)?
        .to_rgb8();
    let sigma = (img.width().max(img.height()) as f32 / 40.0).max(3.0);
    encode_jpeg(&imageops::fast_blur(&img, sigma))
}

fn encode_jpeg(image: &RgbImage) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|_| PhotoError::Corrupt)?;
    Ok(out)
}

/// Width and height as the file's header declares them, without decoding any pixels.
fn header_dimensions(bytes: &[u8], format: PhotoFormat) -> Option<(u32, u32)> {
    match format {
        PhotoFormat::Png => png_dimensions(bytes),
        PhotoFormat::Jpeg => jpeg_dimensions(bytes),
        PhotoFormat::Webp => webp_dimensions(bytes),
    }
}

fn be_u16(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 2)?;
    Some(u32::from(u16::from_be_bytes([b[0], b[1]])))
}

fn le_u16(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 2)?;
    Some(u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn le_u24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], 0]))
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// PNG: the IHDR chunk must come first, right after the 8-byte signature.
fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
    let height = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
    Some((width, height))
}

/// JPEG: the size from the first start-of-frame header.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let (marker, at) = jpeg_find_marker(bytes, is_start_of_frame)?;
    if !is_start_of_frame(marker) {
        return None;
    }
    // length (2), precision (1), height (2), width (2)
    let height = be_u16(bytes, at + 3)?;
    let width = be_u16(bytes, at + 5)?;
    Some((width, height))
}

/// Whether the JPEG's compressed data runs to an end-of-image marker.
///
/// The JPEG decoder is lenient and fills in the missing part of a truncated upload instead
/// of failing; this check turns that into [`PhotoError::Corrupt`]. 0xFF 0xD9 cannot occur inside
/// entropy-coded data (a data 0xFF is always followed by 0x00), and data appended after the
/// end (as some phones do) is allowed.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    match jpeg_find_marker(bytes, |_| false) {
        Some((0xDA, at)) => bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]),
        _ => false,
    }
}

/// SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
fn is_start_of_frame(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Walks the marker segments after SOI up to the first marker `wanted` accepts, or to the
/// start of scan (0xDA) or end of image (0xD9) if none does. Returns that marker and the
/// position right after it.
fn jpeg_find_marker(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<(u8, usize)> {
    let mut at = 2; // after SOI
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        if wanted(marker) || matches!(marker, 0xD9 | 0xDA) {
            return Some((marker, at));
        }
        // Standalone markers carry no length; all others do.
        if !matches!(marker, 0x01 | 0xD0..=0xD7) {
            let length = be_u16(bytes, at)? as usize;
            if length < 2 {
                return None;
            }
            at += length;
        }
    }
}

/// WebP: the first chunk is `VP8 ` (lossy), `VP8L` (lossless) or `VP8X` (extended).
fn webp_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let data = 20; // RIFF header (12) + chunk fourcc (4) + chunk size (4)
    match bytes.get(12..16)? {
        b"VP8 " => {
            // frame tag (3), start code 9d 01 2a, then 14-bit width and height
            if bytes.get(data + 3..data + 6)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((
                le_u16(bytes, data + 6)? & 0x3FFF,
                le_u16(bytes, data + 8)? & 0x3FFF,
            ))
        }
        b"VP8L" => {
            if *bytes.get(data)? != 0x2F {
                return None;
            }
            let bits = le_u32(bytes, data + 1)?;
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le_u24(bytes, data + 4)? + 1, le_u24(bytes, data + 7)? + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::png::PngEncoder;
    use image::codecs::webp::WebPEncoder;
    use image::{ExtendedColorType, ImageEncoder, Rgb, RgbaImage};

    const JPEG_MAGIC: [u8; 3] = [0xFF, 0xD8, 0xFF];
    const GPS_MARKER: &[u8] = b"GPS-31.2304N-121.4737E-SECRET";

    fn gradient(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        })
    }

    fn png(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                ExtendedColorType::Rgb8,
            )
            .unwrap();
        out
    }

    fn jpeg(image: &RgbImage) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(image)
            .unwrap();
        out
    }

    fn webp_lossless(image: &RgbaImage) -> Vec<u8> {
        let mut out = Vec::new();
        WebPEncoder::new_lossless(&mut out)
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                ExtendedColorType::Rgba8,
            )
            .unwrap();
        out
    }

    fn decode_jpeg(bytes: &[u8]) -> RgbImage {
        image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
            .unwrap()
            .into_rgb8()
    }

    /// A JPEG with an APP1 Exif segment (big-endian TIFF, one IFD) right after SOI: the
    /// Orientation tag and an ImageDescription carrying `GPS_MARKER`.
    fn jpeg_with_exif(image: &RgbImage, orientation: u16) -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"MM\0\x2A");
        tiff.extend_from_slice(&8u32.to_be_bytes()); // first IFD right after the header
        tiff.extend_from_slice(&2u16.to_be_bytes()); // two entries
                                                     // Orientation: tag 0x0112, SHORT, count 1, value padded to 4 bytes.
        tiff.extend_from_slice(&0x0112u16.to_be_bytes());
        tiff.extend_from_slice(&3u16.to_be_bytes());
        tiff.extend_from_slice(&1u32.to_be_bytes());
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0]);
        // ImageDescription: tag 0x010E, ASCII, stored after the IFD.
        let text_at = 8 + 2 + 2 * 12 + 4;
        tiff.extend_from_slice(&0x010Eu16.to_be_bytes());
        tiff.extend_from_slice(&2u16.to_be_bytes());
        tiff.extend_from_slice(&(GPS_MARKER.len() as u32 + 1).to_be_bytes());
        tiff.extend_from_slice(&(text_at as u32).to_be_bytes());
        tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
        assert_eq!(tiff.len(), text_at);
        tiff.extend_from_slice(GPS_MARKER);
        tiff.push(0);

        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&tiff);
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
        segment.extend_from_slice(&payload);

        let plain = jpeg(image);
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&segment);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn assert_clean_jpegs(p: &Processed) {
        for out in [&p.display, &p.thumb] {
            assert!(out.starts_with(&JPEG_MAGIC));
            assert!(!contains(out, b"Exif"));
            assert!(!contains(out, GPS_MARKER));
        }
        let display = decode_jpeg(&p.display);
        assert_eq!(display.dimensions(), (p.display_width, p.display_height));
        let thumb = decode_jpeg(&p.thumb);
        assert_eq!(thumb.dimensions(), (p.thumb_width, p.thumb_height));
    }

    #[test]
    fn sniffs_by_magic_bytes() {
        let small = gradient(4, 3);
        assert_eq!(sniff(&png(&small)), Some(PhotoFormat::Png));
        assert_eq!(sniff(&jpeg(&small)), Some(PhotoFormat::Jpeg));
        let rgba = DynamicImage::ImageRgb8(small).into_rgba8();
        assert_eq!(sniff(&webp_lossless(&rgba)), Some(PhotoFormat::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), None);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn accepts_png() {
        let bytes = png(&gradient(40, 30));
        let p = process(&bytes, DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(p.original_format, PhotoFormat::Png);
        assert_eq!((p.display_width, p.display_height), (40, 30));
        assert_eq!((p.thumb_width, p.thumb_height), (40, 30));
        assert_eq!(p.sha256, hex::encode(Sha256::digest(&bytes)));
        assert_eq!(p.sha256.len(), 64);
        assert_clean_jpegs(&p);
    }

    #[test]
    fn accepts_jpeg() {
        let p = process(&jpeg(&gradient(40, 30)), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(p.original_format, PhotoFormat::Jpeg);
        assert_eq!((p.display_width, p.display_height), (40, 30));
        assert_clean_jpegs(&p);
    }

    #[test]
    fn accepts_webp_and_flattens_alpha_onto_white() {
        let mut rgba = DynamicImage::ImageRgb8(gradient(40, 30)).into_rgba8();
        for y in 0..30 {
            for x in 0..20 {
                rgba.put_pixel(x, y, image::Rgba([0, 0, 0, 0]));
            }
        }
        let p = process(&webp_lossless(&rgba), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(p.original_format, PhotoFormat::Webp);
        assert_eq!((p.display_width, p.display_height), (40, 30));
        assert_clean_jpegs(&p);
        // The transparent (black) half comes out white, not black.
        let display = decode_jpeg(&p.display);
        let Rgb([r, g, b]) = *display.get_pixel(5, 15);
        assert!(r > 240 && g > 240 && b > 240, "got {r},{g},{b}");
    }

    #[test]
    fn shrinks_large_images_to_both_sizes() {
        let p = process(&png(&gradient(2000, 1000)), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!((p.display_width, p.display_height), (1600, 800));
        assert_eq!((p.thumb_width, p.thumb_height), (320, 160));
        assert_clean_jpegs(&p);
    }

    #[test]
    fn portrait_images_are_bounded_by_their_height() {
        let p = process(&jpeg(&gradient(500, 1000)), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!((p.display_width, p.display_height), (500, 1000));
        assert_eq!((p.thumb_width, p.thumb_height), (160, 320));
    }

    #[test]
    fn fit_within_never_upscales_and_keeps_one_pixel() {
        assert_eq!(fit_within(40, 30, 320), (40, 30));
        assert_eq!(fit_within(320, 100, 320), (320, 100));
        assert_eq!(fit_within(2000, 1000, 1600), (1600, 800));
        assert_eq!(fit_within(1000, 3000, 1600), (533, 1600));
        assert_eq!(fit_within(10_000, 1, 320), (320, 1));
    }

    #[test]
    fn refuses_non_images_whatever_their_name() {
        // What a browser would send as "photo.jpg".
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
        assert_eq!(process(pdf, DEFAULT_MAX_BYTES), Err(PhotoError::NotAnImage));
        let text = "这不是照片 — just text".as_bytes();
        assert_eq!(
            process(text, DEFAULT_MAX_BYTES),
            Err(PhotoError::NotAnImage)
        );
        // A GIF is an image, but not one we take.
        assert_eq!(
            process(b"GIF89a\x01\0\x01\0\0\0\0;", DEFAULT_MAX_BYTES),
            Err(PhotoError::NotAnImage)
        );
    }

    #[test]
    fn refuses_empty_files() {
        assert_eq!(process(b"", DEFAULT_MAX_BYTES), Err(PhotoError::Empty));
    }

    #[test]
    fn refuses_files_over_the_limit_before_looking_inside() {
        let bytes = png(&gradient(40, 30));
        let max_bytes = bytes.len() - 1;
        assert_eq!(
            process(&bytes, max_bytes),
            Err(PhotoError::TooBig { max_bytes })
        );
        assert!(process(&bytes, bytes.len()).is_ok());
        // Size is checked before content: junk over the limit is TooBig, not NotAnImage.
        assert_eq!(
            process(&[b'x'; 11], 10),
            Err(PhotoError::TooBig { max_bytes: 10 })
        );
    }

    #[test]
    fn truncated_or_damaged_files_are_corrupt() {
        // Large enough that the lenient JPEG decoder would fill in the missing part.
        let bytes = jpeg(&gradient(400, 300));
        for cut in [3, 20, bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
            assert_eq!(
                process(&bytes[..cut], DEFAULT_MAX_BYTES),
                Err(PhotoError::Corrupt),
                "cut at {cut}"
            );
        }
        let bytes = png(&gradient(400, 300));
        for cut in [8, 20, 40, bytes.len() / 2, bytes.len() - 20] {
            assert_eq!(
                process(&bytes[..cut], DEFAULT_MAX_BYTES),
                Err(PhotoError::Corrupt),
                "cut at {cut}"
            );
        }
        let rgba = DynamicImage::ImageRgb8(gradient(400, 300)).into_rgba8();
        let bytes = webp_lossless(&rgba);
        for cut in [12, 24, bytes.len() / 2, bytes.len() - 4] {
            assert_eq!(
                process(&bytes[..cut], DEFAULT_MAX_BYTES),
                Err(PhotoError::Corrupt),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn refuses_decompression_bombs_from_the_header() {
        // Signature and an IHDR claiming 50000×50000 RGB: nothing to decode behind it.
        let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
        bomb.extend_from_slice(&13u32.to_be_bytes());
        bomb.extend_from_slice(b"IHDR");
        bomb.extend_from_slice(&50_000u32.to_be_bytes());
        bomb.extend_from_slice(&50_000u32.to_be_bytes());
        bomb.extend_from_slice(&[8, 2, 0, 0, 0]);
        bomb.extend_from_slice(&[0; 4]); // CRC, never looked at
        assert_eq!(
            process(&bomb, DEFAULT_MAX_BYTES),
            Err(PhotoError::TooManyPixels {
                width: 50_000,
                height: 50_000
            })
        );

        // A JPEG whose frame header is patched to 65000×65000.
        let mut jpeg_bomb = jpeg(&gradient(40, 30));
        let sof = jpeg_bomb
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .unwrap();
        jpeg_bomb[sof + 5..sof + 9].copy_from_slice(&[0xFD, 0xE8, 0xFD, 0xE8]);
        assert_eq!(
            process(&jpeg_bomb, DEFAULT_MAX_BYTES),
            Err(PhotoError::TooManyPixels {
                width: 65_000,
                height: 65_000
            })
        );

        // An extended WebP canvas of 16M×16M.
        let mut webp_bomb = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp_bomb.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(
            process(&webp_bomb, DEFAULT_MAX_BYTES),
            Err(PhotoError::TooManyPixels {
                width: 1 << 24,
                height: 1 << 24
            })
        );
    }

    #[test]
    fn reads_header_dimensions_of_each_format() {
        let image = gradient(40, 30);
        assert_eq!(png_dimensions(&png(&image)), Some((40, 30)));
        assert_eq!(jpeg_dimensions(&jpeg(&image)), Some((40, 30)));
        assert_eq!(jpeg_dimensions(&jpeg_with_exif(&image, 6)), Some((40, 30)));
        let rgba = DynamicImage::ImageRgb8(image).into_rgba8();
        assert_eq!(webp_dimensions(&webp_lossless(&rgba)), Some((40, 30)));
    }

    #[test]
    fn jpeg_completeness_allows_trailing_data_but_not_truncation() {
        let bytes = jpeg(&gradient(40, 30));
        assert!(jpeg_is_complete(&bytes));
        assert!(!jpeg_is_complete(&bytes[..bytes.len() - 2]));
        let mut trailer = bytes.clone();
        trailer.extend_from_slice(b"....ftypmp42 motion photo video....");
        assert!(jpeg_is_complete(&trailer));
        assert!(process(&trailer, DEFAULT_MAX_BYTES).is_ok());
    }

    #[test]
    fn strips_exif_and_gps() {
        let bytes = jpeg_with_exif(&gradient(40, 30), 1);
        assert!(contains(&bytes, b"Exif\0\0"));
        assert!(contains(&bytes, GPS_MARKER));
        let p = process(&bytes, DEFAULT_MAX_BYTES).unwrap();
        assert_eq!((p.display_width, p.display_height), (40, 30));
        assert_clean_jpegs(&p);
    }

    #[test]
    fn applies_exif_orientation_before_dropping_it() {
        // Orientation 6: the stored pixels must be turned 90° clockwise to be shown upright.
        // Mark the top-left corner red; after the turn it sits at the top-right.
        let mut image = RgbImage::from_pixel(40, 20, Rgb([0, 0, 255]));
        for y in 0..6 {
            for x in 0..6 {
                image.put_pixel(x, y, Rgb([255, 0, 0]));
            }
        }
        let p = process(&jpeg_with_exif(&image, 6), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!((p.display_width, p.display_height), (20, 40));
        assert_eq!((p.thumb_width, p.thumb_height), (20, 40));
        assert_clean_jpegs(&p);
        let display = decode_jpeg(&p.display);
        let Rgb([r, _, b]) = *display.get_pixel(17, 2);
        assert!(
            r > 200 && b < 60,
            "top-right should be red, got r={r} b={b}"
        );
        let Rgb([r, _, b]) = *display.get_pixel(2, 2);
        assert!(
            r < 60 && b > 200,
            "top-left should be blue, got r={r} b={b}"
        );
    }

    #[test]
    fn damaged_exif_does_not_refuse_the_photo() {
        let mut bytes = jpeg_with_exif(&gradient(40, 30), 6);
        // Point the first IFD far outside the segment.
        let tiff = bytes.windows(4).position(|w| w == b"MM\0\x2A").unwrap();
        bytes[tiff + 4..tiff + 8].copy_from_slice(&0xFFFF_FF00u32.to_be_bytes());
        let p = process(&bytes, DEFAULT_MAX_BYTES).unwrap();
        assert_eq!((p.display_width, p.display_height), (40, 30));
    }

    #[tokio::test]
    async fn process_async_runs_off_the_reactor() {
        let p = process_async(png(&gradient(40, 30)), DEFAULT_MAX_BYTES)
            .await
            .unwrap();
        assert_eq!(p.original_format, PhotoFormat::Png);
        assert_eq!(
            process_async(Vec::new(), DEFAULT_MAX_BYTES).await,
            Err(PhotoError::Empty)
        );
    }
}
