//! Catches drift between these bindings and include/engram_kern.h: the header is parsed for its
//! structs (field names in order), enum constants and functions (with their parameter counts);
//! a C program generated from that list, compiled against the header, prints every struct size,
//! field offset and constant value, and each is compared with what the Rust side declares.
use engram_kern_sys::*;
use std::collections::BTreeMap;
use std::mem::{size_of, MaybeUninit};
use std::path::PathBuf;
use std::process::Command;

/// The `Layout` of a Rust struct. The destructuring pattern has no `..`, so a field
/// added to the Rust struct and not listed here does not compile.
macro_rules! rust_layout {
    ($name:ident { $($field:ident),* $(,)? }) => {{
        #[allow(dead_code, unused_variables)]
        fn exhaustive(value: $name) { let $name { $($field: _),* } = value; }
        let value = MaybeUninit::<$name>::uninit();
        let base = value.as_ptr() as usize;
        let fields = vec![$((
            stringify!($field).to_string(),
            // SAFETY: only the address of a field is taken; nothing is read.
            unsafe { std::ptr::addr_of!((*value.as_ptr()).$field) } as usize - base,
        )),*];
        (stringify!($name).to_string(), size_of::<$name>(), fields)
    }};
}

/// (function name, parameter count): the cast compiles only if the Rust declaration exists and
/// takes exactly that many parameters.
macro_rules! rust_function {
    ($name:ident ( $($param:tt),* )) => {{
        let _ = $name as unsafe extern "C" fn($($param),*) -> _;
        (stringify!($name).to_string(), <[&str]>::len(&[$(stringify!($param)),*]))
    }};
}

/// A struct's name, size and (field, offset) list.
type Layout = (String, usize, Vec<(String, usize)>);

fn rust_structs() -> Vec<Layout> {
    vec![
        rust_layout!(engram_decay_params {
            struct_size,
            family,
            tau_seconds,
            beta,
            switch_seconds,
            floor,
            tau_per_memory
        }),
        rust_layout!(engram_spread_params {
            struct_size,
            mode,
            steps,
            hop_decay,
            threshold
        }),
        rust_layout!(engram_arena_stats {
            struct_size,
            reserved_padding,
            bytes_reserved,
            high_water_bytes,
            growths
        }),
    ]
}

/// (constant name, value) of every constant of the bindings named.
macro_rules! rust_constants {
    ($($name:ident),* $(,)?) => { vec![$((stringify!($name), $name as i64)),*] };
}

fn rust_constants() -> Vec<(&'static str, i64)> {
    rust_constants![
        ENGRAM_OK,
        ENGRAM_ERR_NULL_POINTER,
        ENGRAM_ERR_SIZE_OVERFLOW,
        ENGRAM_ERR_OVERLAP,
        ENGRAM_ERR_INVALID_PARAM,
        ENGRAM_ERR_INVALID_GRAPH,
        ENGRAM_ERR_INVALID_INPUT,
        ENGRAM_ERR_UNKNOWN_ISA,
        ENGRAM_ERR_UNSUPPORTED_ISA,
        ENGRAM_ERR_OUT_OF_MEMORY,
        ENGRAM_DECAY_EXPONENTIAL,
        ENGRAM_DECAY_POWER_LAW,
        ENGRAM_DECAY_HYBRID,
        ENGRAM_SPREAD_FRONTIER,
        ENGRAM_SPREAD_DENSE,
        ENGRAM_ISA_AUTO,
        ENGRAM_ISA_ENV,
        ENGRAM_ISA_API,
        ENGRAM_ISA_ENV_BAD,
        ENGRAM_KERN_VERSION_MAJOR,
        ENGRAM_KERN_VERSION_MINOR,
        ENGRAM_KERN_VERSION_PATCH,
    ]
}

