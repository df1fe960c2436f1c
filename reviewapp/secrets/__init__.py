"""Where private keys live: the system keyring, behind a small SecretStore interface."""
