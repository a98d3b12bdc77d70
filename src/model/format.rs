//! The model file: magic bytes, format version, JSON metadata, weights, SHA-256 checksum.
//!
//! ```text
//! offset  size  field
//! 0       12    magic "PROPSCAN\r\n\x1a\n" (catches text-mode transfers and foreign files)
//! 12      4     format version, u32 little-endian
//! 16      4     metadata length M, u32 little-endian (at most 16 MiB)
//! 20      M     metadata, UTF-8 JSON (see `meta.rs`)
//! 20+M    4     entry count N, u32 little-endian
//! 24+M    12·N  entries: bucket u32, idf f32, weight f32, little-endian, buckets strictly increasing
//! ...     8     intercept, f64 little-endian
//! ...     32    SHA-256 of every byte before it
//! ```
//!
//! Loading checks the magic, then the version, then the checksum, then every length against the bytes actually
//! present, so a truncated, corrupted, newer or foreign file is refused with a message that says which, and no
//! declared length can cause a large allocation.

use super::{Entry, Metadata, Model};
use crate::error::{Error, ModelProblem, Result};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The first bytes of every model file.
pub const MAGIC: &[u8; 12] = b"PROPSCAN\r\n\x1a\n";
/// The format version this build writes and the newest it reads. Version 2 added `social`, `window_words` and
/// `stopwords` to the feature options; version 1 files are read with all three off.
pub const FORMAT_VERSION: u32 = 2;
/// Largest metadata block accepted.
const MAX_METADATA: usize = 16 << 20;
/// Largest model file accepted (2^24 buckets at 12 bytes each, plus metadata, fits well within this).
const MAX_FILE: u64 = 512 << 20;
const HEADER: usize = 12 + 4 + 4;
const TRAILER: usize = 8 + 32;
const ENTRY: usize = 12;

/// Serialises a model to bytes. The same model always gives the same bytes.
pub fn to_bytes(model: &Model) -> Result<Vec<u8>> {
    let meta = serde_json::to_vec(model.meta())
        .map_err(|e| Error::model("<in memory>", ModelProblem::Unwritable(format!("cannot encode metadata: {e}"))))?;
    if meta.len() > MAX_METADATA {
        return Err(Error::model("<in memory>", ModelProblem::Unwritable("metadata larger than 16 MiB".into())));
    }
    let entries = model.entries();
    let mut out = Vec::with_capacity(HEADER + meta.len() + 4 + entries.len() * ENTRY + TRAILER);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for e in entries {
        out.extend_from_slice(&e.bucket.to_le_bytes());
        out.extend_from_slice(&e.idf.to_le_bytes());
        out.extend_from_slice(&e.weight.to_le_bytes());
    }
    out.extend_from_slice(&model.bias().to_le_bytes());
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    Ok(out)
}

/// Writes a model atomically: to a temporary file beside `path`, then renamed over it.
pub fn save(model: &Model, path: &Path) -> Result<()> {
    let bytes = to_bytes(model)?;
    crate::records::atomic_write(path, |w| w.write_all(&bytes))
}

/// Reads and checks a model file.
pub fn load(path: &Path) -> Result<Model> {
    from_bytes(&read_bounded(path)?, &path.display().to_string())
}

/// Reads a would-be model file, refusing anything larger than a model can be (before reading it all, even
/// from a device or pipe that reports no size).
pub fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let too_big = || Error::model(path.display().to_string(), ModelProblem::TooLarge { limit_mib: MAX_FILE >> 20 });
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if len > MAX_FILE {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    let mut limited = file.take(MAX_FILE + 1);
    // The magic bytes first: a foreign file (or a device like /dev/zero) is refused without reading the rest.
    (&mut limited).take(MAGIC.len() as u64).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes[..] != MAGIC[..] {
        // Too short or foreign: the parser says which, and nothing more is read.
        let name = path.display().to_string();
        return Err(from_bytes(&bytes, &name).err().unwrap_or_else(|| Error::model(name, ModelProblem::NotAModel)));
    }
    limited.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_big());
    }
    Ok(bytes)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// The format version written in a model file's header (0 when the bytes are too short to hold one).
