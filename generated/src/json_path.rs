//! Where in a JSON document a decoding error happened, found from the line and column serde_json
//! reports, by walking the text: no second decode, so each type's decoder is compiled once.

/// One step of the walk: an object (with the key being read) or an array (with the index).
enum Frame {
    Object(Option<String>),
    Array(usize),
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes into the line).
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        body.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(line - 2).map_or(body.len(), |(i, _)| i + 1)
    };
    (start + column).min(body.len())
}

/// The path of the value at `frames`, as `data[3].custom_attributes.plan`; `.` for the root.
fn render(frames: &[Frame]) -> String {
    let mut out = String::new();
    for frame in frames {
        match frame {
            Frame::Array(index) => out.push_str(&format!("[{index}]")),
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            // An object whose key is not read yet: the path is the object's.
            Frame::Object(None) => {}
        }
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

/// The end of the string that starts at `at` (a `"`), past its closing quote, and its text.
fn string_at(body: &[u8], at: usize) -> (usize, String) {
    let mut i = at + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    let end = (i + 1).min(body.len());
    let raw = &body[at..end];
    let text = serde_json::from_slice::<String>(raw).unwrap_or_else(|_| {
        String::from_utf8_lossy(&body[(at + 1).min(end)..i.min(body.len())]).into_owned()
    });
    (end, text)
}

/// The path of the value that holds byte `target`: the innermost member whose value starts
/// before it and whose text reaches it. An error at the end of an object (a missing field) is
/// the object's.
fn path_at(body: &[u8], target: usize) -> String {
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let byte = body[i];
        match byte {
            b'{' | b'[' => {
                if i + 1 >= target {
                    return render(&frames);
                }
                frames.push(if byte == b'{' { Frame::Object(None) } else { Frame::Array(0) });
                i += 1;
            }
            b'}' | b']' => {
                if i + 1 >= target {
                    // The container itself, not the member it was reading.
                    return match frames.last_mut() {
                        Some(Frame::Object(key)) => {
                            *key = None;
                            render(&frames)
                        }
                        _ => render(&frames[..frames.len().saturating_sub(1)]),
                    };
                }
                frames.pop();
                i += 1;
            }
            b',' => {
                match frames.last_mut() {
                    Some(Frame::Array(index)) => *index += 1,
                    Some(Frame::Object(key)) => *key = None,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let (end, text) = string_at(body, i);
                // A string read where a key is due is the key of the next member.
                let is_key = matches!(frames.last(), Some(Frame::Object(None)));
                if is_key {
                    if let Some(Frame::Object(key)) = frames.last_mut() {
                        *key = Some(text);
                    }
                } else if end >= target {
                    return render(&frames);
                }
                i = end;
            }
            b' ' | b'\t' | b'\r' | b'\n' | b':' => i += 1,
            _ => {
                // A number, `true`, `false` or `null`: up to the next delimiter.
                let end = body[i..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                    .map_or(body.len(), |n| i + n);
                if end >= target {
                    return render(&frames);
                }
                i = end;
            }
        }
    }
    render(&frames)
}

/// The path of the value a serde_json error at `line` and `column` of `body` is about.
pub(crate) fn of_error(body: &[u8], line: usize, column: usize) -> String {
    if line == 0 {
        return ".".to_owned();
    }
    path_at(body, offset(body, line, column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        n: Option<i64>,
        attributes: Option<std::collections::BTreeMap<String, i64>>,
    }

    /// The path serde_json's own error leads to.
    fn path(body: &str) -> String {
        let e = serde_json::from_str::<Page>(body).expect_err("does not decode");
        of_error(body.as_bytes(), e.line(), e.column())
    }

    #[test]
    fn each_kind_of_mismatch_is_placed_where_it_is() {
        assert_eq!(path(r#"{"data":[{"id":"a"},{"id":"b","n":"x"}]}"#), "data[1].n");
        assert_eq!(path(r#"{"data":[{"id":"a"},{"id":"b","n":1.5}]}"#), "data[1].n");
        assert_eq!(path(r#"{"data":[{"id":"a","attributes":{"plan":"pro"}}]}"#), "data[0].attributes.plan");
        assert_eq!(path(r#"{"data":[{"id":"a"},{"n":1}]}"#), "data[1]", "a missing field is its object's");
        assert_eq!(path(r#"{"data":[{"id":"a"},{"id":{"x":[1,2]}}]}"#), "data[1].id");
        assert_eq!(path(r#"{"data":[{"id":"a \" , ] }"},{"id":true}]}"#), "data[1].id");
        assert_eq!(path(r#"{"data":7}"#), "data");
        assert_eq!(path("[]"), ".");
    }

    #[test]
    fn lines_and_escaped_keys_are_followed() {
        let body = "{\n  \"data\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"n\": false}\n  ]\n}";
        assert_eq!(path(body), "data[1].n");
        let keyed = r#"{"data":[{"id":"a","attributes":{"p\"lan":"x"}}]}"#;
        assert_eq!(path(keyed), "data[0].attributes.p\"lan");
    }

    #[test]
    fn a_truncated_body_is_placed_at_its_end() {
        assert_eq!(path(r#"{"data":[{"id":"a"},{"id":"#), "data[1].id");
    }
}
