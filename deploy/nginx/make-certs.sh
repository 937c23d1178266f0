#!/usr/bin/env bash
# A self-signed certificate for trying the stack (deploy/nginx/certs/licensor.{crt,key}).
# In production put the real certificate and key there under the same names.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p certs
NAME=${1:-localhost}
openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
  -keyout certs/licensor.key -out certs/licensor.crt \
  -subj "/CN=$NAME" -addext "subjectAltName=DNS:$NAME,DNS:localhost,IP:127.0.0.1" 2>/dev/null
chmod 600 certs/licensor.key
echo "wrote $(pwd)/certs/licensor.crt and licensor.key for $NAME"
