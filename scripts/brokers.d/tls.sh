# shellcheck shell=bash
# Throw-away TLS material for the secured test brokers (sourced by scripts/brokers; uses STATE, H, log, die).
#
#   tls_material     creates once, under .brokers/tls/ (idempotent):
#     ca.pem ca.key                 the test CA (10 years, never trusted outside this checkout)
#     server.pem server.key         server certificate for localhost / 127.0.0.1, signed by the CA
#     server.p12                    server key + chain (PKCS12, password TLS_STORE_PASS)
#     client.pem client.key client.p12   a client certificate signed by the CA (for mutual TLS)
#     truststore.p12                the CA as a PKCS12 trust store (password TLS_STORE_PASS), for Java
#     other-ca.pem truststore-other.p12  a second CA that signed nothing here: "untrusted certificate" tests
#   tls_dir          prints that directory
TLS_STORE_PASS=${TLS_STORE_PASS:-changeit}

tls_dir() { echo "$STATE/tls"; }
tls_material() {
  local d; d=$(tls_dir)
  [ -f "$d/done" ] && return 0
  command -v openssl >/dev/null || die "openssl is missing (apt-get install openssl)"
  mkdir -p "$d" && chmod 700 "$d"
  (
    cd "$d" || exit 1
    flock 9  # the lanes of scripts/test start secured brokers side by side: one creates the material, the rest wait
    [ -f done ] && exit 0
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=unimq test CA" \
      -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || exit 1
    for who in server client; do
      openssl req -newkey rsa:2048 -nodes -subj "/CN=${who/server/localhost}" -keyout "$who.key" -out "$who.csr" 2>/dev/null || exit 1
      if [ "$who" = server ]; then
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' > "$who.ext"
      else
        printf 'extendedKeyUsage=clientAuth\n' > "$who.ext"
      fi
      openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
        -extfile "$who.ext" -out "$who.pem" 2>/dev/null || exit 1
      openssl pkcs12 -export -inkey "$who.key" -in "$who.pem" -certfile ca.pem -name "$who" \
        -passout "pass:$TLS_STORE_PASS" -out "$who.p12" || exit 1
      rm -f "$who.csr" "$who.ext"
    done
    keytool -importcert -noprompt -storetype PKCS12 -keystore truststore.p12 -storepass "$TLS_STORE_PASS" \
      -alias unimq-test-ca -file ca.pem >/dev/null 2>&1 || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=some other CA" \
      -keyout other-ca.key -out other-ca.pem 2>/dev/null || exit 1
    keytool -importcert -noprompt -storetype PKCS12 -keystore truststore-other.p12 -storepass "$TLS_STORE_PASS" \
      -alias other-ca -file other-ca.pem >/dev/null 2>&1 || exit 1
    chmod 600 ./*.key
    touch done
  ) 9> "$d/.lock" || die "creating TLS material under $d failed"
  log "tls: test CA and certificates in $d"
}
