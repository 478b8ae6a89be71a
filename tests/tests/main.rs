//! The behaviour tests of the generator's output, one module per concern, in one binary.

mod body_wire;
mod box_auth_client;
mod boxc_auth_client;
mod builders;
mod directions;
mod fixture_wire;
mod fixtures;
mod resilience;
mod round_trip;
