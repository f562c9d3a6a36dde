//! SQLCipher's page crypto, served by RustCrypto instead of OpenSSL 3.
//!
//! Why: SQLCipher's OpenSSL provider looks up the HMAC, the digest and the
//! cipher by name on every page it encrypts (OpenSSL 3 "fetches", with locks
//! and string compares) and draws each IV under a global mutex. On this
//! workload that fixed cost was about two thirds of what encryption added to
//! a note save. This provider does exactly the same primitives with the
//! well-kept RustCrypto crates: AES-256-CBC without padding, HMAC-SHA1/256/512,
//! PBKDF2, and IVs from a CSPRNG. The on-disk format is unchanged: stores made
//! by either provider open with the other (tested both ways).
//!
//! The struct mirrors `struct sqlcipher_provider` of the SQLCipher bundled by
//! libsqlite3-sys (sqlcipher.h); `sqlcipher_register_provider` makes it the
//! default for every database opened afterwards.
//!
//! This crate is the workspace's only unsafe code: SQLCipher calls it
//! through C function pointers over raw buffers. Every other crate forbids
//! `unsafe` (`[workspace.lints]`).

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hmac::{Hmac, Mac};
use rand::RngCore;
use std::ffi::{c_char, c_int, c_void};
use std::sync::Once;

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;
const SQLCIPHER_ENCRYPT: c_int = 1;
const SQLCIPHER_DECRYPT: c_int = 0;
const HMAC_SHA1: c_int = 0;
const HMAC_SHA256: c_int = 1;
const HMAC_SHA512: c_int = 2;
const KEY_SIZE: c_int = 32;
const IV_SIZE: c_int = 16;
const BLOCK_SIZE: c_int = 16;

#[repr(C)]
struct SqlcipherProvider {
    init: Option<extern "C" fn() -> c_int>,
    shutdown: Option<extern "C" fn()>,
    get_provider_name: extern "C" fn(*mut c_void) -> *const c_char,
    add_random: extern "C" fn(*mut c_void, *const c_void, c_int) -> c_int,
    random: extern "C" fn(*mut c_void, *mut c_void, c_int) -> c_int,
    hmac: extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    kdf: extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        c_int,
        c_int,
        *mut u8,
    ) -> c_int,
    cipher: extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    get_cipher: extern "C" fn(*mut c_void) -> *const c_char,
    get_key_sz: extern "C" fn(*mut c_void) -> c_int,
    get_iv_sz: extern "C" fn(*mut c_void) -> c_int,
    get_block_sz: extern "C" fn(*mut c_void) -> c_int,
    get_hmac_sz: extern "C" fn(*mut c_void, c_int) -> c_int,
    ctx_init: extern "C" fn(*mut *mut c_void) -> c_int,
    ctx_free: extern "C" fn(*mut *mut c_void) -> c_int,
    fips_status: extern "C" fn(*mut c_void) -> c_int,
    get_provider_version: extern "C" fn(*mut c_void) -> *const c_char,
    next: *mut SqlcipherProvider,
}

extern "C" {
    fn sqlcipher_register_provider(p: *mut SqlcipherProvider) -> c_int;
    fn sqlcipher_malloc(size: u64) -> *mut c_void;
}

pub const PROVIDER_NAME: &str = "rustcrypto";

extern "C" fn provider_name(_: *mut c_void) -> *const c_char {
    c"rustcrypto".as_ptr()
}

extern "C" fn provider_version(_: *mut c_void) -> *const c_char {
    c"aes-0.8 cbc-0.1 hmac-0.12 sha2-0.10".as_ptr()
}

extern "C" fn cipher_name(_: *mut c_void) -> *const c_char {
    c"AES-256-CBC".as_ptr()
}

extern "C" fn add_random(_: *mut c_void, _: *const c_void, _: c_int) -> c_int {
    SQLITE_OK
}

