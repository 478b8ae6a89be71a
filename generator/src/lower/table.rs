//! The named types lowering defines, by [`TypeId`]. An id is handed out with a name, before
//! the type is defined, since a type may refer to itself; once lowering is done, the types
//! are put in name order and every reference renumbered, so that the model's ids are indices
//! into [`Api::types`](crate::model::Api::types).

use std::collections::HashMap;

use crate::model::{Operation, Outcome, ResponseBody, TypeDef, TypeId, TypeKind, TypeRef};

/// The named types defined so far, and the ids handed out for names yet to be defined.
#[derive(Default)]
pub(crate) struct TypeTable {
    /// Each name's id.
    ids: HashMap<String, TypeId>,
    /// Each id's name; indexed by id.
    names: Vec<String>,
    /// Each id's definition, once it is defined; indexed by id.
    definitions: Vec<Option<TypeDef>>,
}

impl TypeTable {
    /// The id of the type named `name`, handed out now if it has none yet.
    pub(crate) fn id(&mut self, name: &str) -> TypeId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = TypeId(self.definitions.len());
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        self.definitions.push(None);
        id
    }

    /// Defines the type `definition` names, replacing any definition it had; returns its id.
    pub(crate) fn insert(&mut self, definition: TypeDef) -> TypeId {
        let id = self.id(&definition.name);
        self.definitions[id.0] = Some(definition);
        id
    }

    /// The definition of `id`, once it is defined.
    pub(crate) fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.definitions.get(id.0)?.as_ref()
    }

    /// The definition of `id`, to change it.
    pub(crate) fn get_mut(&mut self, id: TypeId) -> Option<&mut TypeDef> {
        self.definitions.get_mut(id.0)?.as_mut()
    }

    /// The shape of `id`, once it is defined.
    pub(crate) fn kind(&self, id: TypeId) -> Option<&TypeKind> {
        self.get(id).map(|definition| &definition.kind)
    }

    /// The Rust name of `id`, defined yet or not.
    pub(crate) fn name(&self, id: TypeId) -> Option<&str> {
        self.names.get(id.0).map(String::as_str)
    }

    /// The defined types in name order, with every reference in them and in `operations`
    /// renumbered to index that order. A reference to an id never defined (which lowering
    /// does not make) keeps an id past the end, which validation reports.
    pub(crate) fn finish(self, operations: &mut [Operation]) -> Vec<TypeDef> {
        let handed_out = self.definitions.len();
        let mut defined: Vec<(TypeId, TypeDef)> = self
            .definitions
            .into_iter()
            .enumerate()
            .filter_map(|(index, definition)| Some((TypeId(index), definition?)))
            .collect();
        defined.sort_by(|(_, a), (_, b)| a.name.cmp(&b.name));
        let undefined = TypeId(defined.len());
        let mut new_ids = vec![undefined; handed_out];
        for (index, (old, _)) in defined.iter().enumerate() {
            new_ids[old.0] = TypeId(index);
        }
        let renumber = |id: &mut TypeId| *id = new_ids.get(id.0).copied().unwrap_or(undefined);
        let mut types: Vec<TypeDef> = defined.into_iter().map(|(_, def)| def).collect();
        for definition in &mut types {
            for ty in type_refs_mut(&mut definition.kind) {
                each_id(ty, &renumber);
            }
        }
        for operation in operations {
            renumber_operation(operation, &renumber);
        }
        types
    }
}

/// Renumbers every type `operation` names.
fn renumber_operation(operation: &mut Operation, renumber: &impl Fn(&mut TypeId)) {
    for parameter in &mut operation.path_parameters {
        each_id(&mut parameter.ty, renumber);
    }
    if let Some(params) = &mut operation.params_type {
        renumber(params);
    }
    if let Some(body) = &mut operation.body {
        each_id(&mut body.ty, renumber);
    }
    for outcome in [&mut operation.success, &mut operation.error] {
        match outcome {
            Outcome::Single(ResponseBody::Json(ty)) => each_id(ty, renumber),
            Outcome::Single(_) => {}
            Outcome::PerStatus(id) => renumber(id),
        }
    }
}

/// The type references a definition holds, to change them.
fn type_refs_mut(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct(strukt) => strukt.fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union(union) => union.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(target) => vec![target],
        TypeKind::StatusEnum(variants) => variants
            .iter_mut()
            .filter_map(|variant| match &mut variant.body {
                ResponseBody::Json(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Applies `change` to every id inside `ty`.
fn each_id(ty: &mut TypeRef, change: &impl Fn(&mut TypeId)) {
    match ty {
        TypeRef::Named(id) => change(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            each_id(inner, change)
        }
        TypeRef::String
        | TypeRef::Secret
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Bool
        | TypeRef::Json
        | TypeRef::Bytes
        | TypeRef::File => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;

    fn alias(name: &str, target: TypeRef) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: String::new(),
            docs: None,
            features: Vec::new(),
            direction: Direction::Both,
            kind: TypeKind::Alias(target),
        }
    }

    #[test]
    fn ids_are_handed_out_before_definitions_and_renumbered_in_name_order() {
        let mut table = TypeTable::default();
        let zebra = table.id("Zebra");
        // `Apple` refers to `Zebra` before `Zebra` is defined, and to itself inside a list.
        let apple = table.insert(alias("Apple", TypeRef::Named(zebra)));
        assert_eq!(table.name(zebra), Some("Zebra"));
        assert!(table.get(zebra).is_none());
        let list = TypeRef::Array(Box::new(TypeRef::Named(apple)));
        table.insert(alias("Zebra", list));
        let types = table.finish(&mut []);
        let names: Vec<&str> = types.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Apple", "Zebra"]);
        assert_eq!(types[0].kind, TypeKind::Alias(TypeRef::Named(TypeId(1))));
        let list = TypeRef::Array(Box::new(TypeRef::Named(TypeId(0))));
        assert_eq!(types[1].kind, TypeKind::Alias(list));
    }

    #[test]
    fn a_reference_to_a_type_never_defined_points_past_the_end() {
        let mut table = TypeTable::default();
        let ghost = table.id("Ghost");
        table.insert(alias("Real", TypeRef::Named(ghost)));
        let types = table.finish(&mut []);
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].kind, TypeKind::Alias(TypeRef::Named(TypeId(1))));
    }
}
