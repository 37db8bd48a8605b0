//! The blob-store contract, run against every store: the local directory, and the S3 store
//! against a real S3-compatible server when one is given. `make test` installs one from PyPI
//! (moto's server, in `.tools/s3`) and names it in `GONGZHI_TEST_S3_SERVER`; this test
//! starts it on a free port, makes a bucket and runs the same contract through the S3
//! client photos use in production (signed requests, path-style addressing).

#![cfg(feature = "server")]

use std::process::Stdio;
use std::time::Duration;

use gongzhi_domain::blobs::{self, BlobError, SharedBlobStore};

/// What every store must do, whatever keeps the bytes.
async fn contract(store: SharedBlobStore) {
    let key = blobs::new_key("photos", "-display.jpg");
    assert!(store.get(&key).await.unwrap().is_none(), "missing is None");
    store
        .put(&key, b"first".to_vec(), "image/jpeg")
        .await
        .unwrap();
    let got = store.get(&key).await.unwrap().expect("stored");
    assert_eq!(got.bytes, b"first");
    assert_eq!(got.content_type, "image/jpeg");
    // Put replaces.
    store
        .put(&key, b"second".to_vec(), "image/jpeg")
        .await
        .unwrap();
    assert_eq!(store.get(&key).await.unwrap().unwrap().bytes, b"second");
    // A photo-sized blob comes back byte for byte.
    let big_key = blobs::new_key("photos", "-original.webp");
    let big: Vec<u8> = (0..3 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    store
        .put(&big_key, big.clone(), "image/webp")
        .await
        .unwrap();
    assert!(store.get(&big_key).await.unwrap().unwrap().bytes == big);
    // Many at once, each its own.
    let keys: Vec<String> = (0..16)
        .map(|_| blobs::new_key("photos", "-thumb.jpg"))
        .collect();
    let puts = keys.iter().enumerate().map(|(i, k)| {
        let store = store.clone();
        let k = k.clone();
        async move { store.put(&k, vec![i as u8; 100 + i], "image/jpeg").await }
    });
    for r in futures::future::join_all(puts).await {
        r.unwrap();
    }
    for (i, k) in keys.iter().enumerate() {
        assert_eq!(
            store.get(k).await.unwrap().unwrap().bytes,
            vec![i as u8; 100 + i]
        );
    }
    // Delete, and delete again: both fine, and it is gone.
    store.delete(&key).await.unwrap();
    store.delete(&key).await.unwrap();
    assert!(store.get(&key).await.unwrap().is_none());
    // Keys that could escape or hide are refused before any I/O.
    for bad in [
        "",
        "../etc/passwd",
        "photos//x.jpg",
        "/abs.jpg",
        "photos/.hidden",
        "UPPER.jpg",
    ] {
        assert!(
            matches!(
                store.put(bad, vec![1], "image/jpeg").await,
                Err(BlobError::InvalidKey(_))
            ),
            "{bad:?} was not refused"
        );
        assert!(
            matches!(store.get(bad).await, Err(BlobError::InvalidKey(_))),
            "{bad:?}"
        );
    }
    // What the logs say names the place, never the secret.
    assert!(!store.describe().contains("test-secret"));
}

#[tokio::test]
async fn the_local_directory_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    contract(blobs::from_config(&dir.path().display().to_string()).unwrap()).await;
}

#[tokio::test]
async fn the_s3_store_keeps_the_contract_against_an_s3_server() {
    let Ok(server) = std::env::var("GONGZHI_TEST_S3_SERVER") else {
        println!("GONGZHI_TEST_S3_SERVER is not set: the S3 half is skipped (make test sets it)");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new(&server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {server}: {e}"));
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    // The bucket, made the way an operator would before pointing Gongzhi at it.
    let mut made = false;
    for _ in 0..200 {
        let res = http
            .put(format!("{base}/gongzhi-photos"))
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test-access/20261206/us-east-1/s3/aws4_request, \
                 SignedHeaders=host, Signature=0",
            )
            .send()
            .await;
        if res.is_ok_and(|r| r.status().is_success()) {
            made = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(made, "the S3 server at {base} did not start");
    let url = format!(
        "s3://test-access:test-secret@127.0.0.1:{port}/gongzhi-photos?https=false&path_style=true"
    );
    contract(blobs::from_config(&url).unwrap()).await;
    child.kill().await.ok();
}
