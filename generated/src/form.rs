//! `multipart/form-data` bodies (RFC 7578): the files and values of a form, encoded with a
//! boundary that no part holds, from memory or streamed from files.
//!
//! A spec without form bodies uses only [`FilePart`] of this, so the rest may go unused.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::Serialize;
use tokio::io::AsyncReadExt;

use crate::error::{Error, ProgenitorError};

/// How much of a streamed file is read at a time.
const CHUNK: usize = 64 * 1024;

/// A file sent as one part of a `multipart/form-data` body: its contents, the file name the
/// server is told, and its media type.
///
/// The contents are either held in memory ([`FilePart::new`], [`FilePart::from_path`]), so that
/// a request a retry can fix is sent again whole, or read from the file while the request goes
/// out ([`FilePart::stream_from_path`]), so that a large file is never held in memory. A request
/// with a streamed part is sent once: a stream cannot be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePart {
    contents: Contents,
    file_name: String,
    content_type: String,
}

/// Where a part's bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Contents {
    Memory(Bytes),
    /// A file of `len` bytes, opened when the body is sent.
    File {
        path: PathBuf,
        len: u64,
    },
}

impl Contents {
    fn len(&self) -> u64 {
        match self {
            Contents::Memory(bytes) => bytes.len() as u64,
            Contents::File { len, .. } => *len,
        }
    }

    /// The bytes held in memory (none for a file).
    fn memory(&self) -> &[u8] {
        match self {
            Contents::Memory(bytes) => bytes,
            Contents::File { .. } => &[],
        }
    }
}

impl FilePart {
    /// A file named `file_name` holding `bytes`, sent as `application/octet-stream`.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart::with_contents(file_name.into(), Contents::Memory(bytes.into()))
    }

    /// Reads the whole file at `path` into memory (without blocking the runtime's threads); the
    /// part takes the file's name.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await?;
        Ok(FilePart::with_contents(file_name_of(path), Contents::Memory(bytes.into())))
    }

    /// The file at `path`, read in chunks while the request is sent; the part takes the file's
    /// name. Its length is read now and sent as the body's `Content-Length`. If the file has
    /// another length when it is read, or holds the form's boundary, the request fails with an
    /// error instead of sending a wrong body.
    pub async fn stream_from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        let metadata = tokio::fs::metadata(path).await?;
        if !metadata.is_file() {
            let message = format!("{} is not a file", path.display());
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
        let contents = Contents::File { path: path.to_owned(), len: metadata.len() };
        Ok(FilePart::with_contents(file_name_of(path), contents))
    }

    fn with_contents(file_name: String, contents: Contents) -> Self {
        FilePart { contents, file_name, content_type: "application/octet-stream".to_owned() }
    }

    /// The same file with another media type (`text/csv`, `image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file's bytes when they are held in memory; `None` for a streamed file.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.contents {
            Contents::Memory(bytes) => Some(bytes),
            Contents::File { .. } => None,
        }
    }

    /// Whether the file is read while the request is sent (and so the request is not retried).
    pub fn is_streamed(&self) -> bool {
        matches!(self.contents, Contents::File { .. })
    }

    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        self.contents.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file name the server is told.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The media type the part is sent with.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A `multipart/form-data` body being put together.
#[derive(Default)]
pub(crate) struct Multipart {
    parts: Vec<FormPart>,
}

struct FormPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Contents,
}

impl Multipart {
    /// Adds a file part.
    pub(crate) fn file(&mut self, name: &str, file: &FilePart) {
        self.parts.push(FormPart {
            name: name.to_owned(),
            file_name: Some(file.file_name.clone()),
            content_type: Some(file.content_type.clone()),
            data: file.contents.clone(),
        });
    }

