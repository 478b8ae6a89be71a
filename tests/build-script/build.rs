//! Generates the pet store client into `OUT_DIR`, as a user's build script would.

fn main() -> Result<(), clientgen::build::Error> {
    clientgen::build::Builder::new("pets")
        .spec("pets.yaml")
        .overlay("pets.overlay.yaml")
        .generate_into_out_dir()
}
