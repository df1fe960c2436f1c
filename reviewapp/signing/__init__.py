"""Ed25519 reviewer keys and SSH signatures (SSHSIG) over signed-off reviews."""