    /// Adds a value: a string as it is, a number or boolean as its text, each item of a list
    /// of those as a part of its own, `null` not at all, and anything else as JSON.
    pub(crate) fn value<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let json = serde_json::to_value(value)
            .map_err(|e| Error::from(ProgenitorError::InvalidRequest(format!("form field `{name}`: {e}"))))?;
        let scalar = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let text = |data: String, content_type: Option<&str>| FormPart {
            name: name.to_owned(),
            file_name: None,
            content_type: content_type.map(str::to_owned),
            data: Contents::Memory(Bytes::from(data)),
        };
        match &json {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) if items.iter().all(|item| scalar(item).is_some()) => {
                self.parts.extend(items.iter().filter_map(scalar).map(|item| text(item, None)));
            }
            other => match scalar(other) {
                Some(item) => self.parts.push(text(item, None)),
                None => self.parts.push(text(other.to_string(), Some("application/json"))),
            },
        }
        Ok(())
    }

    /// The encoded body with its `Content-Type` (which carries the boundary).
    pub(crate) fn finish(self) -> Result<FormBody, Error> {
        let framed = self.frame()?;
        let length = framed.segments.iter().map(Contents::len).sum();
        let content_type = format!("multipart/form-data; boundary={}", framed.boundary);
        let streamed = framed.segments.iter().any(|s| matches!(s, Contents::File { .. }));
        let body = if streamed {
            Body::Streamed(reqwest::Body::wrap_stream(framed.into_reader().into_stream()))
        } else {
            Body::Memory(framed.segments.iter().flat_map(|s| s.memory().iter().copied()).collect())
        };
        Ok(FormBody { content_type, length, body })
    }

    /// The body as segments in order: the framing and the parts in memory as bytes, each
    /// streamed file as itself. The boundary is derived from the parts, so the same form is
    /// the same bytes, and changed (a bounded number of times) while a part in memory holds it;
    /// streamed files are checked as they are read.
    fn frame(self) -> Result<Framed, Error> {
        let mut seed = 0xcbf2_9ce4_8422_2325_u64;
        for part in &self.parts {
            let data: &[u8] = match &part.data {
                Contents::Memory(bytes) => bytes,
                Contents::File { path, .. } => path.as_os_str().as_encoded_bytes(),
            };
            for byte in part.name.bytes().chain(data.iter().copied()) {
                seed = (seed ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        let in_memory_lacks = |boundary: &str| {
            self.parts.iter().all(|p| match &p.data {
                Contents::Memory(bytes) => !contains(bytes, boundary.as_bytes()),
                Contents::File { .. } => true,
            })
        };
        let boundary = (0..16u64)
            .map(|attempt| {
                format!(
                    "intercom-api-{:016x}",
                    seed.wrapping_add(attempt).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                )
            })
            .find(|b| in_memory_lacks(b))
            .ok_or_else(|| {
                Error::from(ProgenitorError::InvalidRequest(
                    "no multipart boundary fits this form".to_owned(),
                ))
            })?;
        let quoted = |text: &str| text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        let mut segments = VecDeque::new();
        let mut pending = Vec::new();
        for part in self.parts {
            pending.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", quoted(&part.name));
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            pending.extend_from_slice(disposition.as_bytes());
            pending.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                pending.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            pending.extend_from_slice(b"\r\n");
            match part.data {
                Contents::Memory(bytes) => pending.extend_from_slice(&bytes),
                file @ Contents::File { .. } => {
                    segments.push_back(Contents::Memory(std::mem::take(&mut pending).into()));
                    segments.push_back(file);
                }
            }
            pending.extend_from_slice(b"\r\n");
        }
        pending.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        segments.push_back(Contents::Memory(pending.into()));
        Ok(Framed { boundary, segments })
    }
}

/// A form laid out for sending.
struct Framed {
    boundary: String,
    segments: VecDeque<Contents>,
}

impl Framed {
    fn into_reader(self) -> Reader {
        Reader { segments: self.segments, open: None, boundary: self.boundary.into_bytes() }
    }
}

/// An encoded form, ready to be a request's body.
pub(crate) struct FormBody {
    content_type: String,
    length: u64,
    body: Body,
}

enum Body {
    Memory(Vec<u8>),
    Streamed(reqwest::Body),
}

impl FormBody {
    /// Sets the request's body, its `Content-Type` and, for a stream (whose length reqwest does
    /// not know), its `Content-Length`.
    pub(crate) fn attach(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let request = request.header(reqwest::header::CONTENT_TYPE, self.content_type);
        match self.body {
            Body::Memory(bytes) => request.body(bytes),
            Body::Streamed(body) => request.header(reqwest::header::CONTENT_LENGTH, self.length).body(body),
        }
    }
}

/// Reads a streamed form's segments in order.
struct Reader {
    segments: VecDeque<Contents>,
    open: Option<OpenFile>,
    boundary: Vec<u8>,
}

struct OpenFile {
    file: tokio::fs::File,
    path: PathBuf,
    /// Bytes still to come, by the length the part was made with.
    left: u64,
    /// The end of what was read before, so a boundary split across two reads is still seen.
    tail: Vec<u8>,
}

impl Reader {
    fn into_stream(self) -> impl futures_core::Stream<Item = io::Result<Bytes>> + Send + 'static {
        // After an error the stream ends.
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut reader = state?;
            match reader.next().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(reader))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        })
    }

    /// The next chunk of the body. Each turn of the loop returns or opens the next file, so it
    /// ends within one turn per segment.
    async fn next(&mut self) -> io::Result<Option<Bytes>> {
        loop {
            if let Some(open) = &mut self.open {
                if let Some(chunk) = open.read(&self.boundary).await? {
                    return Ok(Some(chunk));
                }
                self.open = None;
            }
            match self.segments.pop_front() {
                None => return Ok(None),
                Some(Contents::Memory(bytes)) => return Ok(Some(bytes)),
                Some(Contents::File { path, len }) => {
                    let file = tokio::fs::File::open(&path).await?;
                    self.open = Some(OpenFile { file, path, left: len, tail: Vec::new() });
                }
            }
        }
    }
}

