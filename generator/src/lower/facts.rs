//! Facts that emission reads, worked out once every type is defined: of each field, whether it
//! keeps `null` as a value and the variant a required field of a one-value enum is fixed to; of
//! each named type, the ways it travels ([`Direction`]). Emission reads them from each
//! [`Field`] and [`TypeDef`] and works nothing out again.

use crate::model::{
    spread, Api, Direction, Enum, Field, Presence, TypeDef, TypeId, TypeKind, TypeRef,
};

/// Sets the facts of every field of every struct among `types` (indexed by id).
pub(super) fn settle(types: &mut [TypeDef]) {
    let single_variants: Vec<Option<String>> = types
        .iter()
        .map(|definition| single_variant(&definition.kind))
        .collect();
    for definition in types.iter_mut() {
        if let TypeKind::Struct(strukt) = &mut definition.kind {
            for field in &mut strukt.fields {
                settle_field(field, &single_variants);
            }
        }
    }
}

/// Sets the way each named type of `api` travels: sent when a request reaches it (its body,
/// parameters struct or path parameters), received when a response does (a success or error
/// body, a status enum), through fields, array items, map values, union variants and aliases.
/// A type neither reaches travels both ways, and so does everything it refers to.
pub(super) fn set_directions(api: &mut Api) {
    let mut ways: Vec<Option<Direction>> = vec![None; api.types.len()];
    for op in &api.operations {
        spread_way(&api.types, op.sent_types(), Direction::Sent, &mut ways);
        spread_way(
            &api.types,
            op.received_types(),
            Direction::Received,
            &mut ways,
        );
    }
    let unreached: Vec<TypeId> = (0..ways.len())
        .filter(|&index| ways[index].is_none())
        .map(TypeId)
        .collect();
    spread_way(&api.types, unreached, Direction::Both, &mut ways);
    for (definition, way) in api.types.iter_mut().zip(ways) {
        definition.direction = way.unwrap_or(Direction::Both);
    }
}

/// Adds `way` to the ways of every type reached from `roots`.
fn spread_way(
    types: &[TypeDef],
    roots: Vec<TypeId>,
    way: Direction,
    ways: &mut [Option<Direction>],
) {
    spread(types, roots, |id| {
        let current = &mut ways[id.0];
        let joined = current.map_or(way, |current| current.and(way));
        let changed = *current != Some(joined);
        *current = Some(joined);
        changed
    });
}

/// The Rust name of the only variant of an enum with one value.
fn single_variant(kind: &TypeKind) -> Option<String> {
    let TypeKind::Enum(enumeration) = kind else {
        return None;
    };
    match enumeration {
        Enum::String(variants) if variants.len() == 1 => Some(variants[0].name.clone()),
        Enum::Integer(variants) if variants.len() == 1 => Some(variants[0].name.clone()),
        _ => None,
    }
}

