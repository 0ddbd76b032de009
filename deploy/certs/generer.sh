#!/bin/sh
# Makes the certificates of Temporal's mTLS into $CERTS_DIR (the `certs` volume of docker-compose.yml):
# a CA of the deployment, the server's certificate (frontend and internode: the server's services connect to
# one another with it, so it is also a client certificate), and one client certificate per caller.
# What exists is kept: every later start is a no-op. To renew, remove the volume (`docker volume rm
# passpro_certs`) and start again; the server and its callers then restart with the new ones.
set -eu
dir="${CERTS_DIR:-/certs}"
server_name="${TEMPORAL_SERVER_NAME:-temporal}"
days="${CERTS_DAYS:-825}"
clients="${CERTS_CLIENTS:-worker api ui admin}"
mkdir -p "$dir"
cd "$dir"
umask 077

if [ ! -f ca.pem ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/O=Passpro/CN=Passpro CA" -keyout ca.key -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  echo "CA créée"
fi

# $1 name of the files, $2 subject CN, $3 extended key usage, $4 subjectAltName (optional)
leaf() {
  [ -f "$1.pem" ] && { echo "$1.pem existe déjà"; return; }
  ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$3"
  [ -n "${4:-}" ] && ext="$ext
subjectAltName=$4"
  printf '%s\n' "$ext" > "$1.ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Passpro/CN=$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days "$days" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
  echo "$1.pem créé"
}

leaf serveur "$server_name" serverAuth,clientAuth "DNS:$server_name,DNS:localhost"
for client in $clients; do leaf "client-$client" "passpro-$client" clientAuth; done

# The services read the files under their own users (temporal, node, the UI's): readable, never writable.
# The CA's key leaves with nobody: it stays in the volume, which only this service mounts read-write.
chmod 0444 ./*.pem ./*.key
chmod 0400 ca.key