impl OpenFile {
    /// The file's next chunk, or `None` at its end; an error when the file's length changed or
    /// it holds the boundary.
    async fn read(&mut self, boundary: &[u8]) -> io::Result<Option<Bytes>> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            if self.file.read(&mut probe).await? > 0 {
                return Err(self.changed("is longer than when the part was made"));
            }
            return Ok(None);
        }
        let want = usize::try_from(self.left).unwrap_or(CHUNK).min(CHUNK);
        let mut buffer = vec![0u8; want];
        let read = self.file.read(&mut buffer).await?;
        if read == 0 {
            return Err(self.changed("is shorter than when the part was made"));
        }
        buffer.truncate(read);
        self.left -= read as u64;
        let mut window = std::mem::take(&mut self.tail);
        window.extend_from_slice(&buffer);
        if contains(&window, boundary) {
            let message = format!(
                "{} holds the form's boundary; FilePart::from_path reads it into memory, where another is chosen",
                self.path.display()
            );
            return Err(io::Error::new(io::ErrorKind::InvalidData, message));
        }
        let keep = boundary.len().saturating_sub(1).min(window.len());
        self.tail = window.split_off(window.len() - keep);
        Ok(Some(Bytes::from(buffer)))
    }

    fn changed(&self, what: &str) -> io::Error {
        io::Error::new(io::ErrorKind::UnexpectedEof, format!("{} {what}", self.path.display()))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boundary and the body of a form without streamed files.
    fn in_memory(framed: Framed) -> (String, Vec<u8>) {
        let bytes = framed.segments.iter().flat_map(|s| s.memory().iter().copied()).collect();
        (framed.boundary, bytes)
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).expect("text")
    }

    /// `bytes` with each `boundary` replaced by the same word.
    fn normalise(bytes: &[u8], boundary: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at..].starts_with(boundary.as_bytes()) {
                out.extend_from_slice(b"BOUNDARY");
                at += boundary.len();
            } else {
                out.push(bytes[at]);
                at += 1;
            }
        }
        out
    }

    async fn read_all(framed: Framed) -> io::Result<Vec<u8>> {
        let mut reader = framed.into_reader();
        let mut out = Vec::new();
        while let Some(chunk) = reader.next().await? {
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// A file of its own in the temporary folder, holding `bytes`.
    fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("intercom-api-form-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).expect("write a temporary file");
        path
    }

    #[test]
    fn a_form_is_encoded_as_rfc_7578_says() {
        let mut form = Multipart::default();
        form.file(
            "file",
            &FilePart::new("a \"b\".csv", b"x,y\n1,2\n".to_vec()).with_content_type("text/csv"),
        );
        form.value("title", &"Report").expect("a string");
        form.value("count", &3).expect("a number");
        form.value("tags", &["a", "b"]).expect("a list");
        form.value("meta", &serde_json::json!({"k": 1})).expect("an object");
        form.value("none", &Option::<String>::None).expect("null");
        let (boundary, body) = in_memory(form.frame().expect("encodes"));
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.csv\"\r\nContent-Type: text/csv\r\n\r\nx,y\n1,2\n\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nReport\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(text(body), expected);
    }

    #[test]
    fn the_boundary_is_never_inside_a_part() {
        let mut first = Multipart::default();
        first.value("a", &"x").expect("a string");
        let (taken, _) = in_memory(first.frame().expect("encodes"));
        // A part holding the boundary the first form got makes the encoder pick another.
        let mut second = Multipart::default();
        second.value("a", &format!("x{taken}")).expect("a string");
        let (chosen, body) = in_memory(second.frame().expect("encodes"));
        assert_ne!(chosen, taken);
        let body = text(body);
        assert_eq!(body.matches(&format!("--{chosen}")).count(), 2, "{body}");
    }

    #[tokio::test]
    async fn a_streamed_file_is_sent_as_the_same_bytes_as_one_in_memory() {
        // Longer than three reads, so the file is read in several chunks.
        let contents: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i % 251) as u8).collect();
        let path = temp_file("same.bin", &contents);
        let streamed = FilePart::stream_from_path(&path).await.expect("a file");
        assert!(streamed.is_streamed() && streamed.bytes().is_none());
        assert_eq!(streamed.len(), contents.len() as u64);
        assert_eq!(streamed.file_name(), path.file_name().and_then(|n| n.to_str()).expect("a name"));

        let form = |file: &FilePart| {
            let mut form = Multipart::default();
            form.value("title", &"Report").expect("a string");
            form.file("file", file);
            form.frame().expect("encodes")
        };
        let framed = form(&streamed);
        let boundary = framed.boundary.clone();
        let sent = read_all(framed).await.expect("reads the file");
        let (memory_boundary, expected) = in_memory(form(&FilePart::new(streamed.file_name(), contents)));
        assert_eq!(sent.len(), expected.len());
        // Compared without printing: the bodies are 200 kB of binary.
        assert!(normalise(&sent, &boundary) == normalise(&expected, &memory_boundary), "the bodies differ");
        let _ = std::fs::remove_file(path);
    }

    #[tokio::test]
    async fn a_streamed_file_whose_length_changed_fails_instead_of_sending_a_wrong_body() {
        for (name, grow) in [("grown.txt", true), ("shrunk.txt", false)] {
            let path = temp_file(name, b"twelve bytes");
            let part = FilePart::stream_from_path(&path).await.expect("a file");
            std::fs::write(&path, if grow { &b"thirteen bytes"[..] } else { &b"ten bytes"[..] })
                .expect("rewrite the file");
            let mut form = Multipart::default();
            form.file("file", &part);
            let error = read_all(form.frame().expect("encodes")).await.expect_err("the length changed");
            let expected = if grow { "is longer" } else { "is shorter" };
            assert!(error.to_string().contains(expected), "{error}");
            let _ = std::fs::remove_file(path);
        }
    }

    #[tokio::test]
    async fn a_streamed_file_that_holds_the_boundary_fails() {
        let path = temp_file("boundary.txt", b"");
        let part = FilePart::stream_from_path(&path).await.expect("a file");
        let frame = || {
            let mut form = Multipart::default();
            form.file("file", &part);
            form.frame().expect("encodes")
        };
        // The boundary of a streamed part does not depend on the file's contents, so the file
        // can be written to hold it, here split across two reads.
        let boundary = frame().boundary;
        let mut contents = vec![b'x'; CHUNK - 5];
        contents.extend_from_slice(boundary.as_bytes());
        std::fs::write(&path, &contents).expect("rewrite the file");
        let part = FilePart::stream_from_path(&path).await.expect("a file");
        let mut form = Multipart::default();
        form.file("file", &part);
        let framed = form.frame().expect("encodes");
        assert_eq!(framed.boundary, boundary);
        let error = read_all(framed).await.expect_err("the file holds the boundary");
        assert!(error.to_string().contains("holds the form's boundary"), "{error}");
        let _ = std::fs::remove_file(path);
    }

    #[tokio::test]
    async fn a_folder_is_not_a_file_part() {
        let error = FilePart::stream_from_path(std::env::temp_dir()).await.expect_err("a folder");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    }
}
