//! Overlays (the OpenAPI Overlay Specification 1.0.0): corrections to a vendor's document kept
//! in a file of their own, so the document itself stays exactly as published.
//!
//! An overlay is a list of actions, each with a JSONPath `target` (RFC 9535, evaluated by
//! `serde_json_path`) and either an `update` or `remove: true`:
//!
//! - `update` on an object merges into it: members of the update replace members of the same
//!   name, objects inside objects are merged the same way, and new members are added;
//! - `update` on an array appends the update as one more item;
//! - `remove: true` takes each selected node out of the object or array that holds it.
//!
//! Actions apply in order, each to the document the previous ones left. Unlike the
//! specification, which lets an action match nothing, a target that matches nothing is an
//! error here: it means the document changed under the overlay, and the correction it carried
//! is silently lost otherwise.

use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use crate::diagnostics::{Error, Errors, Pointer};
use crate::load::{error_at, read_tree};

/// A parsed overlay document, ready to apply to a spec with
/// [`Spec::parse_with_overlays`](crate::Spec::parse_with_overlays).
///
/// ```
/// let overlay = clientgen::Overlay::parse(
///     "fix.overlay.yaml",
///     "overlay: 1.0.0\ninfo: {title: Fix, version: '1'}\nactions:\n  - target: $.info\n    update: {title: Fixed}\n",
/// )?;
/// let text = "openapi: 3.0.3\ninfo: {title: Broken, version: '1'}\npaths: {}\n";
/// let spec = clientgen::Spec::parse_with_overlays("api.yaml", text, &[overlay])?;
/// assert_eq!(spec.document().info.title, "Fixed");
/// # Ok::<(), clientgen::Errors>(())
/// ```
#[derive(Debug, Clone)]
pub struct Overlay {
    file: String,
    actions: Vec<Action>,
}

/// One action of an overlay.
#[derive(Debug, Clone)]
struct Action {
    /// Where the action stands in the overlay, for diagnostics.
    at: Pointer,
    /// The JSONPath as written.
    target_text: String,
    target: JsonPath,
    change: Change,
}

#[derive(Debug, Clone)]
enum Change {
    Update(Value),
    Remove,
}

/// The overlay versions this module implements.
const SUPPORTED_VERSION: &str = "1.0.";

impl Overlay {
    /// Parses an overlay document (YAML or JSON); `file` names it in diagnostics. Every problem
    /// is reported at once.
    pub fn parse(file: impl Into<String>, text: &str) -> Result<Self, Errors> {
        let file = file.into();
        let tree = read_tree(&file, text)?;
        let mut problems = Problems {
            file: &file,
            errors: Vec::new(),
        };
        let actions = problems.overlay(&tree);
        match Errors::from_vec(problems.errors) {
            Some(errors) => Err(errors),
            None => Ok(Self { file, actions }),
        }
    }

    /// The file name given to [`Overlay::parse`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Applies every action to `document` (the tree of `spec_file`), returning an error for
    /// each action that could not be carried out.
    pub(crate) fn apply(&self, document: &mut Value, spec_file: &str) -> Vec<Error> {
        let mut errors = Vec::new();
        for action in &self.actions {
            let mut targets: Vec<Vec<Step>> = action
                .target
                .query_located(document)
                .locations()
                .map(|location| location.iter().map(Step::from).collect())
                .collect();
            if targets.is_empty() {
                let message = format!(
                    "target `{}` matches nothing in `{spec_file}`; the document may have changed \
                     since this overlay was written",
                    action.target_text
                );
                errors.push(self.error(action.at.join("target"), message));
                continue;
            }
            // Deepest and last first, so removing one node never moves another still to visit.
            targets.sort();
            targets.dedup();
            targets.reverse();
            for target in targets {
                if let Err(message) = action.change.apply(document, &target) {
                    let field = match action.change {
                        Change::Update(_) => "update",
                        Change::Remove => "remove",
                    };
                    errors.push(self.error(action.at.join(field), message));
                }
            }
        }
        errors
    }

    fn error(&self, pointer: Pointer, message: String) -> Error {
        error_at(&self.file, pointer, None, message)
    }
}

impl Change {
    fn apply(&self, document: &mut Value, target: &[Step]) -> Result<(), String> {
        match self {
            Change::Remove => {
                let Some((last, parent)) = target.split_last() else {
                    return Err("the whole document cannot be removed".to_owned());
                };
                match (node_mut(document, parent), last) {
                    (Some(Value::Object(members)), Step::Name(name)) => {
                        members.remove(name);
                    }
                    (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                        items.remove(*index);
                    }
                    // An ancestor removed by this same action took the node with it.
                    _ => {}
                }
                Ok(())
            }
            Change::Update(update) => match (node_mut(document, target), update) {
                (Some(Value::Object(members)), Value::Object(update)) => {
                    merge(members, update);
                    Ok(())
                }
                (Some(Value::Object(_)), _) => Err(format!(
                    "`{}` is an object, so `update` must be an object to merge into it",
                    pointer_of(target)
                )),
                (Some(Value::Array(items)), update) => {
                    items.push(update.clone());
                    Ok(())
                }
                (Some(other), _) => Err(format!(
                    "`{}` is {}; `update` can only merge into an object or append to an array",
                    pointer_of(target),
                    kind_of(other)
                )),
                (None, _) => Ok(()),
            },
        }
    }
}

