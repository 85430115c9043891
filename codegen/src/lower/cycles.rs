//! Boxing of recursive types: a struct or union that contains itself without a `Vec` or map in
//! between would have infinite size.

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::model::{TypeDef, TypeKind, TypeRef};

/// Reports each cycle of aliases (`A: {$ref: B}`, `B: {$ref: A}`): such a chain never reaches a
/// schema, so it has no type. Each cycle is reported once, at its first member by name.
///
/// Every alias is walked once: a walk stops at a type an earlier walk finished, so a long chain
/// of aliases costs its length, not its square.
pub(crate) fn alias_cycles(types: &[TypeDef], diags: &mut Diagnostics) {
    enum Seen {
        /// On the walk in progress, at this position of it.
        OnPath(usize),
        Done,
    }
    let by_name = crate::model::index(types);
    let mut seen: BTreeMap<&str, Seen> = BTreeMap::new();
    for def in types {
        let mut path: Vec<&str> = Vec::new();
        let mut current = def;
        // Each step marks a new type, so the walk ends within `types.len()` steps.
        loop {
            match seen.get(current.name.as_str()) {
                Some(Seen::Done) => break,
                Some(Seen::OnPath(at)) => {
                    report_cycle(&path[*at..], &by_name, diags);
                    break;
                }
                None => {}
            }
            seen.insert(&current.name, Seen::OnPath(path.len()));
            path.push(&current.name);
            let TypeKind::Alias(TypeRef::Named { name, .. }) = &current.kind else { break };
            let Some(next) = by_name.get(name.as_str()) else { break };
            current = next;
        }
        for name in path {
            seen.insert(name, Seen::Done);
        }
    }
}

/// Reports the alias cycle `members` (in alias order) at its first member by name.
fn report_cycle(members: &[&str], by_name: &crate::model::TypeIndex<'_>, diags: &mut Diagnostics) {
    let Some(first) = members.iter().enumerate().min_by_key(|(_, name)| **name).map(|(i, _)| i) else {
        return;
    };
    let mut chain: Vec<&str> = members[first..].iter().chain(&members[..first]).copied().collect();
    chain.push(members[first]);
    let Some(def) = by_name.get(members[first]) else { return };
    diags.error(
        def.pointer.clone(),
        format!(
            "these `$ref`s lead back to where they start and never reach a schema: {}",
            chain.join(" -> ")
        ),
    );
}

/// Boxes every direct use of a named type that lies on a cycle of direct uses.
pub(crate) fn box_cycles(types: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            for ty in direct_uses(&t.kind) {
                if let TypeRef::Named { name, .. } = peel(ty)
                    && let Some(&j) = index.get(name.as_str())
                {
                    out.push(j);
                }
            }
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    for (i, def) in types.iter_mut().enumerate() {
        // An edge lies on a cycle exactly when both ends are in one strongly connected component
        // (a self-reference is its own component with a loop).
        let cyclic = |name: &str| index.get(name).is_some_and(|&j| component[j] == component[i]);
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if let TypeRef::Named { name, boxed } = peel_mut(&mut field.ty) {
                        *boxed = cyclic(name);
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if let TypeRef::Named { name, boxed } = peel_mut(&mut variant.ty) {
                        *boxed = cyclic(name);
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
}

/// The type inside any `Option`s: an `Option` stores its value inline, so it gives no indirection.
fn peel(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => peel(inner),
        other => other,
    }
}

fn peel_mut(ty: &mut TypeRef) -> &mut TypeRef {
    match ty {
        TypeRef::Option(inner) => peel_mut(inner),
        other => other,
    }
}

/// The uses of named types that are stored inline (not behind a `Vec` or map).
fn direct_uses(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iteratively: the strongly connected component of every node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && order[v] == UNSEEN {
                order[v] = next_order;
                low[v] = next_order;
                next_order += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if order[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    /// A spec whose one operation returns `S0`, with `S0 → S1 → … → S{n-1}` aliases, the last
    /// one `last`.
    fn chain(n: usize, last: &str) -> String {
        let mut spec = String::from(
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
        );
        for i in 0..n - 1 {
            spec.push_str(&format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1));
        }
        spec.push_str(&format!("    S{}: {last}\n", n - 1));
        spec
    }

    /// A long chain of aliases lowers (each alias is walked once; the walk used to be cubic, and
    /// 3,000 aliases took minutes), and a cycle at its end is reported once, at its first member.
    #[test]
    fn long_alias_chains_lower_and_cycles_are_reported_once() {
        let options = crate::options::Options::default();
        let (api, _) = crate::model(&chain(3000, "{type: string}"), &options).expect("a chain lowers");
        assert!(api.types.len() >= 3000);
        let errors = crate::model(&chain(3000, "{$ref: '#/components/schemas/S2997'}"), &options)
            .expect_err("a cycle is an error")
            .to_string();
        assert_eq!(errors.matches("lead back to where they start").count(), 1, "{errors}");
        assert!(errors.contains("S2997 -> S2998 -> S2999 -> S2997"), "{errors}");
    }
}
