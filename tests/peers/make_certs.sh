#!/usr/bin/env bash
# Makes every key and certificate the submission tests and the demo backend need, with the
# openssl command line, into DIR:
#
#   ca.crt ca.key                  the test CA (trusted by the kiosk and the backend)
#   server.crt server.key          localhost + 127.0.0.1, signed by the CA   (the backend)
#   server.pin                     base64 SHA-256 of server.key's SPKI       (submit.pins)
#   client.crt client.key          the kiosk's client certificate (mutual TLS)
#   expired.crt expired.key        localhost + 127.0.0.1, valid only in 2020
#   wronghost.crt wronghost.key    valid, but for wrong-host.invalid / 127.0.0.2 only
#   untrusted-ca.crt               another CA, which nobody trusts
#   untrusted.crt untrusted.key    localhost + 127.0.0.1, signed by the untrusted CA
#   other.pin                      a pin of a key that no server has
#   sealing.key sealing.pub.pem    the backend's RSA-3072 key pair for sealed envelopes
#
# Usage: make_certs.sh DIR [--force]
# Without --force an already complete DIR is left alone (the demo backend makes its
# certificates on first run only). TLS keys are EC P-256 (quick to make); the sealing key
# is RSA (the outbox's RSA-OAEP-256, docs/outbox.md).
set -euo pipefail

dir=${1:?usage: make_certs.sh DIR [--force]}
force=${2:-}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/.complete" ] && [ "$force" != "--force" ]; then
  exit 0
fi
rm -f "$dir/.complete"
umask 077
work=$(mktemp -d "$dir/.making.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

days=${CERT_DAYS:-825}

eckey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

ca() {  # ca NAME CN
  eckey "$1.key"
  openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.crt" 2>/dev/null
}

ext() {  # ext FILE USAGE SAN
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$2"
    if [ -n "$3" ]; then echo "subjectAltName=$3"; fi
  } > "$1"
}

leaf() {  # leaf NAME CA CN USAGE SAN
  eckey "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$3" -out "$1.csr" 2>/dev/null
  ext "$1.ext" "$4" "$5"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}

pin() {  # pin KEYFILE: base64 SHA-256 of the SubjectPublicKeyInfo (curl's sha256// form)
  openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | openssl dgst -sha256 -binary | openssl base64 -A
}

ca ca "Toegang Test CA"
ca untrusted-ca "Untrusted Test CA"
leaf server ca localhost serverAuth "DNS:localhost,IP:127.0.0.1"
leaf client ca demo-kiosk clientAuth ""
leaf wronghost ca wrong-host.invalid serverAuth "DNS:wrong-host.invalid,IP:127.0.0.2"
leaf untrusted untrusted-ca localhost serverAuth "DNS:localhost,IP:127.0.0.1"

# An expired certificate needs a start and end in the past: `openssl x509 -req` cannot set
# them in OpenSSL 3.0, `openssl ca` can.
eckey expired.key
openssl req -new -key expired.key -subj "/CN=localhost" -out expired.csr 2>/dev/null
ext expired.ext serverAuth "DNS:localhost,IP:127.0.0.1"
mkdir -p ca-db
: > ca-db/index.txt
echo 1000 > ca-db/serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ca-db
database = ca-db/index.txt
new_certs_dir = ca-db
serial = ca-db/serial
certificate = ca.crt
private_key = ca.key
default_md = sha256
policy = any_name
unique_subject = no
[ any_name ]
commonName = supplied
CNF
openssl ca -batch -notext -config ca.cnf -startdate 20200101000000Z -enddate 20201231000000Z \
  -in expired.csr -extfile expired.ext -out expired.crt 2>/dev/null

pin server.key > server.pin
eckey other.key
pin other.key > other.pin

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out sealing.key 2>/dev/null
openssl pkey -in sealing.key -pubout -out sealing.pub.pem 2>/dev/null

for f in ca.crt ca.key server.crt server.key server.pin client.crt client.key expired.crt \
         expired.key wronghost.crt wronghost.key untrusted-ca.crt untrusted.crt untrusted.key \
         other.pin sealing.key sealing.pub.pem; do
  mv -f "$f" "$dir/$f"
done
# Public parts may be read by anyone; private keys stay 0600.
chmod 644 "$dir"/*.crt "$dir"/*.pin "$dir/sealing.pub.pem"
touch "$dir/.complete"
