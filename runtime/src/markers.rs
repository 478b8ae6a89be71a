//! The marker of a generated builder's required field not set yet.

/// In a generated builder's type, a required field that has not been set yet: `build` exists
/// only once no field is `Missing`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Missing;