fn rust_functions() -> Vec<(String, usize)> {
    vec![
        rust_function!(engram_status_string(_)),
        rust_function!(engram_version()),
        rust_function!(engram_version_string()),
        rust_function!(engram_vector_similarity(_, _, _, _, _)),
        rust_function!(engram_vector_similarity_batch(_, _, _, _, _, _)),
        rust_function!(engram_vector_topk(_, _, _, _, _, _, _, _)),
        rust_function!(engram_convert_f32_to_bf16(_, _, _)),
        rust_function!(engram_quantize_i8(_, _, _, _, _)),
        rust_function!(engram_vector_similarity_bf16(_, _, _, _, _)),
        rust_function!(engram_vector_similarity_i8(_, _, _, _, _)),
        rust_function!(engram_vector_topk_bf16(_, _, _, _, _, _, _, _)),
        rust_function!(engram_vector_topk_i8(_, _, _, _, _, _, _, _)),
        rust_function!(engram_decay_params_default()),
        rust_function!(engram_apply_decay(_, _, _, _)),
        rust_function!(engram_graph_create(_, _, _, _, _, _)),
        rust_function!(engram_graph_num_nodes(_)),
        rust_function!(engram_graph_num_edges(_)),
        rust_function!(engram_spread_params_default()),
        rust_function!(engram_spread_activation(_, _, _)),
        rust_function!(engram_active_isa()),
        rust_function!(engram_active_isa_source()),
        rust_function!(engram_runnable_isas(_, _, _)),
        rust_function!(engram_set_isa(_)),
        rust_function!(engram_active_gather_policy()),
        rust_function!(engram_active_gather_policy_source()),
        rust_function!(engram_set_gather_policy(_)),
        rust_function!(engram_arena_get_stats(_)),
        rust_function!(engram_graph_destroy(_)),
        rust_function!(engram_arena_release()),
    ]
}

fn header_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../include/engram_kern.h")
}

/// The header without comments, so parsing sees declarations only.
fn header_code() -> String {
    let text = std::fs::read_to_string(header_path()).expect("read include/engram_kern.h");
    let mut code = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment") + start + 2;
        rest = &rest[end..];
    }
    code.push_str(rest);
    code
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifier that ends `text` (a declarator's name).
fn last_ident(text: &str) -> String {
    let trimmed = text.trim_end();
    let start = trimmed
        .rfind(|c: char| !is_ident_char(c))
        .map_or(0, |i| i + 1);
    trimmed[start..].to_string()
}

/// `typedef struct NAME { fields } NAME;` → NAME → field names in order.
fn header_structs(code: &str) -> BTreeMap<String, Vec<String>> {
    let mut structs = BTreeMap::new();
    for piece in code.split("typedef struct ").skip(1) {
        let open = match piece.find('{') {
            Some(open) if !piece[..open].contains(';') => open,
            _ => continue, // an opaque `typedef struct x x;`
        };
        let name = piece[..open].trim().to_string();
        let close = piece.find('}').expect("struct without its closing brace");
        let fields = piece[open + 1..close]
            .split(';')
            .filter(|decl| !decl.trim().is_empty())
            .map(last_ident)
            .collect();
        structs.insert(name, fields);
    }
    structs
}

/// Every `ENGRAM_...` constant defined in an enum or by a numeric #define.
fn header_constants(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for piece in code.split("enum").skip(1) {
        let (open, close) = match (piece.find('{'), piece.find('}')) {
            (Some(open), Some(close)) if open < close => (open, close),
            _ => continue,
        };
        for entry in piece[open + 1..close].split(',') {
            let name = entry.split('=').next().unwrap().trim();
            if !name.is_empty() {
                names.push(name.to_string());
            }
        }
    }
    for line in code.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() == 3 && words[0] == "#define" && words[2].parse::<i64>().is_ok() {
            names.push(words[1].to_string());
        }
    }
    names
}

/// `ENGRAM_API type name(params);` → (name, parameter count).
fn header_functions(code: &str) -> BTreeMap<String, usize> {
    let mut functions = BTreeMap::new();
    for piece in code.split("ENGRAM_API ").skip(1) {
        let (open, close) = match (piece.find('('), piece.find(')')) {
            (Some(open), Some(close))
                if open < close
                    && piece[close..]
                        .trim_start_matches(')')
                        .trim_start()
                        .starts_with(';') =>
            {
                (open, close)
            }
            _ => continue, // the #define of ENGRAM_API itself
        };
        let params = piece[open + 1..close].trim();
        let count = if params == "void" {
            0
        } else {
            params.split(',').count()
        };
        functions.insert(last_ident(&piece[..open]), count);
    }
    functions
}

