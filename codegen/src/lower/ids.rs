//! One Rust type per kind of id. A spec may declare the same id an integer in one operation
//! and a string in the next (2.16 has `conversation_id` both ways); a user holding an id should
//! not have to convert it between calls. A path value travels as text either way, so making
//! every path parameter of a mixed kind a string loses nothing on the wire.

use std::collections::BTreeMap;

use crate::model::{ParamLocation, PathSegment, Tag, TypeRef};

/// Makes every scalar path parameter of a kind a string when the operations disagree on its type.
///
/// Two path parameters are of one kind when they share a name other than `id`, or follow the
/// same path before them (`/conversations/{id}` and `/conversations/{conversation_id}`).
pub(crate) fn unify(tags: &mut [Tag]) {
    let mut kinds = Kinds::default();
    let mut members = Vec::new();
    for (t, tag) in tags.iter().enumerate() {
        for (o, op) in tag.operations.iter().enumerate() {
            // The path before the parameter, other parameters blanked: `/ticket_types/{}/attributes`.
            let mut prefix = String::new();
            for segment in &op.segments {
                match segment {
                    PathSegment::Literal(text) => prefix.push_str(text),
                    PathSegment::Param(i) => {
                        let Some(param) = op.params.get(*i) else { continue };
                        let collection = prefix.trim_end_matches('/');
                        if param.location == ParamLocation::Path && is_scalar_id(&param.ty) {
                            let mut keys = vec![format!("after {collection}")];
                            if param.wire != "id" {
                                keys.push(format!("name {}", param.wire));
                            }
                            if let Some(root) = kinds.join(&keys) {
                                members.push((root, t, o, *i));
                            }
                        }
                        prefix.push_str("{}");
                    }
                }
            }
        }
    }
    let mut mixed: BTreeMap<usize, (bool, bool)> = BTreeMap::new();
    for &(root, t, o, i) in &members {
        let root = kinds.find(root);
        let entry = mixed.entry(root).or_default();
        match tags[t].operations[o].params[i].ty {
            TypeRef::String => entry.0 = true,
            _ => entry.1 = true,
        }
    }
    for &(root, t, o, i) in &members {
        if mixed.get(&kinds.find(root)) == Some(&(true, true)) {
            tags[t].operations[o].params[i].ty = TypeRef::String;
        }
    }
}

fn is_scalar_id(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::I64 | TypeRef::I32)
}

/// A union-find over the keys that tie parameters together.
#[derive(Default)]
struct Kinds {
    index: BTreeMap<String, usize>,
    parent: Vec<usize>,
}

impl Kinds {
    /// Joins the keys into one kind and returns a member of it, or `None` without keys.
    fn join(&mut self, keys: &[String]) -> Option<usize> {
        let ids: Vec<usize> = keys.iter().map(|k| self.id(k)).collect();
        let first = *ids.first()?;
        for &other in &ids[1..] {
            let (a, b) = (self.find(first), self.find(other));
            if a != b {
                self.parent[b] = a;
            }
        }
        Some(first)
    }

    fn id(&mut self, key: &str) -> usize {
        if let Some(&id) = self.index.get(key) {
            return id;
        }
        let id = self.parent.len();
        self.parent.push(id);
        self.index.insert(key.to_owned(), id);
        id
    }

    /// The root of `id`'s kind. A link only ever joins two different roots, so no cycle forms and
    /// the walk ends.
    fn find(&self, mut id: usize) -> usize {
        while self.parent[id] != id {
            id = self.parent[id];
        }
        id
    }
}
