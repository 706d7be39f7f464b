<?php
// TLS: the default CA store holds the bundle (no network: each root in the bundle checks against the default
// store, which openssl_x509_checkpurpose loads when given no CA list; a root that has since expired fails on its
// dates alone and is counted apart).
$file = openssl_get_cert_locations()['default_cert_file'];
preg_match_all('/-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----/s', file_get_contents($file), $m);
$roots = $m[0];
$trusted = 0; $expired = 0;
foreach ($roots as $pem) {
    $cert = openssl_x509_read($pem);
    if (openssl_x509_checkpurpose($cert, X509_PURPOSE_ANY) === true) $trusted++;
    elseif (openssl_x509_parse($cert)['validTo_time_t'] < time()) $expired++; // fails on its dates alone
}
if (count($roots) < 100 || $trusted + $expired !== count($roots)) {
    throw new Exception("only $trusted of " . count($roots) . " CAs in $file check against the default store ($expired expired)");
}
echo "cas: $trusted trusted, $expired expired\n";
// zlib: a round trip
$data = str_repeat('kolibri ', 1000);
if (gzuncompress(gzcompress($data)) !== $data) throw new Exception('zlib round trip');
echo 'zlib: ', strlen(gzcompress($data)), " bytes\n";
// timezones: from tzdata
$t = new DateTime('@0');
$t->setTimezone(new DateTimeZone('Asia/Kolkata'));
if ($t->getOffset() !== 19800) throw new Exception('Asia/Kolkata offset ' . $t->getOffset());
echo 'tz: ', $t->format('T'), ', ', count(DateTimeZone::listIdentifiers()), " zones\n";
// the shared modules finalize enables (conf.d): ctype and tokenizer
if (!function_exists('ctype_digit') || !function_exists('token_get_all')) throw new Exception('ctype/tokenizer not loaded: ' . implode(',', get_loaded_extensions()));
// iconv through glibc's modules (kept in this image): Latin-1 and Windows-1252
if (bin2hex(iconv('UTF-8', 'ISO-8859-1', "\u{e9}")) !== 'e9' || bin2hex(iconv('UTF-8', 'CP1252', "\u{20ac}")) !== '80') {
    throw new Exception('iconv to ISO-8859-1/CP1252');
}
echo "iconv: ok\n";
echo "ok\n";