/// Compiles and runs a C program printing `name value` lines for the given C expressions; `tag`
/// names its files apart from those of the other tests, which run at the same time.
fn c_values(tag: &str, expressions: &[(String, String)]) -> BTreeMap<String, i64> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("abi_drift");
    std::fs::create_dir_all(&dir).unwrap();
    let mut program = String::from(
        "#include <stddef.h>\n#include <stdio.h>\n#include \"engram_kern.h\"\nint main(void) {\n",
    );
    for (name, expression) in expressions {
        program.push_str(&format!(
            "  printf(\"%s %lld\\n\", \"{}\", (long long)({}));\n",
            name, expression
        ));
    }
    program.push_str("  return 0;\n}\n");
    let source = dir.join(format!("{}.c", tag));
    let binary = dir.join(tag);
    std::fs::write(&source, program).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let include = header_path().parent().unwrap().to_path_buf();
    let status = Command::new(&cc)
        .arg("-std=c99")
        .arg("-I")
        .arg(&include)
        .arg(&source)
        .arg("-o")
        .arg(&binary)
        .status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{}`: {}", cc, e));
    assert!(status.success(), "the layout program did not compile");
    let output = Command::new(&binary)
        .output()
        .expect("run the layout program");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (name, value) = line.split_once(' ').unwrap();
            (name.to_string(), value.parse().unwrap())
        })
        .collect()
}

#[test]
fn structs_match_the_header() {
    let header = header_structs(&header_code());
    let rust = rust_structs();
    let rust_names: Vec<&String> = rust.iter().map(|(name, _, _)| name).collect();
    let header_names: Vec<&String> = header.keys().collect();
    let mut sorted = rust_names.clone();
    sorted.sort();
    assert_eq!(
        sorted, header_names,
        "structs of the header vs the bindings"
    );

    let mut expressions = Vec::new();
    for (name, _, fields) in &rust {
        let rust_fields: Vec<&String> = fields.iter().map(|(field, _)| field).collect();
        let header_fields: Vec<&String> = header[name].iter().collect();
        assert_eq!(rust_fields, header_fields, "fields of {}", name);
        expressions.push((format!("sizeof.{}", name), format!("sizeof({})", name)));
        for (field, _) in fields {
            expressions.push((
                format!("{}.{}", name, field),
                format!("offsetof({}, {})", name, field),
            ));
        }
    }
    let c = c_values("structs", &expressions);
    for (name, size, fields) in &rust {
        assert_eq!(
            c[&format!("sizeof.{}", name)],
            *size as i64,
            "sizeof({})",
            name
        );
        for (field, offset) in fields {
            assert_eq!(
                c[&format!("{}.{}", name, field)],
                *offset as i64,
                "offsetof({}, {})",
                name,
                field
            );
        }
    }
}

#[test]
fn constants_match_the_header() {
    let mut header = header_constants(&header_code());
    header.sort();
    let rust = rust_constants();
    let mut rust_names: Vec<String> = rust.iter().map(|(name, _)| name.to_string()).collect();
    rust_names.sort();
    assert_eq!(
        rust_names, header,
        "constants of the header vs the bindings"
    );
    let expressions: Vec<(String, String)> = rust
        .iter()
        .map(|(name, _)| (name.to_string(), name.to_string()))
        .collect();
    let c = c_values("constants", &expressions);
    for (name, value) in &rust {
        assert_eq!(c[*name], *value, "{}", name);
    }
}

#[test]
fn functions_match_the_header() {
    let header = header_functions(&header_code());
    let rust: BTreeMap<String, usize> = rust_functions().into_iter().collect();
    assert_eq!(
        rust, header,
        "functions (name → parameter count) of the header vs the bindings"
    );
}