/// Merges `update` into `members`: objects recursively, anything else replaced.
fn merge(members: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (name, value) in update {
        match (members.get_mut(name), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge(existing, value),
            _ => {
                members.insert(name.clone(), value.clone());
            }
        }
    }
}

/// One step from a node to a child: a member name or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Name(String),
    Index(usize),
}

impl From<&PathElement<'_>> for Step {
    fn from(element: &PathElement<'_>) -> Self {
        match element {
            PathElement::Name(name) => Step::Name((*name).to_owned()),
            PathElement::Index(index) => Step::Index(*index),
        }
    }
}

fn node_mut<'v>(document: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(document, |node, step| match (node, step) {
            (Value::Object(members), Step::Name(name)) => members.get_mut(name),
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
            _ => None,
        })
}

/// The JSON pointer of a node of the spec, for messages.
fn pointer_of(path: &[Step]) -> Pointer {
    path.iter()
        .fold(Pointer::root(), |pointer, step| match step {
            Step::Name(name) => pointer.join(name),
            Step::Index(index) => pointer.join(index),
        })
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks the shape of an overlay document, collecting every problem.
struct Problems<'f> {
    file: &'f str,
    errors: Vec<Error>,
}

impl Problems<'_> {
    fn push(&mut self, pointer: Pointer, message: impl Into<String>) {
        self.errors
            .push(error_at(self.file, pointer, None, message.into()));
    }

    fn overlay(&mut self, tree: &Value) -> Vec<Action> {
        let root = Pointer::root();
        let Some(members) = tree.as_object() else {
            self.push(
                root,
                "an overlay must be a mapping with `overlay`, `info` and `actions`",
            );
            return Vec::new();
        };
        match members.get("overlay").map(|v| (v, v.as_str())) {
            Some((_, Some(version))) if version.starts_with(SUPPORTED_VERSION) => {}
            Some((value, _)) => self.push(
                root.join("overlay"),
                format!("overlay version {value} is not supported; this generator reads 1.0.x"),
            ),
            None => self.push(root.join("overlay"), "`overlay: 1.0.0` is required"),
        }
        self.info(members.get("info"));
        for name in members.keys() {
            let known = ["overlay", "info", "extends", "actions"];
            if !known.contains(&name.as_str()) && !name.starts_with("x-") {
                self.push(root.join(name), format!("`{name}` is not an overlay field"));
            }
        }
        match members.get("actions") {
            Some(Value::Array(actions)) if !actions.is_empty() => actions
                .iter()
                .enumerate()
                .filter_map(|(index, action)| self.action(root.join("actions").join(index), action))
                .collect(),
            _ => {
                self.push(
                    root.join("actions"),
                    "`actions` must be a list of at least one action",
                );
                Vec::new()
            }
        }
    }

    fn info(&mut self, info: Option<&Value>) {
        let at = Pointer::root().join("info");
        let Some(info) = info.and_then(Value::as_object) else {
            self.push(at, "`info` with a `title` and a `version` is required");
            return;
        };
        for field in ["title", "version"] {
            if !info.get(field).is_some_and(Value::is_string) {
                self.push(at.join(field), format!("`info.{field}` must be a string"));
            }
        }
    }

    fn action(&mut self, at: Pointer, action: &Value) -> Option<Action> {
        let Some(members) = action.as_object() else {
            self.push(at, "an action must be a mapping with a `target`");
            return None;
        };
        for name in members.keys() {
            let known = ["target", "description", "update", "remove"];
            if !known.contains(&name.as_str()) && !name.starts_with("x-") {
                self.push(
                    at.join(name),
                    format!("`{name}` is not a field of an overlay action"),
                );
            }
        }
        let change = self.change(&at, members);
        let target = self.target(&at, members.get("target"));
        let ((target_text, target), change) = (target?, change?);
        Some(Action {
            at,
            target_text,
            target,
            change,
        })
    }

    /// What the action at `at` does: `remove: true`, else its `update`.
    fn change(&mut self, at: &Pointer, members: &serde_json::Map<String, Value>) -> Option<Change> {
        let remove = match members.get("remove") {
            None => false,
            Some(Value::Bool(remove)) => *remove,
            Some(_) => {
                self.push(at.join("remove"), "`remove` must be `true` or `false`");
                false
            }
        };
        match (remove, members.get("update")) {
            (true, _) => Some(Change::Remove),
            (false, Some(update)) => Some(Change::Update(update.clone())),
            (false, None) => {
                self.push(
                    at.clone(),
                    "the action does nothing: give it `update` or `remove: true`",
                );
                None
            }
        }
    }

    /// The action's `target`, as written and parsed as a JSONPath query.
    fn target(&mut self, at: &Pointer, target: Option<&Value>) -> Option<(String, JsonPath)> {
        let Some(text) = target.and_then(Value::as_str) else {
            self.push(
                at.join("target"),
                "`target` must be a JSONPath query string",
            );
            return None;
        };
        match JsonPath::parse(text) {
            Ok(path) => Some((text.to_owned(), path)),
            Err(error) => {
                let message = format!(
                    "`{text}` is not a JSONPath query (RFC 9535): {} at character {}",
                    error.message(),
                    error.position()
                );
                self.push(at.join("target"), message);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn overlay(actions: &str) -> Overlay {
        let text = format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}");
        Overlay::parse("fix.yaml", &text).unwrap_or_else(|errors| panic!("{errors}"))
    }

    fn apply(actions: &str, mut document: Value) -> Result<Value, Vec<String>> {
        let errors = overlay(actions).apply(&mut document, "spec.json");
        if errors.is_empty() {
            Ok(document)
        } else {
            Err(errors.iter().map(ToString::to_string).collect())
        }
    }

    #[test]
    fn update_merges_into_every_selected_object() {
        let document = json!({"a": {"x": {"keep": 1, "deep": {"k": 1}}, "y": {"keep": 2}}});
        let actions = "  - target: $.a.*\n    update: {added: true, deep: {j: 2}}\n";
        assert_eq!(
            apply(actions, document).unwrap(),
            json!({"a": {
                "x": {"keep": 1, "deep": {"k": 1, "j": 2}, "added": true},
                "y": {"keep": 2, "deep": {"j": 2}, "added": true},
            }})
        );
    }

    #[test]
    fn update_replaces_a_member_that_is_not_an_object() {
        let document = json!({"schema": {"required": ["a", "b"], "format": "x"}});
        let actions = "  - target: $.schema\n    update: {required: [a], format: password}\n";
        assert_eq!(
            apply(actions, document).unwrap(),
            json!({"schema": {"required": ["a"], "format": "password"}})
        );
    }

    #[test]
    fn update_appends_to_an_array() {
        let document = json!({"required": ["a"]});
        let actions = "  - target: $.required\n    update: b\n";
        assert_eq!(
            apply(actions, document).unwrap(),
            json!({"required": ["a", "b"]})
        );
    }

    #[test]
    fn remove_takes_out_members_and_items() {
        let document = json!({"keep": 1, "drop": 2, "list": ["a", "b", "a", "c"]});
        let actions = "  - target: $.drop\n    remove: true\n  - target: $.list[?@ == 'a']\n    remove: true\n";
        assert_eq!(
            apply(actions, document).unwrap(),
            json!({"keep": 1, "list": ["b", "c"]})
        );
    }

    #[test]
    fn actions_apply_in_order() {
        let document = json!({"a": {}});
        let actions =
            "  - target: $.a\n    update: {b: {}}\n  - target: $.a.b\n    update: {c: 1}\n";
        assert_eq!(
            apply(actions, document).unwrap(),
            json!({"a": {"b": {"c": 1}}})
        );
    }

    #[test]
    fn a_target_that_matches_nothing_names_the_overlay_file_and_action() {
        let document = json!({"a": 1});
        let actions =
            "  - target: $.a\n    remove: true\n  - target: $.missing\n    remove: true\n";
        let errors = apply(actions, document).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("error: fix.yaml: #/actions/1/target: target `$.missing` matches nothing in `spec.json`"),
            "{errors:?}"
        );
    }

    #[test]
    fn update_of_a_scalar_is_an_error_at_the_update() {
        let errors = apply(
            "  - target: $.a\n    update: {b: 1}\n",
            json!({"a": "text"}),
        )
        .unwrap_err();
        assert!(errors[0].contains("#/actions/0/update"), "{errors:?}");
        assert!(errors[0].contains("`#/a` is a string"), "{errors:?}");
    }

    #[test]
    fn every_problem_of_an_overlay_document_is_reported() {
        let text = "overlay: 2.0.0\nactions:\n  - target: '$[?'\n    update: {}\n  - target: $.a\n  - update: {}\n    copy: $.b\n";
        let errors = Overlay::parse("bad.yaml", text).unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|e| e.location.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/actions/0/target",
                "#/actions/1",
                "#/actions/2/copy",
                "#/actions/2/target",
                "#/info",
                "#/overlay",
            ],
            "{errors}"
        );
    }
}
