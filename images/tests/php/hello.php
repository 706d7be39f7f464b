<?php
echo "hello from php-fpm as ", posix_getuid(), " via ", PHP_SAPI, "\n";
