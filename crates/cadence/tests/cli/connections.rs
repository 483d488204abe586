//! Slow and idle clients (issue 15 §9): a request header that is never finished is closed
//! after the header timeout, and no more than `--max-connections` connections are served at
//! once: the next client waits until one closes.

use crate::http::send;
use crate::service::{Server, setup};
use crate::temp_dir;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn server(extra: &[&str]) -> Server {
    let dir = temp_dir();
    let db_url = format!("sqlite://{}", dir.join("slow.db").display());
    setup(&db_url);
    Server::start_with(&db_url, extra)
}

/// Reads until the server closes the connection; `Err` if it stays open for `limit`.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> std::io::Result<Vec<u8>> {
    stream.set_read_timeout(Some(limit))?;
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return Ok(got),
            Err(e) => return Err(e),
        }
    }
}

#[test]
fn a_half_sent_header_is_closed_after_the_header_timeout() {
    let server = server(&["--header-timeout-secs", "1"]);
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: clinic\r\nX-Slow: 1\r\n")
        .unwrap();
    // The header never ends: the server must hang up on its own (well before a minute).
    let answer = read_until_closed(&mut slow, Duration::from_secs(60))
        .expect("the server closes a connection whose header never ends");
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.contains("200 OK"), "{answer}");
    // An idle connection that sends nothing at all is closed the same way.
    let mut idle = TcpStream::connect(&server.addr).unwrap();
    read_until_closed(&mut idle, Duration::from_secs(60))
        .expect("the server closes an idle connection");
    // Prompt clients are served as before.
    let r = send(&server.addr, "GET", "/healthz", None, None).unwrap();
    assert_eq!(r.status, 200);
}

#[test]
fn no_more_than_max_connections_are_served_at_once() {
    let server = server(&["--max-connections", "2", "--header-timeout-secs", "120"]);
    // Two idle connections take both places.
    let first = TcpStream::connect(&server.addr).unwrap();
    let _second = TcpStream::connect(&server.addr).unwrap();
    let mut third = TcpStream::connect(&server.addr).unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: clinic\r\nConnection: close\r\n\r\n")
        .unwrap();
    // Not accepted while both places are taken: no answer comes.
    third
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let mut buf = [0u8; 64];
    match third.read(&mut buf) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("a third connection was served past the limit: {other:?}"),
    }
    // A place frees up: the waiting client is accepted and answered.
    drop(first);
    let answer = read_until_closed(&mut third, Duration::from_secs(60)).unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
