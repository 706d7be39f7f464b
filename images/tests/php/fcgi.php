<?php
// A minimal FastCGI client: asks the php-fpm at HOST:PORT to run SCRIPT and prints the response body.
[, $host, $port, $script] = $argv;
$s = stream_socket_client("tcp://$host:$port", $errno, $err, 5);
if (!$s) { fwrite(STDERR, "connect $host:$port: $err\n"); exit(1); }
function record(int $type, string $content): string {
    return pack('CCnnCx', 1, $type, 1, strlen($content), 0) . $content;
}
function pair(string $k, string $v): string {
    $len = fn($x) => strlen($x) < 128 ? chr(strlen($x)) : pack('N', strlen($x) | 0x80000000);
    return $len($k) . $len($v) . $k . $v;
}
$params = '';
foreach (['SCRIPT_FILENAME' => $script, 'SCRIPT_NAME' => '/' . basename($script), 'REQUEST_METHOD' => 'GET',
          'SERVER_PROTOCOL' => 'HTTP/1.1', 'GATEWAY_INTERFACE' => 'CGI/1.1', 'REQUEST_URI' => '/'] as $k => $v) {
    $params .= pair($k, $v);
}
fwrite($s, record(1, pack('nCx5', 1, 0)) . record(4, $params) . record(4, '') . record(5, ''));
$out = ''; $errout = '';
while (!feof($s)) {
    $h = fread($s, 8);
    if (strlen($h) < 8) break;
    $r = unpack('Cversion/Ctype/nid/nlen/Cpad', $h);
    $body = $r['len'] ? stream_get_contents($s, $r['len']) : '';
    if ($r['pad']) fread($s, $r['pad']);
    if ($r['type'] === 6) $out .= $body;
    if ($r['type'] === 7) $errout .= $body;
    if ($r['type'] === 3) break;
}
fwrite(STDERR, $errout);
$parts = explode("\r\n\r\n", $out, 2);
echo $parts[1] ?? $out;
