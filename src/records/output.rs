//! Output files: written under a temporary name and renamed into place, so that a reader never sees half a file
//! and a failed run leaves the old file as it was; and never at the cost of what is already at the path.
//!
//! - A regular file (or a new path) is written to a temporary file beside it and renamed over it; the old file's
//!   permissions, and its owner where the process may set it, carry over. A read-only file is refused.
//! - Anything else (a FIFO, a character or block device, a socket, and every path under `/dev/` or
//!   `/proc/`, such as `/dev/stdout` or `/dev/null`) is written to directly: renaming over it would replace the
//!   device with a regular file.
//! - Temporary files are listed while they exist, so that a signal handler can remove them
//!   ([`remove_temp_files`]) instead of leaving `.name.XXXX.propscan-tmp` behind.
//!
//! [`same_file`] compares device and inode, so that a command can refuse an output that is one of its inputs.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files now being written.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn register(path: &Path) {
    if let Ok(mut t) = TEMPS.lock() {
        t.push(path.to_path_buf());
    }
}

fn unregister(path: &Path) {
    if let Ok(mut t) = TEMPS.lock() {
        t.retain(|p| p != path);
    }
}

/// Removes every temporary output file still being written (for a handler of SIGINT and SIGTERM, which then
/// exits): the files they would have replaced stay as they were. Returns how many were removed.
pub fn remove_temp_files() -> usize {
    let paths = match TEMPS.lock() {
        Ok(mut t) => std::mem::take(&mut *t),
        Err(_) => return 0,
    };
    paths.iter().filter(|p| std::fs::remove_file(p).is_ok()).count()
}

/// True when `a` and `b` name the same existing file (same device and inode; links and `..` see through).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// A file being written: under a temporary name beside its final path, renamed into place by
/// [`AtomicFile::commit`] and removed if dropped before; or, for a device or FIFO, directly.
#[derive(Debug)]
pub struct AtomicFile {
    inner: Inner,
    target: PathBuf,
}

#[derive(Debug)]
enum Inner {
    Temp(Registered),
    Direct(File),
}

/// A temporary file, listed for [`remove_temp_files`] until it is persisted or dropped.
#[derive(Debug)]
struct Registered(Option<tempfile::NamedTempFile>);

impl Registered {
    fn new(tmp: tempfile::NamedTempFile) -> Self {
        register(tmp.path());
        Registered(Some(tmp))
    }

    fn file(&self) -> Option<&tempfile::NamedTempFile> {
        self.0.as_ref()
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            unregister(t.path());
        }
    }
}

/// True for a path that names a device or a process's file whatever it looks like (`/dev/stdout`).
fn special_path(p: &Path) -> bool {
    p.starts_with("/dev") || p.starts_with("/proc")
}

impl AtomicFile {
    /// Prepares the output now, so that an unwritable or unsuitable destination fails before any work is done.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        // Write through a symbolic link to the file it points at.
        let existing = std::fs::metadata(target).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Error::Usage(format!("{} is a directory; give a file name for the output", target.display())));
        }
        if let Some(m) = &existing {
            if !m.is_file() || special_path(target) {
                let file = std::fs::OpenOptions::new().write(true).open(target).map_err(|e| Error::io(target, e))?;
                return Ok(AtomicFile { inner: Inner::Direct(file), target: target.to_path_buf() });
            }
            if m.permissions().readonly() {
                return Err(Error::Usage(format!(
                    "{} is read-only; make it writable (chmod u+w) or choose another output",
                    target.display()
                )));
            }
        }
        let resolved = match existing {
            Some(_) => std::fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf()),
            None => target.to_path_buf(),
        };
        let target = resolved.as_path();
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("output");
        let mut builder = tempfile::Builder::new();
        let prefix = format!(".{name}.");
        builder.prefix(&prefix).suffix(".propscan-tmp");
        // A temporary file is private (0600) by default; the finished file should be readable like any other.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = existing.as_ref().map_or_else(|| std::fs::Permissions::from_mode(0o644), |m| m.permissions());
            builder.permissions(mode);
        }
        let tmp = builder.tempfile_in(&dir).map_err(|e| Error::io(target, e))?;
        #[cfg(unix)]
        if let Some(m) = &existing {
            use std::os::unix::fs::MetadataExt;
            // Keep the old file's owner where this process may (as root); otherwise the file becomes ours.
            let _ = std::os::unix::fs::chown(tmp.path(), Some(m.uid()), Some(m.gid()));
        }
        Ok(AtomicFile { inner: Inner::Temp(Registered::new(tmp)), target: target.to_path_buf() })
    }

    /// A handle to write through.
    pub fn writer(&self) -> Result<File> {
        let file = match &self.inner {
            Inner::Temp(t) => t.file().map(|t| t.as_file()),
            Inner::Direct(f) => Some(f),
        };
        let gone = || Error::io(&self.target, std::io::Error::other("the output was already committed"));
        file.ok_or_else(gone)?.try_clone().map_err(|e| Error::io(&self.target, e))
    }

    /// Flushes to disk and renames the file into place (a device or FIFO was written to directly: nothing to
    /// move).
    pub fn commit(self) -> Result<()> {
        match self.inner {
            Inner::Direct(mut f) => f.flush().map_err(|e| Error::io(&self.target, e)),
            Inner::Temp(mut registered) => {
                let Some(tmp) = registered.0.take() else { return Ok(()) };
                let path = tmp.path().to_path_buf();
                let done =
                    tmp.as_file().sync_all().map_err(|e| Error::io(&self.target, e)).and_then(|_| {
                        tmp.persist(&self.target).map(|_| ()).map_err(|e| Error::io(&self.target, e.error))
                    });
                unregister(&path);
                done
            }
        }
    }
}

/// Writes a file atomically with `f`.
pub fn atomic_write(path: &Path, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let file = AtomicFile::create(path)?;
    let mut w = std::io::BufWriter::new(file.writer()?);
    f(&mut w).and_then(|_| w.flush()).map_err(|e| Error::io(path, e))?;
    drop(w);
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_files_are_listed_until_committed_or_dropped() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("out.csv");
        let a = AtomicFile::create(&target).expect("create");
        let tmp = match &a.inner {
            Inner::Temp(t) => t.file().expect("temporary file").path().to_path_buf(),
            Inner::Direct(_) => panic!("a new path is written through a temporary file"),
        };
        assert!(TEMPS.lock().expect("lock").contains(&tmp));
        a.commit().expect("commit");
        assert!(!TEMPS.lock().expect("lock").contains(&tmp));
        assert!(target.exists());
    }

    #[test]
    fn devices_are_written_directly() {
        let a = AtomicFile::create(Path::new("/dev/null")).expect("/dev/null");
        assert!(matches!(a.inner, Inner::Direct(_)));
        writeln!(a.writer().expect("writer"), "x").expect("write");
        a.commit().expect("commit");
        assert!(!std::fs::metadata("/dev/null").expect("null").file_type().is_file());
    }

    #[test]
    fn same_file_sees_through_links() {
        let dir = tempfile::tempdir().expect("dir");
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "x").expect("write");
        let b = dir.path().join("sub/../a.csv");
        std::fs::create_dir(dir.path().join("sub")).expect("dir");
        assert!(same_file(&a, &b));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&a, &link).expect("link");
            assert!(same_file(&a, &link));
        }
        assert!(!same_file(&a, &dir.path().join("other.csv")));
    }
}