/// IVs and salts: `ThreadRng` is a CSPRNG (ChaCha12) reseeded from the OS.
extern "C" fn random(_: *mut c_void, buffer: *mut c_void, length: c_int) -> c_int {
    if buffer.is_null() || length < 0 {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher passes a writable buffer of `length` bytes.
    let out = unsafe { std::slice::from_raw_parts_mut(buffer.cast::<u8>(), length as usize) };
    rand::thread_rng().fill_bytes(out);
    SQLITE_OK
}

/// # Safety
/// `ptr` must be null with `len` 0, or point at `len` readable bytes.
unsafe fn bytes<'a>(ptr: *const u8, len: c_int) -> Option<&'a [u8]> {
    match (ptr.is_null(), len) {
        (_, l) if l < 0 => None,
        (true, 0) => Some(&[]),
        (true, _) => None,
        // SAFETY: non-null, and the caller promises `len` readable bytes.
        (false, l) => Some(unsafe { std::slice::from_raw_parts(ptr, l as usize) }),
    }
}

fn mac_into<M: Mac + hmac::digest::KeyInit>(key: &[u8], parts: [&[u8]; 2], out: *mut u8) -> c_int {
    let Ok(mut mac) = <M as Mac>::new_from_slice(key) else {
        return SQLITE_ERROR;
    };
    for p in parts {
        mac.update(p);
    }
    let tag = mac.finalize().into_bytes();
    // SAFETY: SQLCipher's out buffer holds get_hmac_sz(algorithm) bytes.
    unsafe { std::ptr::copy_nonoverlapping(tag.as_ptr(), out, tag.len()) };
    SQLITE_OK
}

#[allow(clippy::too_many_arguments)]
extern "C" fn hmac(
    _: *mut c_void,
    algorithm: c_int,
    key: *const u8,
    key_sz: c_int,
    input: *const u8,
    in_sz: c_int,
    input2: *const u8,
    in2_sz: c_int,
    out: *mut u8,
) -> c_int {
    // SAFETY: pointers and sizes come from SQLCipher's page codec.
    let (Some(key), Some(a), Some(b)) = (
        unsafe { bytes(key, key_sz) },
        unsafe { bytes(input, in_sz) },
        unsafe { bytes(input2, in2_sz) },
    ) else {
        return SQLITE_ERROR;
    };
    if input.is_null() || out.is_null() {
        return SQLITE_ERROR;
    }
    match algorithm {
        HMAC_SHA1 => mac_into::<Hmac<sha1::Sha1>>(key, [a, b], out),
        HMAC_SHA256 => mac_into::<Hmac<sha2::Sha256>>(key, [a, b], out),
        HMAC_SHA512 => mac_into::<Hmac<sha2::Sha512>>(key, [a, b], out),
        _ => SQLITE_ERROR,
    }
}

#[allow(clippy::too_many_arguments)]
extern "C" fn kdf(
    _: *mut c_void,
    algorithm: c_int,
    pass: *const u8,
    pass_sz: c_int,
    salt: *const u8,
    salt_sz: c_int,
    workfactor: c_int,
    key_sz: c_int,
    key: *mut u8,
) -> c_int {
    // SAFETY: pointers and sizes come from SQLCipher's key derivation.
    let (Some(pass), Some(salt)) = (unsafe { bytes(pass, pass_sz) }, unsafe {
        bytes(salt, salt_sz)
    }) else {
        return SQLITE_ERROR;
    };
    if key.is_null() || key_sz < 0 || workfactor < 1 {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher's key buffer holds key_sz bytes.
    let out = unsafe { std::slice::from_raw_parts_mut(key, key_sz as usize) };
    let rounds = workfactor as u32;
    let done = match algorithm {
        HMAC_SHA1 => pbkdf2::pbkdf2::<Hmac<sha1::Sha1>>(pass, salt, rounds, out),
        HMAC_SHA256 => pbkdf2::pbkdf2::<Hmac<sha2::Sha256>>(pass, salt, rounds, out),
        HMAC_SHA512 => pbkdf2::pbkdf2::<Hmac<sha2::Sha512>>(pass, salt, rounds, out),
        _ => return SQLITE_ERROR,
    };
    if done.is_ok() {
        SQLITE_OK
    } else {
        SQLITE_ERROR
    }
}

type Enc = cbc::Encryptor<aes::Aes256>;
type Dec = cbc::Decryptor<aes::Aes256>;

/// AES-256-CBC over whole blocks, no padding (pages are block multiples).
#[allow(clippy::too_many_arguments)]
extern "C" fn cipher(
    _: *mut c_void,
    mode: c_int,
    key: *const u8,
    key_sz: c_int,
    iv: *const u8,
    input: *const u8,
    in_sz: c_int,
    out: *mut u8,
) -> c_int {
    if key_sz != KEY_SIZE || key.is_null() || iv.is_null() || input.is_null() || out.is_null() {
        return SQLITE_ERROR;
    }
    if in_sz < 0 || in_sz % BLOCK_SIZE != 0 {
        return SQLITE_ERROR;
    }
    let len = in_sz as usize;
    // SAFETY: key is 32 bytes and iv 16 (get_key_sz / get_iv_sz); input and
    // out hold in_sz bytes each and may be the same buffer, hence the memmove
    // then an in-place pass over `out`.
    let (key, iv, buf) = unsafe {
        std::ptr::copy(input, out, len);
        (
            std::slice::from_raw_parts(key, KEY_SIZE as usize),
            std::slice::from_raw_parts(iv, IV_SIZE as usize),
            std::slice::from_raw_parts_mut(out, len),
        )
    };
    let ok = match mode {
        SQLCIPHER_ENCRYPT => Enc::new(key.into(), iv.into())
            .encrypt_padded_mut::<NoPadding>(buf, len)
            .is_ok(),
        SQLCIPHER_DECRYPT => Dec::new(key.into(), iv.into())
            .decrypt_padded_mut::<NoPadding>(buf)
            .is_ok(),
        _ => false,
    };
    if ok {
        SQLITE_OK
    } else {
        SQLITE_ERROR
    }
}

extern "C" fn key_sz(_: *mut c_void) -> c_int {
    KEY_SIZE
}
extern "C" fn iv_sz(_: *mut c_void) -> c_int {
    IV_SIZE
}
extern "C" fn block_sz(_: *mut c_void) -> c_int {
    BLOCK_SIZE
}
extern "C" fn hmac_sz(_: *mut c_void, algorithm: c_int) -> c_int {
    match algorithm {
        HMAC_SHA1 => 20,
        HMAC_SHA256 => 32,
        HMAC_SHA512 => 64,
        _ => 0,
    }
}

/// The provider keeps no per-database state; SQLCipher still wants a context.
static CONTEXT: u8 = 0;

extern "C" fn ctx_init(ctx: *mut *mut c_void) -> c_int {
    if ctx.is_null() {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher passes a valid out-pointer.
    unsafe { *ctx = std::ptr::addr_of!(CONTEXT) as *mut c_void };
    SQLITE_OK
}
extern "C" fn ctx_free(_: *mut *mut c_void) -> c_int {
    SQLITE_OK
}
extern "C" fn fips_status(_: *mut c_void) -> c_int {
    0
}

static REGISTER: Once = Once::new();
static mut KEEP_OPENSSL: bool = false;

/// For the format-compatibility test only: keep SQLCipher's own OpenSSL
/// provider in this process. Must be called before any database is opened.
#[doc(hidden)]
pub fn keep_openssl_provider_for_compatibility_test() {
    // SAFETY: called once at the start of a test child process, before any
    // thread opens a database.
    unsafe { KEEP_OPENSSL = true };
}

/// Makes this provider SQLCipher's default, once per process, before the
/// first database is opened.
pub fn install() {
    REGISTER.call_once(|| {
        // SAFETY: read once, after the only write (see above).
        if unsafe { KEEP_OPENSSL } {
            return;
        }
        let provider = SqlcipherProvider {
            init: None,
            shutdown: None,
            get_provider_name: provider_name,
            add_random,
            random,
            hmac,
            kdf,
            cipher,
            get_cipher: cipher_name,
            get_key_sz: key_sz,
            get_iv_sz: iv_sz,
            get_block_sz: block_sz,
            get_hmac_sz: hmac_sz,
            ctx_init,
            ctx_free,
            fips_status,
            get_provider_version: provider_version,
            next: std::ptr::null_mut(),
        };
        // SAFETY: SQLCipher's own initialisation must run first (it sets up
        // the mutexes registration takes). The struct lives in SQLCipher's
        // allocator because sqlite3_shutdown frees every provider with it.
        unsafe {
            rusqlite::ffi::sqlite3_initialize();
            let slot = sqlcipher_malloc(std::mem::size_of::<SqlcipherProvider>() as u64)
                .cast::<SqlcipherProvider>();
            assert!(
                !slot.is_null(),
                "SQLCipher could not allocate its crypto provider"
            );
            slot.write(provider);
            let rc = sqlcipher_register_provider(slot);
            assert_eq!(
                rc, SQLITE_OK,
                "registering the SQLCipher crypto provider failed"
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known answers for the primitives, so a mistake here cannot hide behind
    // a round trip that is merely self-consistent.
    /// Calls the provider's cipher as SQLCipher does, over `len` bytes.
    fn run_cipher(
        mode: c_int,
        key: &[u8],
        iv: &[u8],
        input: &[u8],
        len: c_int,
    ) -> (c_int, Vec<u8>) {
        let mut out = vec![0u8; input.len()];
        let rc = cipher(
            std::ptr::null_mut(),
            mode,
            key.as_ptr(),
            32,
            iv.as_ptr(),
            input.as_ptr(),
            len,
            out.as_mut_ptr(),
        );
        (rc, out)
    }

    #[test]
    fn aes_256_cbc_matches_nist_sp800_38a() {
        let key = hex::decode("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
            .unwrap();
        let iv = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let plain = hex::decode("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
            .unwrap();
        let (rc, sealed) = run_cipher(SQLCIPHER_ENCRYPT, &key, &iv, &plain, 32);
        assert_eq!(rc, SQLITE_OK);
        assert_eq!(
            hex::encode(&sealed),
            "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
        );
        assert_eq!(
            run_cipher(SQLCIPHER_DECRYPT, &key, &iv, &sealed, 32),
            (SQLITE_OK, plain.clone())
        );
        assert_eq!(
            run_cipher(SQLCIPHER_ENCRYPT, &key, &iv, &plain, 31).0,
            SQLITE_ERROR,
            "not a whole block"
        );
    }

    #[test]
    fn hmac_sha512_matches_rfc4231_and_covers_both_parts() {
        let key = [0x0bu8; 20];
        let mut out = [0u8; 64];
        let (a, b) = (b"Hi ", b"There");
        let rc = hmac(
            std::ptr::null_mut(),
            HMAC_SHA512,
            key.as_ptr(),
            20,
            a.as_ptr(),
            3,
            b.as_ptr(),
            5,
            out.as_mut_ptr(),
        );
        assert_eq!(rc, SQLITE_OK);
        assert_eq!(
            hex::encode(out),
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
        );
    }

    #[test]
    fn pbkdf2_sha256_matches_rfc7914() {
        let mut out = [0u8; 64];
        let rc = kdf(
            std::ptr::null_mut(),
            HMAC_SHA256,
            b"passwd".as_ptr(),
            6,
            b"salt".as_ptr(),
            4,
            1,
            64,
            out.as_mut_ptr(),
        );
        assert_eq!(rc, SQLITE_OK);
        assert_eq!(
            hex::encode(out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        );
    }
}
