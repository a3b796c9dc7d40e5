//! Certificates a test makes for a TLS server of its own, with the openssl command
//! line: a certificate authority and a server certificate it signs for `localhost` and
//! `127.0.0.1` (also good as a client certificate: the nodes of a Redis Cluster present
//! it to each other on the TLS cluster bus).

use std::path::PathBuf;
use std::process::Command;

/// A fresh certificate authority and a server certificate signed by it, in files.
pub struct TestCertificates {
    dir: tempfile::TempDir,
}

fn openssl(args: &[&str], dir: &std::path::Path) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command line is installed");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl TestCertificates {
    pub fn make() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        std::fs::write(
            path.join("ca.cnf"),
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
        )
        .unwrap();
        std::fs::write(
            path.join("server.cnf"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             extendedKeyUsage=serverAuth,clientAuth\n",
        )
        .unwrap();
        for args in [
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                "ca.key",
            ][..],
            &[
                "req",
                "-new",
                "-key",
                "ca.key",
                "-subj",
                "/CN=benefits test CA",
                "-out",
                "ca.csr",
            ],
            &[
                "x509", "-req", "-in", "ca.csr", "-signkey", "ca.key", "-days", "2", "-extfile",
                "ca.cnf", "-out", "ca.crt",
            ],
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                "server.key",
            ],
            &[
                "req",
                "-new",
                "-key",
                "server.key",
                "-subj",
                "/CN=localhost",
                "-out",
                "server.csr",
            ],
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.cnf",
                "-out",
                "server.crt",
            ],
        ] {
            openssl(args, path);
        }
        Self { dir }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The authority's certificate (PEM): what a client trusts.
    pub fn ca(&self) -> PathBuf {
        self.file("ca.crt")
    }

    pub fn server_certificate(&self) -> PathBuf {
        self.file("server.crt")
    }

    pub fn server_key(&self) -> PathBuf {
        self.file("server.key")
    }
}
