// build.rs — links engram-kern into the crate. Three modes, as -sys crates do:
//   ENGRAM_KERN_LIB_DIR=<dir>  an installed library in <dir> (ENGRAM_KERN_STATIC=1: the .a);
//   ENGRAM_KERN_PKG_CONFIG=1   an installed library found by pkg-config (`engram_kern`);
//   otherwise                  the static library built from this repository with CMake into
//                              OUT_DIR: every per-ISA object and runtime dispatch, no -march.
// It sets DEP_ENGRAM_KERN_INCLUDE (the header's folder) for crates that compile C against it.
use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn main() {
    for var in [
        "ENGRAM_KERN_LIB_DIR",
        "ENGRAM_KERN_STATIC",
        "ENGRAM_KERN_PKG_CONFIG",
        "CXX",
    ] {
        println!("cargo:rerun-if-env-changed={}", var);
    }
    let repo = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../..");
    if let Ok(dir) = env::var("ENGRAM_KERN_LIB_DIR") {
        let kind = if env::var("ENGRAM_KERN_STATIC").map_or(false, |v| v == "1") {
            "static"
        } else {
            "dylib"
        };
        println!("cargo:rustc-link-search=native={}", dir);
        println!("cargo:rustc-link-lib={}=engram_kern", kind);
        if kind == "static" {
            link_cxx_runtime();
        }
        println!("cargo:include={}", repo.join("include").display());
    } else if env::var("ENGRAM_KERN_PKG_CONFIG").map_or(false, |v| v == "1") {
        link_with_pkg_config();
    } else {
        build_with_cmake(&repo);
    }
}

fn link_with_pkg_config() {
    let output = run_tool(
        Command::new("pkg-config").args(["--libs", "--cflags", "engram_kern"]),
        "pkg-config",
        "install pkg-config, or set ENGRAM_KERN_LIB_DIR instead of ENGRAM_KERN_PKG_CONFIG",
    );
    let flags = String::from_utf8_lossy(&output.stdout).into_owned();
    for flag in flags.split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={}", dir);
        } else if let Some(lib) = flag.strip_prefix("-l") {
            println!("cargo:rustc-link-lib={}", lib);
        } else if let Some(dir) = flag.strip_prefix("-I") {
            println!("cargo:include={}", dir);
        }
    }
}

fn build_with_cmake(repo: &Path) {
    if !repo.join("CMakeLists.txt").exists() {
        panic!(
            "engram-kern-sys: the engram-kern sources are not at {} (the crate builds them from \
             its repository); set ENGRAM_KERN_LIB_DIR or ENGRAM_KERN_PKG_CONFIG=1 to link an \
             installed library",
            repo.display()
        );
    }
    for source in [
        "CMakeLists.txt",
        "cmake",
        "include",
        "reference",
        "kernels",
        "src/capi",
    ] {
        println!("cargo:rerun-if-changed={}", repo.join(source).display());
    }
    require_cxx_compiler();
    let build = PathBuf::from(env::var("OUT_DIR").unwrap()).join("cmake-build");
    // Release whatever the cargo profile: these are the kernels the crate is for. Only the
    // library: no tests, CLI, fuzzers or peer libraries, so only xsimd is needed to build.
    run_tool(
        Command::new("cmake")
            .arg("-S")
            .arg(repo)
            .arg("-B")
            .arg(&build)
            .args([
                "-DCMAKE_BUILD_TYPE=Release",
                "-DEK_BUILD_TESTS=OFF",
                "-DEK_BUILD_CLI=OFF",
                "-DEK_BUILD_FUZZERS=OFF",
                "-DEK_PEERS=OFF",
            ]),
        "cmake",
        "install CMake 3.25 or newer (Debian: apt-get install cmake), or set ENGRAM_KERN_LIB_DIR",
    );
    let jobs = env::var("NUM_JOBS").unwrap_or_else(|_| "1".to_string());
    // engram_kern_bundle merges the C ABI, the kernels (all ISA objects) and the reference into
    // one archive, the same file `cmake --install` ships.
    run_tool(
        Command::new("cmake").arg("--build").arg(&build).args([
            "--target",
            "engram_kern_bundle",
            "--parallel",
            &jobs,
        ]),
        "cmake",
        "install CMake 3.25 or newer, or set ENGRAM_KERN_LIB_DIR",
    );
    println!(
        "cargo:rustc-link-search=native={}",
        build.join("install-staging").display()
    );
    println!("cargo:rustc-link-lib=static=engram_kern");
    link_cxx_runtime();
    println!("cargo:include={}", repo.join("include").display());
}

fn link_cxx_runtime() {
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let runtime = if os == "macos" || os == "freebsd" {
        "c++"
    } else {
        "stdc++"
    };
    println!("cargo:rustc-link-lib=dylib={}", runtime);
}

/// CMake reports a missing compiler deep in its log; name it here first.
fn require_cxx_compiler() {
    let candidates: Vec<String> = match env::var("CXX") {
        Ok(cxx) => vec![cxx],
        Err(_) => vec!["c++".into(), "g++".into(), "clang++".into()],
    };
    let found = candidates.iter().any(|cxx| {
        Command::new(cxx)
            .arg("--version")
            .output()
            .map_or(false, |o| o.status.success())
    });
    if !found {
        panic!(
            "engram-kern-sys: no C++ compiler found (tried {}); install g++ (Debian: apt-get \
             install g++) or set CXX, or set ENGRAM_KERN_LIB_DIR to link an installed library",
            candidates.join(", ")
        );
    }
}

fn run_tool(command: &mut Command, tool: &str, remedy: &str) -> Output {
    let output = match command.output() {
        Ok(output) => output,
        Err(error) => panic!(
            "engram-kern-sys: cannot run `{}` ({}): {}",
            tool, error, remedy
        ),
    };
    if !output.status.success() {
        panic!(
            "engram-kern-sys: `{:?}` failed ({})\n{}\n{}",
            command,
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    output
}
