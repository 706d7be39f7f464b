// Runs on the runtime image without network: a TLS context from the system CA bundle, zlib, timezones.
'use strict';
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const tls = require('tls');
const zlib = require('zlib');

const pem = fs.readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')
  .match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) || [];
const cas = pem.filter((p) => new crypto.X509Certificate(p).ca).length;
assert(cas > 100, `only ${cas} CA certificates in the system bundle`);
tls.createSecureContext({ ca: pem });
assert(tls.rootCertificates.length > 100, `only ${tls.rootCertificates.length} root certificates`);
assert.strictEqual(zlib.gunzipSync(zlib.gzipSync('kolibri'.repeat(100))).toString(), 'kolibri'.repeat(100));
const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', hour: '2-digit', hourCycle: 'h23' })
  .format(new Date(Date.UTC(2025, 6, 1, 10)));
assert.strictEqual(hour, '12', `Europe/Zurich at 10:00 UTC in July is ${hour}`);
console.log('node ok', process.getuid(), process.version);
