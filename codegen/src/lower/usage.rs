//! Which types are sent and which are only received, and what follows from it: a type only
//! received is `#[non_exhaustive]`, and an optional, nullable property of a type that is sent
//! tells absent from null, so a request can clear a value.

use crate::model::{Tag, TypeDef, TypeKind, TypeRef, reachable};

/// Marks `TypeDef::sent` and `Field::clearable`. A type no operation reaches counts as sent:
/// nothing says it is only received.
pub(crate) fn mark(tags: &[Tag], types: &mut [TypeDef]) {
    let (sent, received) = {
        let defs = crate::model::index(types);
        let operations = || tags.iter().flat_map(|t| &t.operations);
        let sent = reachable(&defs, operations().flat_map(|op| op.sent_types()).collect());
        let received = reachable(&defs, operations().flat_map(|op| op.received_types()).collect());
        (sent, received)
    };
    for def in types {
        def.sent = sent.contains(&def.name) || !received.contains(&def.name);
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                // A JSON value holds null itself.
                field.clearable = def.sent && !field.required && field.nullable && field.ty != TypeRef::Json;
            }
        }
    }
}
