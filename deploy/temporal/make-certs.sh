#!/bin/sh
# One-shot (compose service `certs`): on first start, a private CA and the certificates for mTLS between Temporal and
# its clients: the frontend (`temporal`), the worker, the API, Temporal UI and the admin tools. Later starts keep
# what exists. Runs in the pinned postgres image (Debian, with openssl).
set -eu
dir=/certs
days=825
command -v openssl >/dev/null || { echo "make-certs: openssl is missing from this image" >&2; exit 1; }
umask 077
if [ ! -f "$dir/ca.pem" ]; then
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=yingsu Temporal CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem"
  echo "make-certs: new CA $dir/ca.pem"
fi
issue() { # name, extendedKeyUsage, subjectAltName
  [ -f "$dir/$1.pem" ] && return 0
  openssl req -newkey rsa:3072 -nodes -subj "/CN=$1" -keyout "$dir/$1.key" -out "$dir/$1.csr"
  printf 'extendedKeyUsage=%s\nsubjectAltName=%s\n' "$2" "$3" > "$dir/$1.ext"
  openssl x509 -req -in "$dir/$1.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" \
    -extfile "$dir/$1.ext" -out "$dir/$1.pem"
  rm -f "$dir/$1.csr" "$dir/$1.ext"
  echo "make-certs: issued $1"
}
issue temporal serverAuth,clientAuth "DNS:temporal,DNS:localhost,IP:127.0.0.1"
for client in worker api ui admin; do issue "$client" clientAuth "DNS:$client"; done
# The Temporal images run as their own users: readable keys, isolated by the volume (mounted read-only).
chmod 0644 "$dir"/*.pem "$dir"/*.key
chmod 0600 "$dir/ca.key"
