//! Compressed responses. The client asks for the encodings its features decode and inflates a
//! response's body itself, as a stream, before anything reads it. It does not use reqwest's
//! `gzip` or `brotli` features: cargo would turn them on for every reqwest client in the
//! program, and each of those would then start asking for compressed bodies.

#[cfg(any(feature = "gzip", feature = "brotli"))]
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, HeaderMap, HeaderValue};

/// What the client sends as `Accept-Encoding`, for the decoders this build has; `None` when it
/// has none (the `gzip` and `brotli` features are both off).
pub(crate) const ACCEPT_ENCODING: Option<&str> = if cfg!(all(feature = "gzip", feature = "brotli")) {
    Some("gzip, deflate, br")
} else if cfg!(feature = "gzip") {
    Some("gzip, deflate")
} else if cfg!(feature = "brotli") {
    Some("br")
} else {
    None
};

/// An encoding this build decodes.
#[cfg(any(feature = "gzip", feature = "brotli"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    #[cfg(feature = "gzip")]
    Gzip,
    /// HTTP's `deflate` is the zlib format (RFC 9110, section 8.4.1.2), not raw deflate.
    #[cfg(feature = "gzip")]
    Deflate,
    #[cfg(feature = "brotli")]
    Brotli,
}

/// The one coding a response's `Content-Encoding` names, when this build decodes it. A list of
/// several codings, or one this build lacks, is left to the reader as it came.
#[cfg(any(feature = "gzip", feature = "brotli"))]
fn coding(headers: &HeaderMap) -> Option<Coding> {
    let mut values = headers.get_all(CONTENT_ENCODING).iter();
    let (Some(value), None) = (values.next(), values.next()) else { return None };
    let value = value.to_str().ok()?.trim();
    match value.to_ascii_lowercase().as_str() {
        #[cfg(feature = "gzip")]
        "gzip" | "x-gzip" => Some(Coding::Gzip),
        #[cfg(feature = "gzip")]
        "deflate" => Some(Coding::Deflate),
        #[cfg(feature = "brotli")]
        "br" => Some(Coding::Brotli),
        _ => None,
    }
}

/// Whether a response has no body to inflate, whatever its headers say.
#[cfg(any(feature = "gzip", feature = "brotli"))]
fn bodiless(response: &reqwest::Response) -> bool {
    let status = response.status();
    status == reqwest::StatusCode::NO_CONTENT
        || status == reqwest::StatusCode::NOT_MODIFIED
        || response.headers().get(CONTENT_LENGTH) == Some(&HeaderValue::from_static("0"))
}

/// The response with its body inflated as it is read, and without the `Content-Encoding` and
/// `Content-Length` that described the compressed body; any other response as it came. The
/// attempt's timeout still bounds the reading, and a corrupt body is an error of the read.
#[cfg(any(feature = "gzip", feature = "brotli"))]
pub(crate) fn decoded(mut response: reqwest::Response) -> reqwest::Response {
    use futures_util::TryStreamExt as _;
    use reqwest::ResponseBuilderExt as _;
    use tokio_util::io::{ReaderStream, StreamReader};

    let Some(coding) = coding(response.headers()) else { return response };
    if bodiless(&response) {
        return response;
    }
    let mut headers = std::mem::take(response.headers_mut());
    headers.remove(CONTENT_ENCODING);
    headers.remove(CONTENT_LENGTH);
    let extensions = std::mem::take(response.extensions_mut());
    let (status, version, url) = (response.status(), response.version(), response.url().clone());
    let compressed = StreamReader::new(response.bytes_stream().map_err(std::io::Error::other));
    let body = match coding {
        #[cfg(feature = "gzip")]
        Coding::Gzip => {
            let mut decoder = async_compression::tokio::bufread::GzipDecoder::new(compressed);
            // A gzip file may hold several members one after another; all are the body.
            decoder.multiple_members(true);
            reqwest::Body::wrap_stream(ReaderStream::new(decoder))
        }
        #[cfg(feature = "gzip")]
        Coding::Deflate => reqwest::Body::wrap_stream(ReaderStream::new(
            async_compression::tokio::bufread::ZlibDecoder::new(compressed),
        )),
        #[cfg(feature = "brotli")]
        Coding::Brotli => reqwest::Body::wrap_stream(ReaderStream::new(
            async_compression::tokio::bufread::BrotliDecoder::new(compressed),
        )),
    };
    let mut inflated = http::Response::new(body);
    *inflated.status_mut() = status;
    *inflated.version_mut() = version;
    *inflated.headers_mut() = headers;
    *inflated.extensions_mut() = extensions;
    // reqwest keeps a response's URL as an extension only its response builder can write.
    if let Some(url) = http::Response::builder().url(url).extensions_ref() {
        inflated.extensions_mut().extend(url.clone());
    }
    reqwest::Response::from(inflated)
}

/// Without a decoder, every response is read as it came.
#[cfg(not(any(feature = "gzip", feature = "brotli")))]
pub(crate) fn decoded(response: reqwest::Response) -> reqwest::Response {
    response
}

#[cfg(all(test, any(feature = "gzip", feature = "brotli")))]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(CONTENT_ENCODING, HeaderValue::from_str(value).expect("a header value"));
        }
        headers
    }

    #[test]
    fn only_one_known_coding_is_decoded() {
        assert_eq!(coding(&headers(&[])), None);
        assert_eq!(coding(&headers(&["identity"])), None);
        assert_eq!(coding(&headers(&["zstd"])), None);
        assert_eq!(coding(&headers(&["gzip", "br"])), None);
        #[cfg(feature = "gzip")]
        {
            assert_eq!(coding(&headers(&["gzip"])), Some(Coding::Gzip));
            assert_eq!(coding(&headers(&[" X-GZIP "])), Some(Coding::Gzip));
            assert_eq!(coding(&headers(&["deflate"])), Some(Coding::Deflate));
        }
        #[cfg(feature = "brotli")]
        assert_eq!(coding(&headers(&["br"])), Some(Coding::Brotli));
    }
}
