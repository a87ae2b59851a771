// build.rs — links the engram-kern shared library built by the project. ENGRAM_KERN_LIB_DIR
// names the folder holding libengram_kern.so (default: the `ci` preset's build tree).
use std::env;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let dir = env::var("ENGRAM_KERN_LIB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| manifest.join("../../build/ci/src/capi"));
    println!("cargo:rerun-if-env-changed=ENGRAM_KERN_LIB_DIR");
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rustc-link-lib=dylib=engram_kern");
    // Let `cargo test` find the library at run time without LD_LIBRARY_PATH.
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
}