pub fn version_of(bytes: &[u8]) -> u32 {
    u32_at(bytes, 12).unwrap_or(0)
}

/// Parses and checks model bytes; `name` is used in messages.
pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Model> {
    let fail = |problem: ModelProblem| Error::model(name, problem);
    let magic_len = bytes.len().min(MAGIC.len());
    if bytes[..magic_len] != MAGIC[..magic_len] {
        return Err(fail(ModelProblem::NotAModel));
    }
    if bytes.len() < HEADER + 4 + TRAILER {
        return Err(fail(ModelProblem::Truncated { bytes: bytes.len() as u64, expected: None }));
    }
    let version = u32_at(bytes, 12).unwrap_or(0);
    if version > FORMAT_VERSION {
        return Err(fail(ModelProblem::NewerFormat { version, newest: FORMAT_VERSION }));
    }
    if version == 0 {
        return Err(fail(ModelProblem::Damaged("format version 0 does not exist".into())));
    }
    let body = bytes.len() - 32;
    if Sha256::digest(&bytes[..body])[..] != bytes[body..] {
        return Err(fail(match expected_len(bytes) {
            Some(expected) if expected > bytes.len() => {
                ModelProblem::Truncated { bytes: bytes.len() as u64, expected: Some(expected as u64) }
            }
            _ => ModelProblem::ChecksumMismatch,
        }));
    }
    parse_body(bytes, body).map_err(|msg| fail(ModelProblem::Damaged(msg)))
}

/// The file length the header fields describe, when they can be read.
fn expected_len(bytes: &[u8]) -> Option<usize> {
    let meta_len = u32_at(bytes, 16)? as usize;
    let n = u32_at(bytes, HEADER + meta_len)? as usize;
    Some(HEADER + meta_len + 4 + n * ENTRY + TRAILER)
}

/// Parses the checked bytes before the checksum (`body` bytes).
fn parse_body(bytes: &[u8], body: usize) -> std::result::Result<Model, String> {
    let meta_len = u32_at(bytes, 16).ok_or("header cannot be read")? as usize;
    if meta_len > MAX_METADATA || HEADER + meta_len + 4 > body {
        return Err(format!("metadata length {meta_len} does not fit in the file"));
    }
    let meta: Metadata = serde_json::from_slice(&bytes[HEADER..HEADER + meta_len])
        .map_err(|e| format!("metadata cannot be read (damaged or unsupported): {e}"))?;
    meta.features.validate().map_err(|e| format!("unsupported feature settings: {e}"))?;
    let at = HEADER + meta_len;
    let n = u32_at(bytes, at).ok_or("entry count cannot be read")? as usize;
    let entries_start = at + 4;
    let want = n.checked_mul(ENTRY).and_then(|b| b.checked_add(entries_start + 8));
    if want != Some(body) {
        return Err(format!("{n} entries do not match the file length"));
    }
    if n > meta.features.buckets() {
        return Err(format!("{n} entries for {} buckets", meta.features.buckets()));
    }
    let mut entries = Vec::with_capacity(n);
    for k in 0..n {
        let p = entries_start + k * ENTRY;
        let word = |o: usize| u32_at(bytes, p + o).unwrap_or(0);
        entries.push(Entry { bucket: word(0), idf: f32::from_bits(word(4)), weight: f32::from_bits(word(8)) });
    }
    let bias_at = entries_start + n * ENTRY;
    let bias_bytes: [u8; 8] =
        bytes.get(bias_at..bias_at + 8).and_then(|b| b.try_into().ok()).ok_or("intercept cannot be read")?;
    let bias = f64::from_le_bytes(bias_bytes);
    Model::new(meta, entries, bias).map_err(|e| match e {
        Error::Model { problem: ModelProblem::Damaged(message), .. } => message,
        other => other.to_string(),
    })
}

/// SHA-256 of a model file's bytes, hex (identifies a model in audit trails).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The default model, built from `corpora/` and embedded in the binary.
pub static DEFAULT_MODEL: &[u8] = include_bytes!("../../models/default.model");

/// Loads the embedded default model.
pub fn default_model() -> Result<Model> {
    from_bytes(DEFAULT_MODEL, "<built-in>")
}
