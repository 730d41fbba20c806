//! `get_hash(path=… | literal=…, sha_type=256|384|512, base64=true)`: a SHA-2 digest, as Zola's `get_hash` gives
//! it (SHA-384 and base64 unless told otherwise), for subresource integrity and cache busting.
use super::{State, bool_arg, fail, files, string_arg};
use base64::Engine;
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Tera, Value};

pub fn register(tera: &mut Tera, state: &Arc<State>) {
    let state = state.clone();
    tera.register_function("get_hash", move |args: &HashMap<String, Value>| get_hash(&state, args));
}

fn get_hash(state: &State, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let sha_type = match args.get("sha_type") {
        None => 384,
        Some(v) => match v.as_u64() {
            Some(n @ (256 | 384 | 512)) => n,
            _ => {
                return Err(fail(
                    format!("get_hash() received sha_type={v}, which is not 256, 384 or 512"),
                    "write sha_type=256, sha_type=384 or sha_type=512",
                ));
            }
        },
    };
    let base64 = bool_arg(args, "get_hash", "base64", true)?;
    let bytes = match (string_arg(args, "get_hash", "path")?, string_arg(args, "get_hash", "literal")?) {
        (Some(path), None) => {
            crate::templates::reads::note();
            state.read_files.store(true, std::sync::atomic::Ordering::Relaxed);
            let follow = state.bound().config.follow_external_links;
            files::read(&state.root, path, follow, "get_hash").map_err(files::Problem::into_error)?.1
        }
        (None, Some(literal)) => literal.as_bytes().to_vec(),
        _ => {
            return Err(fail(
                "get_hash() needs either a `path` or a `literal` argument, not both",
                "get_hash(path=\"static/app.js\") or get_hash(literal=\"text\")",
            ));
        }
    };
    let digest = match sha_type {
        256 => sha2::Sha256::digest(&bytes).to_vec(),
        384 => sha2::Sha384::digest(&bytes).to_vec(),
        _ => sha2::Sha512::digest(&bytes).to_vec(),
    };
    Ok(Value::String(if base64 {
        base64::engine::general_purpose::STANDARD.encode(digest)
    } else {
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }))
}