/// Sets `field`'s facts; `single_variants` holds, by id, the only variant of each one-value
/// enum.
fn settle_field(field: &mut Field, single_variants: &[Option<String>]) {
    field.keeps_null = field.presence == Presence::Optional && field.ty == TypeRef::Json;
    field.fixed = match (&field.ty, field.presence) {
        (TypeRef::Named(id), Presence::Required) => single_variants.get(id.0).cloned().flatten(),
        _ => None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumVariant, Purpose, Struct, TypeId};

    fn definition(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: format!("#/components/schemas/{name}"),
            docs: None,
            features: Vec::new(),
            direction: Direction::Both,
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef, presence: Presence) -> Field {
        Field {
            name: name.into(),
            wire_name: name.into(),
            docs: None,
            ty,
            presence,
            boxed: false,
            fixed: None,
            keeps_null: false,
        }
    }

    fn one_value(value: &str) -> TypeKind {
        TypeKind::Enum(Enum::String(vec![EnumVariant {
            name: "Only".into(),
            value: value.into(),
        }]))
    }

    #[test]
    fn required_one_value_enums_are_fixed_and_optional_json_keeps_null() {
        let (kind, pair) = (TypeRef::Named(TypeId(0)), TypeRef::Named(TypeId(1)));
        let fields = vec![
            field("kind", kind.clone(), Presence::Required),
            field("maybe_kind", kind, Presence::Optional),
            field("extra", TypeRef::Json, Presence::Optional),
            field("payload", TypeRef::Json, Presence::Required),
            field("pair", pair, Presence::Required),
        ];
        let strukt = Struct {
            fields,
            purpose: Purpose::Schema,
            builder: "ThingBuilder".into(),
        };
        let pair = TypeKind::Enum(super::super::enums::strings_enum(["a", "b"]));
        let mut types = [
            definition("Kind", one_value("k")),
            definition("Pair", pair),
            definition("Thing", TypeKind::Struct(strukt)),
        ];
        settle(&mut types);
        let TypeKind::Struct(strukt) = &types[2].kind else {
            panic!("Thing is a struct");
        };
        let facts: Vec<(Option<&str>, bool)> = strukt
            .fields
            .iter()
            .map(|field| (field.fixed.as_deref(), field.keeps_null))
            .collect();
        let expected = [
            (Some("Only"), false),
            (None, false),
            (None, true),
            (None, false),
            (None, false),
        ];
        assert_eq!(facts, expected);
    }

    /// Lowers `text`, a document, and gives the direction of each named type.
    fn directions(text: &str) -> Vec<(String, Direction)> {
        let spec = crate::Spec::parse("api.yaml", text).expect("a valid document");
        let api = crate::lower(&spec, &crate::Config::new("demo"))
            .expect("lowers")
            .0;
        let named = api.types.into_iter();
        named.map(|def| (def.name, def.direction)).collect()
    }

    const TRAVELS: &str = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /notes:
    post:
      parameters:
        - {name: sort, in: query, schema: {$ref: "#/components/schemas/Order"}}
      requestBody:
        content:
          application/json:
            schema: {type: array, items: {$ref: "#/components/schemas/Draft"}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Reply"}}}}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
components:
  schemas:
    Draft:
      type: object
      properties:
        text: {type: string}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
    Reply:
      type: object
      properties:
        stored: {$ref: "#/components/schemas/Stored"}
    Stored:
      oneOf:
        - $ref: "#/components/schemas/Note"
        - {type: string}
    Note:
      type: object
      properties:
        tags: {type: object, additionalProperties: {$ref: "#/components/schemas/Tag"}}
    Tag: {$ref: "#/components/schemas/Label"}
    Label: {type: object, properties: {name: {type: string}}}
    Order: {type: string, enum: [asc, desc]}
    Problem: {type: object, properties: {detail: {type: string}}}
    Orphan: {type: object, properties: {order: {$ref: "#/components/schemas/Order"}}}
"##;

    #[test]
    fn a_type_travels_where_requests_and_responses_reach_it() {
        let found = directions(TRAVELS);
        let expected = [
            // Sent as array items.
            ("Draft", Direction::Sent),
            // Sent as a field, received as a map value of a union's variant, through an alias.
            ("Label", Direction::Both),
            ("Note", Direction::Received),
            // A query parameter, sent; held by a schema no operation reaches, which travels
            // both ways, and so does all it holds.
            ("Order", Direction::Both),
            ("Orphan", Direction::Both),
            // An error body.
            ("Problem", Direction::Received),
            ("Reply", Direction::Received),
            ("Stored", Direction::Received),
            ("Tag", Direction::Both),
        ];
        let (params, found): (Vec<_>, Vec<_>) = found
            .iter()
            .map(|(name, direction)| (name.as_str(), *direction))
            .partition(|(name, _)| name.ends_with("Params"));
        assert_eq!(found, expected);
        // The parameters struct, serialized as the query string.
        assert_eq!(params.len(), 1);
        assert_eq!(params[0].1, Direction::Sent);
    }
}
